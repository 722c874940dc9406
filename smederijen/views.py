from allauth.core import ratelimit
from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from . import parts
from .forms import ContactForm
from .models import FeaturedItem, PageText, ProgrammeSettings, Smederij
from .pagecache import for_visitors, no_ideas
from .services import send_contact_message


def areas_by_kind() -> dict[str, list[Smederij]]:
    """The active Smederijen split into wijken and dorpen, in one query."""
    smederijen = list(Smederij.objects.active())
    return {
        "wijken": [s for s in smederijen if s.kind == Smederij.Kind.WIJK],
        "dorpen": [s for s in smederijen if s.kind == Smederij.Kind.DORP],
    }


def _page_text(page: str) -> PageText | None:
    """The text support staff keep in admin for this page, if any (one query)."""
    return PageText.objects.filter(page=page).first()


def _home_data() -> dict:
    return {
        **areas_by_kind(),
        "featured_items": list(FeaturedItem.objects.published()),
        "page_text": _page_text(PageText.Page.HOME),
    }


@for_visitors(scopes=no_ideas)
def home(request):
    # What the home page shows changes only with the site: read once per version (parts.py).
    shown = parts.by_version(request, "home", [], _home_data)
    return render(request, "smederijen/home.html", shown)


def about(request):
    return render(request, "smederijen/about.html", {"page_text": _page_text(PageText.Page.ABOUT)})


@for_visitors(scopes=no_ideas)
def smederij_list(request):
    return render(request, "smederijen/smederij_list.html", areas_by_kind())


@for_visitors(scopes=no_ideas)
def accessibility(request):
    return render(
        request,
        "smederijen/accessibility.html",
        {"page_text": _page_text(PageText.Page.ACCESSIBILITY)},
    )


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
        {
            "form": form,
            "contact_email": settings.CONTACT_EMAIL,
            "page_text": _page_text(PageText.Page.CONTACT),
        },
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


@never_cache
def health(request):
    """200 when this server and its database answer, 503 when the database does not. No
    session, no cookie, no template: cheap enough to ask every few seconds."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bench_ceiling(request):
    """Served only with SMEDERIJEN_BENCHMARK=1: what Django itself costs, for `make bench`."""
    return HttpResponse("ok", content_type="text/plain")
