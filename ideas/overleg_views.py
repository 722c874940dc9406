"""Het wijkoverleg in the browser: the list, planning one (the agenda proposed from the inventory),
its page (agenda, who comes, the initiatiefgroep's remarks; for the area's staff: change, cancel,
order the agenda), the answer through the link in the mail, and the calendar file.

Who may see and do what: ``ideas.permissions`` (``may_plan_overleg``, ``runs_overleg``,
``may_see_overleg``, ``may_prepare_item``). An overleg of another area is a 404; a submitter's
contact details and the team's internal notes are never on these pages.
"""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from smederijen import calendar
from teams import permissions as team_permissions

from . import permissions, services
from .models import Invitation, ItemRemark, Overleg, OverlegItem
from .overleg_forms import (
    ItemRemarkForm,
    PlanOverlegForm,
    PointForm,
    PresenceForm,
    RecordItemForm,
    WhenAndWhereForm,
)
from .services.mail import overleg_appointment


def _url(overleg, anchor: str = "") -> str:
    url = reverse("ideas:overleg", kwargs={"public_id": overleg.public_id})
    return f"{url}#{anchor}" if anchor else url


def _visible_overleggen(user):
    """The overleggen this user may see: of the areas they act for or whose initiatiefgroep they
    are in, and those they are invited to; support staff every one (as ``may_see_overleg``)."""
    if team_permissions.sees_every_area(user):
        return Overleg.objects.all()
    areas = team_permissions.area_ids(user) | permissions.initiatiefgroep_area_ids(user)
    return Overleg.objects.filter(Q(smederijen__in=areas) | Q(invitations__user=user)).distinct()


@login_required
def overleg_list(request):
    overleggen = list(
        _visible_overleggen(request.user)
        .prefetch_related("smederijen")
        .annotate(
            point_count=Count("items", distinct=True),
            coming=Count("invitations", filter=Q(invitations__answer="ja"), distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )
    now = timezone.now()
    return render(
        request,
        "ideas/overleg/overleg_list.html",
        {
            "coming": [o for o in overleggen if o.ends_at >= now][::-1],
            "past": [o for o in overleggen if o.ends_at < now],
            "may_plan": permissions.may_plan_overleg(request.user),
        },
    )


@login_required
def overleg_new(request):
    if not permissions.may_plan_overleg(request.user):
        raise PermissionDenied(
            _("Only the team and the gebiedsregisseur of an area plan an overleg.")
        )
    places = services.places_to_plan_for(request.user)
    value = request.POST.get("smederij") or request.GET.get("smederij")
    if not value and len(places) == 1:
        value = next(iter(places))
    label, chosen = places.get(value, ("", []))
    waiting = services.ideas_to_discuss([area.pk for area in chosen]) if chosen else []
    if request.method == "POST" and chosen:
        if not ratelimit.consume(request, action="overleg"):
            messages.error(request, _("You tried too often. Wait a minute and try again."))
            return redirect(request.get_full_path())
        form = PlanOverlegForm(request.POST, places=places, waiting=waiting)
        if form.is_valid():
            chosen_pks = {idea.pk for idea in form.cleaned_data["ideas"]}
            try:
                overleg = services.plan_overleg(
                    actor=request.user,
                    smederijen=chosen,
                    starts_at=form.starts_at(),
                    ends_at=form.ends_at(),
                    place=form.cleaned_data["place"],
                    online_link=form.cleaned_data["online_link"],
                    ideas=[idea for idea in waiting if idea.pk in chosen_pks],
                    points=form.cleaned_data["points"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The overleg is planned. Everyone it is for gets an invitation by mail."),
                )
                return redirect(_url(overleg))
    else:
        initial = {"smederij": value if chosen else None, "ideas": [i.pk for i in waiting]}
        form = PlanOverlegForm(initial=initial, places=places, waiting=waiting)
    return render(
        request,
        "ideas/overleg/overleg_new.html",
        {
            "form": form,
            "chosen": ", ".join(area.name for area in chosen),
            "value": value if chosen else "",
            "choices": len(places),
            "waiting": waiting,
            "elsewhere": services.on_coming_agendas([area.pk for area in chosen]) if chosen else [],
        },
    )


def _overleg(public_id):
    """The overleg with its areas, agenda (ideas and remarks) and invitations: a fixed number of
    queries however long the agenda or the list of the invited."""
    return get_object_or_404(
        Overleg.objects.select_related("chair").prefetch_related(
            "smederijen",
            Prefetch(
                "items",
                queryset=OverlegItem.objects.select_related("idea__smederij").prefetch_related(
                    Prefetch("remarks", queryset=ItemRemark.objects.select_related("author"))
                ),
            ),
            Prefetch("invitations", queryset=Invitation.objects.select_related("user")),
        ),
        public_id=public_id,
    )


def _may_see(request, overleg) -> tuple[bool, Invitation | None]:
    area_ids = [area.pk for area in overleg.smederijen.all()]
    own = next((i for i in overleg.invitations.all() if i.user_id == request.user.pk), None)
    if not permissions.may_see_overleg(request.user, area_ids, invited=own is not None):
        raise Http404  # another area's overleg: not even whether it exists
    return permissions.runs_overleg(request.user, area_ids), own


def _idea_link(user, idea, runs: bool) -> str:
    """Where an idea on the agenda leads: the review page for the area's staff, the inventory for
    the initiatiefgroep, the public page for anyone else invited (if it is public)."""
    if idea is None:
        return ""
    if runs:
        return reverse("ideas:review", kwargs={"public_id": idea.public_id})
    if permissions.is_initiatiefgroep_member(user, idea.smederij_id):
        return reverse("ideas:inventory-detail", kwargs={"public_id": idea.public_id})
    return idea.get_absolute_url() if idea.is_published else ""


def _agenda(request, overleg, runs: bool, remark_forms: dict, record_forms: dict):
    rows = []
    recording = runs and overleg.state == Overleg.State.VERSLAG
    for item in overleg.items.all():
        idea = item.idea
        own = next((r for r in item.remarks.all() if r.author_id == request.user.pk), None)
        may_prepare = idea is not None and permissions.may_prepare_item(request.user, item, overleg)
        form = remark_forms.get(item.pk)
        if form is None and may_prepare:
            initial = {"text": own.text, "advice": own.advice} if own else None
            form = ItemRemarkForm(initial=initial, prefix=f"punt{item.pk}")
        rows.append(
            {
                "item": item,
                "idea": idea,
                "link": _idea_link(request.user, idea, runs),
                "remarks": list(item.remarks.all()),
                "form": form,
                "record_form": (
                    record_forms.get(item.pk) or RecordItemForm(item=item) if recording else None
                ),
            }
        )
    return rows


def _page(
    request,
    overleg,
    *,
    runs,
    own,
    change_form=None,
    point_form=None,
    remark_forms=None,
    record_forms=None,
    presence_form=None,
):
    invitations = list(overleg.invitations.all())
    planned = overleg.state == Overleg.State.GEPLAND
    recording = runs and overleg.state == Overleg.State.VERSLAG
    may_change = runs and planned
    return render(
        request,
        "ideas/overleg/overleg_detail.html",
        {
            "overleg": overleg,
            "areas": ", ".join(area.name for area in overleg.smederijen.all()),
            "agenda": _agenda(request, overleg, runs, remark_forms or {}, record_forms or {}),
            "runs": runs,
            "own": own,
            "may_answer": own is not None and permissions.takes_answers(overleg, timezone.now()),
            "invitations": invitations if runs else [],
            "coming": sum(1 for i in invitations if i.answer == Invitation.Answer.JA),
            "not_coming": sum(1 for i in invitations if i.answer == Invitation.Answer.NEE),
            "invited": len(invitations),
            "change_form": (change_form or WhenAndWhereForm.of(overleg)) if may_change else None,
            "point_form": (point_form or PointForm()) if may_change else None,
            "may_change": may_change,
            "may_start_minutes": runs and permissions.minutes_may_start(overleg, timezone.now()),
            "recording": recording,
            "presence_form": (presence_form or PresenceForm(invitations=invitations))
            if recording
            else None,
            "may_close": recording and permissions.closes_minutes(request.user, overleg),
            "present": [i for i in invitations if i.present],
            "minutes_shown": overleg.state == Overleg.State.AFGESLOTEN
            or (overleg.state == Overleg.State.VERSLAG and (runs or own is not None)),
        },
    )


@login_required
def overleg_detail(request, public_id):
    overleg = _overleg(public_id)
    runs, own = _may_see(request, overleg)
    if request.method != "POST":
        return _page(request, overleg, runs=runs, own=own)
    if not ratelimit.consume(request, action="overleg"):
        messages.error(request, _("You tried too often. Wait a minute and try again."))
        return redirect(_url(overleg))
    post = request.POST
    try:
        if "remark" in post:
            return _post_remark(request, overleg, runs, own)
        if "answer" in post and own is not None:
            services.answer_invitation(own, comes=post["answer"] == "ja")
            messages.success(request, _("Thank you: your answer is saved."))
            return redirect(_url(overleg))
        if not runs:
            raise PermissionDenied(_("Only the team and the gebiedsregisseur of its area do this."))
        if "change" in post:
            form = WhenAndWhereForm(post)
            if not form.is_valid():
                return _page(request, overleg, runs=runs, own=own, change_form=form)
            services.change_overleg(
                overleg,
                actor=request.user,
                starts_at=form.starts_at(),
                ends_at=form.ends_at(),
                place=form.cleaned_data["place"],
                online_link=form.cleaned_data["online_link"],
            )
            messages.success(
                request,
                _("The overleg is changed. The invited get the new time and place by mail."),
            )
            return redirect(_url(overleg))
        if "cancel" in post:
            if post.get("confirmed") != "1":
                return _confirm(request, overleg, "cancel")
            services.cancel_overleg(overleg, actor=request.user)
            messages.success(request, _("The overleg is cancelled. The invited get a mail."))
            return redirect(_url(overleg))
        if "point" in post:
            form = PointForm(post)
            if not form.is_valid():
                return _page(request, overleg, runs=runs, own=own, point_form=form)
            services.add_point(overleg, actor=request.user, title=form.cleaned_data["title"])
            messages.success(request, _("The topic is on the agenda."))
            return redirect(_url(overleg, "agenda-title"))
        if "start_minutes" in post:
            services.start_minutes(overleg, actor=request.user)
            return redirect(_url(overleg, "agenda-title"))
        if "presence" in post:
            form = PresenceForm(post, invitations=list(overleg.invitations.all()))
            if not form.is_valid():
                return _page(request, overleg, runs=runs, own=own, presence_form=form)
            services.record_presence(
                overleg,
                actor=request.user,
                present_user_ids=[int(pk) for pk in form.cleaned_data["present"]],
            )
            messages.success(request, _("Who was there is saved."))
            return redirect(_url(overleg, "presence-title"))
        if "send_draft" in post:
            count = services.send_draft_minutes(overleg, actor=request.user)
            messages.success(
                request,
                ngettext(
                    "The draft minutes are sent to the %(count)s person who was there.",
                    "The draft minutes are sent to the %(count)s people who were there.",
                    count,
                )
                % {"count": count},
            )
            return redirect(_url(overleg))
        if "close" in post:
            services.close_minutes(overleg, actor=request.user)
            messages.success(
                request,
                _(
                    "The minutes are final. Each idea's history shows the discussion, and its "
                    "submitter gets a mail."
                ),
            )
            return redirect(_url(overleg))
        item = _item(overleg, post.get("item"))
        if "record" in post:
            form = RecordItemForm(post, item=item)
            if not form.is_valid():
                return _page(request, overleg, runs=runs, own=own, record_forms={item.pk: form})
            data = form.cleaned_data
            services.record_item(
                item,
                actor=request.user,
                discussion=data["discussion"],
                public_summary=data.get("public_summary", ""),
                advice=data.get("advice", ""),
                advice_reason=data.get("advice_reason", ""),
                next_step_who=data["next_step_who"],
                next_step_what=data["next_step_what"],
                next_step_by=data["next_step_by"],
            )
            messages.success(request, _("The minutes of this point are saved."))
            return redirect(_url(overleg, f"punt-{item.pk}"))
        if "up" in post or "down" in post:
            services.move_point(item, actor=request.user, up="up" in post)
            return redirect(_url(overleg, f"punt-{item.pk}"))
        if "remove" in post:
            if item.remarks.all() and post.get("confirmed") != "1":
                return _confirm(request, overleg, "remove", item)
            services.remove_point(item, actor=request.user)
            messages.success(request, _("The point is taken off the agenda."))
            return redirect(_url(overleg, "agenda-title"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_url(overleg))
    return redirect(_url(overleg))


def _confirm(request, overleg, what: str, item=None):
    """A step that cannot be undone asks first: cancelling (everyone invited gets a mail), or
    taking a point off the agenda that has remarks of the initiatiefgroep (they go with it)."""
    return render(
        request,
        "ideas/overleg/overleg_confirm.html",
        {
            "overleg": overleg,
            "what": what,
            "item": item,
            "remarks": len(item.remarks.all()) if item is not None else 0,
            "invited": len(overleg.invitations.all()),
        },
    )


def _item(overleg, pk) -> OverlegItem:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    item = next((i for i in overleg.items.all() if i.pk == pk), None)
    if item is None:
        raise Http404
    return item


def _post_remark(request, overleg, runs, own):
    item = _item(overleg, request.POST.get("item"))
    if not permissions.may_prepare_item(request.user, item, overleg):
        raise PermissionDenied(_("Only the initiatiefgroep of the idea's area adds remarks."))
    form = ItemRemarkForm(request.POST, prefix=f"punt{item.pk}")
    if not form.is_valid():
        return _page(request, overleg, runs=runs, own=own, remark_forms={item.pk: form})
    services.prepare_item(
        item, actor=request.user, text=form.cleaned_data["text"], advice=form.cleaned_data["advice"]
    )
    messages.success(request, _("Your remark is saved. The invited and the wijkteam can read it."))
    return redirect(_url(overleg, f"punt-{item.pk}"))


def overleg_answer(request, token):
    """The link in the invitation: one button to say you come, one to say you do not. A button,
    not the link itself, so a mail scanner that opens links answers nothing."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("overleg", "user").prefetch_related(
            "overleg__smederijen"
        ),
        token=token,
    )
    overleg = invitation.overleg
    open_for_answers = permissions.takes_answers(overleg, timezone.now())
    if request.method == "POST" and open_for_answers and "answer" in request.POST:
        if not ratelimit.consume(request, action="overleg_answer"):
            messages.error(request, _("You tried too often. Wait a minute and try again."))
            return redirect(request.path)
        try:
            invitation = services.answer_invitation(
                invitation, comes=request.POST["answer"] == "ja"
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you: your answer is saved."))
        return redirect(request.path)
    return render(
        request,
        "ideas/overleg/overleg_answer.html",
        {
            "invitation": invitation,
            "overleg": overleg,
            "areas": ", ".join(area.name for area in overleg.smederijen.all()),
            "open_for_answers": open_for_answers,
        },
    )


@login_required
def overleg_ics(request, public_id):
    """The overleg as a calendar file, for whoever may see it."""
    overleg = _overleg(public_id)
    _may_see(request, overleg)
    response = HttpResponse(
        calendar.ics(overleg_appointment(overleg)), content_type=calendar.CONTENT_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="wijkoverleg.ics"'
    return response
