from allauth.core import ratelimit
from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token

from teams.views import smederij_people

from .forms import ContactForm
from .models import FeaturedItem, ProgrammeSettings, Smederij
from .services import send_contact_message


def areas_by_kind() -> dict[str, list[Smederij]]:
    """The active Smederijen split into wijken and dorpen, in one query."""
    smederijen = list(Smederij.objects.active())
    return {
        "wijken": [s for s in smederijen if s.kind == Smederij.Kind.WIJK],
        "dorpen": [s for s in smederijen if s.kind == Smederij.Kind.DORP],
    }


def home(request):
    return render(
        request,
        "smederijen/home.html",
        {**areas_by_kind(), "featured_items": FeaturedItem.objects.published()},
    )


def about(request):
    return render(request, "smederijen/about.html")


def smederij_list(request):
    return render(request, "smederijen/smederij_list.html", areas_by_kind())


def smederij_detail(request, slug):
    smederij = get_object_or_404(
        Smederij.objects.active().select_related("gebiedsregisseur"), slug=slug
    )
    return render(
        request,
        "smederijen/smederij_detail.html",
        {"smederij": smederij, **smederij_people(smederij)},
    )


def accessibility(request):
    return render(request, "smederijen/accessibility.html")


def privacy(request):
    # The periods are set in admin; the statement says what they are today.
    return render(request, "smederijen/privacy.html", {"periods": ProgrammeSettings.load()})


def contact(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="contact_form"):
            form.add_error(
                None, gettext("You sent many messages in a short time. Try again later.")
            )
        elif not form.is_spam():
            send_contact_message(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
            )
        if not form.errors:
            return redirect("smederijen:contact-sent")
    return render(
        request,
        "smederijen/contact.html",
        {"form": form, "contact_email": settings.CONTACT_EMAIL},
    )


def contact_sent(request):
    return render(request, "smederijen/contact_sent.html")


def favicon(request):
    # Resolved per request: the hashed name exists only after collectstatic.
    return redirect(static("img/favicon.svg"))


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Like Django's own, but with the request so the page has the site's frame."""
    try:
        return HttpResponseServerError(loader.render_to_string(template_name, request=request))
    except Exception:  # the frame itself failed: fall back to plain text
        return HttpResponseServerError(gettext("Something went wrong. Please try again later."))
