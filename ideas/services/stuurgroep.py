"""The stuurgroep's work on lange-klap plans: the positions of the partner organisations, meetings
with their agenda and who was there, each member's assessment, and the decision.

Who may do what is answered in ``teams.permissions`` (the seats are the stuurgroep's own); the
decision moves the plan through ``transition`` (the one door for every status change).
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ideas.workflow import Status
from smederijen.audit import audited
from smederijen.models import ProgrammeSettings
from teams import permissions as team_permissions
from teams.models import SeatType, Stuurgroep

from ..models import (
    AgendaItem,
    Assessment,
    Attendance,
    Idea,
    Meeting,
    OrganisationPosition,
    Recommendation,
    Scale,
    StuurgroepDecision,
)
from .mail import _mail_team
from .transitions import transition

logger = logging.getLogger("smederijen.events")


def _refuse_unless_with_the_stuurgroep(idea) -> None:
    if idea.status != Status.BIJ_STUURGROEP:
        raise ValidationError(
            _("This plan is not with the stuurgroep (any more): its status is ‘%(status)s’.")
            % {"status": idea.get_status_display()}
        )


@audited("stuurgroep.record_position", target="idea")
@transaction.atomic
def record_position(idea, organisation, *, actor, stance: str, explanation: str):
    """A partner organisation says whether it supports a plan, and why (its own staff only)."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not team_permissions.may_record_position(actor, organisation):
        raise PermissionDenied(_("Only the staff of this organisation record its position."))
    _refuse_unless_with_the_stuurgroep(idea)
    if stance not in OrganisationPosition.Stance.values:
        raise ValidationError(_("Choose the organisation's position."))
    if not explanation.strip():
        raise ValidationError(_("Explain the organisation's position in a few sentences."))
    position, _created = OrganisationPosition.objects.update_or_create(
        idea=idea,
        organisation=organisation,
        defaults={"stance": stance, "explanation": explanation.strip(), "recorded_by": actor},
    )
    logger.info("position recorded", extra={"idea": idea.pk, "organisation": organisation.pk})
    return position


@audited("stuurgroep.plan_meeting", target=None)
@transaction.atomic
def plan_meeting(stuurgroep: Stuurgroep, *, actor, starts_at, place: str, ideas=()):
    """The chair or a secretary plans a meeting; every seated member is on its attendance list."""
    if not team_permissions.may_run_meeting(actor):
        raise PermissionDenied(_("Only the chair and the secretaries plan meetings."))
    if not place.strip():
        raise ValidationError(_("Fill in where the meeting is."))
    meeting = Meeting.objects.create(stuurgroep=stuurgroep, starts_at=starts_at, place=place)
    list_attendance(meeting)
    for position, idea in enumerate(ideas):
        _refuse_unless_with_the_stuurgroep(idea)
        AgendaItem.objects.create(meeting=meeting, idea=idea, position=position)
    return meeting


def list_attendance(meeting) -> None:
    """Every seated member of the stuurgroep on the meeting's attendance list (absent at first)."""
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=member) for member in meeting.stuurgroep.members.seated()
    )


@audited("stuurgroep.record_attendance", target="meeting")
@transaction.atomic
def record_attendance(meeting, *, actor, present_members) -> None:
    """Who was there: the members in ``present_members`` present, the others absent."""
    if not team_permissions.may_run_meeting(actor):
        raise PermissionDenied(_("Only the chair and the secretaries record who was there."))
    if meeting.decisions.exists():
        raise ValidationError(
            _("A decision has been taken in this meeting: who was there is fixed.")
        )
    present = {member.pk for member in present_members}
    rows = list(Attendance.objects.select_for_update().filter(meeting=meeting))
    for row in rows:
        row.present = row.member_id in present
    Attendance.objects.bulk_update(rows, ["present"])


@audited("stuurgroep.assess", target="idea")
@transaction.atomic
def assess(
    idea,
    *,
    actor,
    residents_support=None,
    professionals_support=None,
    recommendation: str = "",
    remark: str = "",
    has_conflict: bool = False,
    conflict_note: str = "",
):
    """A member records their judgement of the plan's support and a recommendation, or declares a
    conflict of interest (and then does not judge). Changeable until the decision."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    member = team_permissions.seated_member(actor)
    if member is None:
        raise PermissionDenied(_("Only the members of the stuurgroep assess plans."))
    _refuse_unless_with_the_stuurgroep(idea)
    if has_conflict:
        if not conflict_note.strip():
            raise ValidationError(_("Say in a few words what the conflict of interest is."))
        values = {
            "has_conflict": True,
            "conflict_note": conflict_note.strip(),
            "residents_support": None,
            "professionals_support": None,
            "recommendation": "",
            "remark": "",
        }
    else:
        if residents_support not in Scale.values or professionals_support not in Scale.values:
            raise ValidationError(_("Judge the support of residents and of professionals."))
        if recommendation not in Recommendation.values:
            raise ValidationError(_("Choose your recommendation."))
        values = {
            "has_conflict": False,
            "conflict_note": "",
            "residents_support": residents_support,
            "professionals_support": professionals_support,
            "recommendation": recommendation,
            "remark": remark.strip(),
        }
    assessment, _created = Assessment.objects.update_or_create(
        idea=idea, member=member, defaults=values
    )
    return assessment


@dataclass(frozen=True)
class Quorum:
    seated: int
    present: int
    residents_present: int
    needed: int  # at least this many present
    ok: bool
    message: str


def quorum_of(meeting) -> Quorum:
    """Is the stuurgroep complete enough to decide? (The rule is set in admin.)"""
    settings = ProgrammeSettings.load()
    rows = list(meeting.attendance.select_related("member"))
    seated = len(rows)
    present = [row.member for row in rows if row.present]
    residents = sum(1 for member in present if member.seat_type == SeatType.RESIDENT)
    needed = seated * settings.quorum_percent // 100 + 1
    if len(present) < needed:
        message = _(
            "There is no quorum: %(present)s of the %(seated)s members are present, and at "
            "least %(needed)s are needed."
        ) % {"present": len(present), "seated": seated, "needed": needed}
        return Quorum(seated, len(present), residents, needed, False, message)
    if settings.quorum_needs_resident and residents == 0:
        message = _("There is no quorum: at least one resident member must be present.")
        return Quorum(seated, len(present), residents, needed, False, message)
    return Quorum(seated, len(present), residents, needed, True, "")


def voters_for(meeting, idea) -> int:
    """The members present who may vote on the plan: not those who declared a conflict."""
    present = set(meeting.attendance.filter(present=True).values_list("member_id", flat=True))
    conflicted = set(
        Assessment.objects.filter(idea=idea, has_conflict=True).values_list("member_id", flat=True)
    )
    return len(present - conflicted)


@audited("stuurgroep.decide", target="idea")
@transaction.atomic
def decide(
    idea,
    meeting,
    *,
    actor,
    outcome: str,
    public_reason: str,
    votes_for: int,
    votes_against: int,
    abstentions: int = 0,
):
    """The chair or the secretary records the stuurgroep's decision on a plan in a meeting.

    Positief → financiering; negatief → afgewezen; aanhouden → back to the wijkteam with the
    stuurgroep's questions (the public reason). The submitter and the area's team are mailed."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not team_permissions.may_decide_on(actor, idea):
        raise PermissionDenied(_("Only the chair or the secretary records the decision."))
    _refuse_unless_with_the_stuurgroep(idea)
    if not meeting.items.filter(idea=idea).exists():
        raise ValidationError(_("This plan is not on the agenda of this meeting."))
    if outcome not in Recommendation.values:
        raise ValidationError(_("Choose the decision."))
    if not public_reason.strip():
        raise ValidationError(
            _("Write the reason for the decision: the submitter and the public read it.")
        )
    quorum = quorum_of(meeting)
    if not quorum.ok:
        raise ValidationError(quorum.message)
    votes = [votes_for, votes_against, abstentions]
    if any(v is None or v < 0 for v in votes):
        raise ValidationError(_("Fill in the votes: 0 or more."))
    voters = voters_for(meeting, idea)
    if sum(votes) != voters:
        raise ValidationError(
            _(
                "%(voters)s members present may vote (members with a conflict of interest do "
                "not), but the votes add up to %(total)s."
            )
            % {"voters": voters, "total": sum(votes)}
        )
    if outcome == Recommendation.POSITIEF and votes_for <= votes_against:
        raise ValidationError(_("A positive decision needs more votes for than against."))
    if outcome == Recommendation.NEGATIEF and votes_against < votes_for:
        raise ValidationError(_("A negative decision cannot have more votes for than against."))
    decision = StuurgroepDecision.objects.create(
        idea=idea,
        meeting=meeting,
        outcome=outcome,
        public_reason=public_reason.strip(),
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        recorded_by=actor,
    )
    to_status = {
        Recommendation.POSITIEF: Status.FINANCIERING,
        Recommendation.NEGATIEF: Status.AFGEWEZEN,
        Recommendation.AANHOUDEN: Status.IN_BEHANDELING,
    }[outcome]
    transition(idea, to_status, actor=actor, public_text=public_reason)
    transaction.on_commit(lambda: _mail_team(idea.pk, "ideas/email/stuurgroep_decided_team.txt"))
    logger.info("stuurgroep decided", extra={"idea": idea.pk, "outcome": outcome})
    return decision
