"""The stuurgroep's meetings: the list, planning one, the meeting page with who is present and the
quorum, the print-friendly agenda with a short dossier per plan, and the decision on a plan.

Seated members and the secretaries (gebiedsregisseurs) read; the chair and the secretaries plan
meetings and record who is present; the decision is for whom ``may_decide_on`` allows. Every
change goes through ``ideas.services``.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ideas.workflow import Status
from smederijen import calendar
from teams import permissions as team_permissions
from teams.models import Stuurgroep

from . import services
from .meeting_forms import AttendanceForm, DecisionForm, MeetingForm
from .models import (
    AgendaItem,
    Attendance,
    Meeting,
    OrganisationPosition,
    StuurgroepDecision,
)

# A stuurgroep meeting has a start only; its calendar entry lasts this long.
MEETING_LENGTH = timedelta(hours=2)


def _signed_in(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("This page is for the members of the stuurgroep."))


def _meeting_url(meeting, anchor: str = "") -> str:
    url = reverse("ideas:meeting", kwargs={"pk": meeting.pk})
    return f"{url}#{anchor}" if anchor else url


def quorum_text(quorum) -> str:
    """The quorum in plain words: how many are present, and whether the stuurgroep can decide."""
    present = ngettext(
        "%(present)s of the %(seated)s members present",
        "%(present)s of the %(seated)s members present",
        quorum.seated,
    ) % {"present": quorum.present, "seated": quorum.seated}
    residents = ngettext(
        "%(count)s resident member",
        "%(count)s resident members",
        quorum.residents_present,
    ) % {"count": quorum.residents_present}
    if quorum.ok:
        return _("%(present)s, %(residents)s: the stuurgroep can decide.") % {
            "present": present,
            "residents": residents,
        }
    return _("%(present)s, %(residents)s. %(message)s") % {
        "present": present,
        "residents": residents,
        "message": quorum.message,
    }


def _meeting(pk, *, dossiers: bool = False):
    """The meeting with its agenda, who is present and the decisions, in a fixed number of
    queries however many plans are on the agenda."""
    item_queryset = AgendaItem.objects.select_related("idea__smederij")
    if dossiers:
        item_queryset = item_queryset.annotate(
            **services.support_annotations(idea="idea")
        ).prefetch_related(
            Prefetch(
                "idea__positions",
                queryset=OrganisationPosition.objects.select_related("organisation"),
            )
        )
    return get_object_or_404(
        Meeting.objects.select_related("stuurgroep").prefetch_related(
            Prefetch("items", queryset=item_queryset),
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related(
                    "member__organisation", "member__smederij"
                ),
            ),
            Prefetch("decisions", queryset=StuurgroepDecision.objects.all()),
        ),
        pk=pk,
    )


def meeting_list(request):
    if response := _signed_in(request):
        return response
    _refuse_unless(team_permissions.may_read_dossiers(request.user))
    meetings = Meeting.objects.annotate(
        plan_count=Count("items", distinct=True),
        decision_count=Count("decisions", distinct=True),
    ).order_by("-starts_at")
    return render(
        request,
        "ideas/stuurgroep/meetings/meeting_list.html",
        {"meetings": meetings, "may_plan": team_permissions.may_run_meeting(request.user)},
    )


def meeting_new(request):
    if response := _signed_in(request):
        return response
    _refuse_unless(team_permissions.may_run_meeting(request.user))
    stuurgroep = Stuurgroep.objects.first()
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid() and stuurgroep is not None:
            try:
                meeting = services.plan_meeting(
                    stuurgroep,
                    actor=request.user,
                    starts_at=form.starts_at(),
                    place=form.cleaned_data["place"],
                    ideas=list(form.cleaned_data["ideas"]),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The meeting is planned."))
                return redirect(_meeting_url(meeting))
    else:
        form = MeetingForm()
    return render(request, "ideas/stuurgroep/meetings/meeting_new.html", {"form": form})


def _plans(meeting, user):
    """Per plan on the agenda: the idea, its decision in this meeting, and what this user may do."""
    decisions = {d.idea_id: d for d in meeting.decisions.all()}
    # may_decide_on depends on the user and the plan's area only: asked once per area.
    may_decide_in_area = {}

    def may_decide(idea) -> bool:
        if idea.smederij_id not in may_decide_in_area:
            may_decide_in_area[idea.smederij_id] = team_permissions.may_decide_on(user, idea)
        return may_decide_in_area[idea.smederij_id]

    plans = []
    for item in meeting.items.all():
        idea = item.idea
        decision = decisions.get(idea.pk)
        plans.append(
            {
                "item": item,
                "idea": idea,
                "decision": decision,
                "may_decide": decision is None
                and idea.status == Status.BIJ_STUURGROEP
                and may_decide(idea),
            }
        )
    return plans


def _detail_context(request, meeting, *, attendance_form=None):
    may_run = team_permissions.may_run_meeting(request.user)
    rows = list(meeting.attendance.all())
    decided = bool(meeting.decisions.all())
    if may_run and not decided and attendance_form is None:
        attendance_form = AttendanceForm(rows=rows)
    quorum = services.quorum_of(meeting)
    return {
        "meeting": meeting,
        "plans": _plans(meeting, request.user),
        "rows": rows,
        "present_rows": [row for row in rows if row.present],
        "quorum": quorum,
        "quorum_text": quorum_text(quorum),
        "attendance_form": attendance_form if may_run and not decided else None,
        "decided": decided,
    }


def meeting_detail(request, pk):
    if response := _signed_in(request):
        return response
    _refuse_unless(team_permissions.may_read_dossiers(request.user))
    meeting = _meeting(pk)
    return render(
        request, "ideas/stuurgroep/meetings/meeting_detail.html", _detail_context(request, meeting)
    )


def meeting_agenda(request, pk):
    if response := _signed_in(request):
        return response
    _refuse_unless(team_permissions.may_read_dossiers(request.user))
    meeting = _meeting(pk, dossiers=True)
    return render(
        request,
        "ideas/stuurgroep/meetings/meeting_agenda.html",
        {"meeting": meeting, "items": meeting.items.all()},
    )


def meeting_ics(request, pk):
    """The meeting as a calendar file: the same calendar files as the wijkoverleg's
    (smederijen.calendar), for the stuurgroep's members and secretaries."""
    if response := _signed_in(request):
        return response
    _refuse_unless(team_permissions.may_read_dossiers(request.user))
    meeting = get_object_or_404(Meeting.objects.select_related("stuurgroep"), pk=pk)
    appointment = calendar.Appointment(
        uid=f"stuurgroep-{meeting.pk}@desmederijen.nl",
        sequence=0,
        starts_at=meeting.starts_at,
        ends_at=meeting.starts_at + MEETING_LENGTH,
        summary=_("Meeting of the stuurgroep"),
        place=meeting.place,
        url=request.build_absolute_uri(_meeting_url(meeting)),
    )
    response = HttpResponse(calendar.ics(appointment), content_type=calendar.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="stuurgroep.ics"'
    return response


def meeting_attendance(request, pk):
    if response := _signed_in(request):
        return response
    _refuse_unless(team_permissions.may_run_meeting(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    if request.method != "POST":
        return redirect(_meeting_url(meeting, "aanwezig"))
    rows = list(meeting.attendance.select_related("member__organisation", "member__smederij"))
    form = AttendanceForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            services.record_attendance(
                meeting, actor=request.user, present_members=form.present_members()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Who is present is saved."))
        return redirect(_meeting_url(meeting, "aanwezig"))
    meeting = _meeting(pk)
    context = _detail_context(request, meeting, attendance_form=form)
    return render(request, "ideas/stuurgroep/meetings/meeting_detail.html", context)


def meeting_decision(request, pk, public_id):
    if response := _signed_in(request):
        return response
    _refuse_unless(team_permissions.may_read_dossiers(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    item = get_object_or_404(
        AgendaItem.objects.select_related("idea__smederij"),
        meeting=meeting,
        idea__public_id=public_id,
    )
    idea = item.idea
    _refuse_unless(team_permissions.may_decide_on(request.user, idea))
    existing = meeting.decisions.filter(idea=idea).first()
    if existing is not None:
        messages.info(request, _("The decision on this plan has been recorded already."))
        return redirect(_meeting_url(meeting))
    quorum = services.quorum_of(meeting)
    voters = services.voters_for(meeting, idea)
    if request.method == "POST":
        form = DecisionForm(request.POST, voters=voters)
        if form.is_valid():
            try:
                services.decide(
                    idea,
                    meeting,
                    actor=request.user,
                    outcome=form.cleaned_data["outcome"],
                    public_reason=form.cleaned_data["public_reason"],
                    votes_for=form.cleaned_data["votes_for"],
                    votes_against=form.cleaned_data["votes_against"],
                    abstentions=form.cleaned_data["abstentions"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _(
                        "The decision on ‘%(title)s’ is recorded. The submitter and the team "
                        "get a mail."
                    )
                    % {"title": idea.title},
                )
                return redirect(_meeting_url(meeting, f"plan-{idea.pk}"))
    else:
        form = DecisionForm(voters=voters)
    return render(
        request,
        "ideas/stuurgroep/meetings/meeting_decision.html",
        {
            "meeting": meeting,
            "idea": idea,
            "form": form,
            "quorum": quorum,
            "quorum_text": quorum_text(quorum),
            "voters": voters,
        },
    )
