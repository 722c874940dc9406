"""Who handles an idea: the behandelaar box of the review page and several ideas at once from the
werkvoorraad. Every change goes through ``services.assign`` (and ``services.take_up``)."""

import uuid

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ideas import permissions
from ideas.workflow import CLOSED, Status
from smederijen import parts
from teams import permissions as team_permissions

from . import services
from .models import Idea
from .review_forms import AssignForm, AssignManyForm
from .review_reads import review_url


def _name(user) -> str:
    return user.get_full_name() or user.email


def _refusal(error) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


# The review page's behandelaar box ---------------------------------------------------------------


def assign_form(idea, data=None, *, request=None) -> AssignForm:
    """The behandelaar box; with ``request``, a box nobody filled in shows the people kept by
    version (``_kept_candidates``)."""
    form = AssignForm(
        data, candidates=team_permissions.people_acting_for([idea.smederij_id]), prefix="assign"
    )
    if request is not None and data is None:
        _kept_candidates(request, form.fields["behandelaar"], [idea.smederij_id])
    return form


def assign_fields(request, idea, posted=None):
    """The review page's behandelaar box: the form ``posted`` with its errors, or the box as
    nobody filled it in, drawn once per version of the people of the idea's area (the stamp of
    ``site``): no form is made while it is kept."""

    def draw(form):
        return render_to_string("ideas/review/_assign_fields.html", {"assign_form": form})

    if posted is not None:
        return draw(posted)
    return parts.of_version(
        request,
        f"assign-fields:{idea.smederij_id}",
        [],
        lambda: draw(assign_form(idea, request=request)),
    )


def _kept_candidates(request, field, smederij_ids) -> None:
    """The people to choose from, read once per version of the teams and accounts (the stamp of
    ``site``: every change of a team member or an account replaces it)."""
    parts.choices_by_version(request, field, f"behandelaar:{sorted(set(smederij_ids))}")


def may_be_assigned(idea) -> bool:
    return idea.status != Status.CONCEPT and idea.status not in CLOSED


def _assigned(request, idea, behandelaar):
    if not ratelimit.consume(request, action="staff_bulk"):
        messages.error(request, _("You tried too often. Wait a minute and try again."))
        return redirect(review_url(idea, "behandelaar-title"))
    try:
        services.assign(idea, actor=request.user, behandelaar=behandelaar)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    else:
        if behandelaar is None:
            messages.success(request, _("Nobody handles this idea now."))
        elif behandelaar.pk == request.user.pk:
            messages.success(request, _("You handle this idea now."))
        else:
            messages.success(
                request,
                _("%(name)s handles this idea now and gets a mail about it.")
                % {"name": _name(behandelaar)},
            )
    return redirect(review_url(idea, "behandelaar-title"))


def assign_from_page(request, idea, forms):
    """POST "assign": the behandelaar chosen in the list (or nobody)."""
    form = assign_form(idea, request.POST)
    forms.assign_form = form
    if not form.is_valid():
        return None
    return _assigned(request, idea, form.cleaned_data["behandelaar"])


def assign_me(request, idea, forms):
    """POST "assign_me": the one who presses the button handles the idea."""
    return _assigned(request, idea, request.user)


# Several ideas at once from the werkvoorraad ------------------------------------------------------


def assignable_ideas(user):
    return Idea.objects.filter(smederij_id__in=team_permissions.area_ids(user)).exclude(
        status__in=[Status.CONCEPT, *CLOSED]
    )


def assign_many_form(user, data=None, *, request=None) -> AssignManyForm:
    """The werkvoorraad's box for several ideas; with ``request``, an empty box shows the people
    kept by version (``_kept_candidates``)."""
    areas = team_permissions.area_ids(user)
    form = AssignManyForm(
        data,
        auto_id="many_%s",  # beside the werkvoorraad's filters, which have a "behandelaar" too
        ideas=assignable_ideas(user),
        candidates=team_permissions.people_acting_for(areas),
    )
    if request is not None and data is None:
        _kept_candidates(request, form.fields["behandelaar"], areas)
    return form


def assign_many_fields(request):
    """The werkvoorraad's box for several ideas as nobody filled it in (who handles them, take
    up new ones): drawn once per version of the people of this user's areas (the stamp of
    ``site``), no form made while it is kept."""
    areas = sorted(team_permissions.area_ids(request.user))
    return parts.of_version(
        request,
        f"assign-many-fields:{areas}",
        [],
        lambda: render_to_string(
            "ideas/review/_assign_many_fields.html",
            {"assign_form": assign_many_form(request.user, request=request)},
        ),
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _back_to_queue(request):
    target = request.POST.get("next", "")
    if target.startswith("/werkvoorraad/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("ideas:review-queue")


@login_required
@require_POST
def assign_many(request):
    if not permissions.may_open_queue(request.user):
        raise PermissionDenied
    if not ratelimit.consume(request, action="staff_bulk"):
        messages.error(request, _("You tried too often. Wait a minute and try again."))
        return _back_to_queue(request)
    form = assign_many_form(request.user, request.POST)
    if not form.is_valid():
        # Nothing is lost: the page shows the chosen ideas (only those) and the errors next to
        # the fields.
        chosen = [value for value in request.POST.getlist("idee") if _is_uuid(value)]
        form.fields["idee"].queryset = assignable_ideas(request.user).filter(public_id__in=chosen)
        return render(request, "ideas/review/assign_many.html", {"form": form}, status=200)
    behandelaar = form.cleaned_data["behandelaar"]
    assigned, taken_up, refused = 0, 0, []
    for idea in form.cleaned_data["idee"].order_by("submitted_at", "pk"):
        try:
            idea = services.assign(idea, actor=request.user, behandelaar=behandelaar)
            assigned += 1
            if form.cleaned_data["take_up"] and idea.status == Status.INGEDIEND:
                services.take_up(idea, actor=request.user)
                taken_up += 1
        except (ValidationError, PermissionDenied) as error:
            refused.append(f"{idea.reference}: {_refusal(error)}")
    if assigned:
        done = ngettext(
            "%(count)d idea is now handled by %(name)s.",
            "%(count)d ideas are now handled by %(name)s.",
            assigned,
        ) % {"count": assigned, "name": _name(behandelaar)}
        if taken_up:
            done += " " + ngettext(
                "%(count)d new idea was taken up.", "%(count)d new ideas were taken up.", taken_up
            ) % {"count": taken_up}
        messages.success(request, done)
    for refusal in refused:
        messages.error(request, _("Not assigned: %(why)s") % {"why": refusal})
    return _back_to_queue(request)
