"""Every change to people and bodies goes through here: accounts, teams, groups, the stuurgroep.

Each function checks what it needs, works in one transaction (locking the rows two people could
change at the same moment) and logs what happened. The audit trail of the admin issue will read
these events from one place.
"""

import logging
from dataclasses import dataclass
from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from smederijen.audit import audited

from . import permissions
from .models import (
    Initiatiefgroep,
    Membership,
    Organisation,
    SeatType,
    Stuurgroep,
    StuurgroepMember,
    Team,
    TeamMember,
    User,
)

logger = logging.getLogger("smederijen.events")


# Accounts -------------------------------------------------------------------------------------


def get_or_create_resident_account(email: str) -> tuple[User, bool]:
    """A resident's account is made the first time they ask for a sign-in code.

    It has no password: residents sign in with the code that is mailed to them. The address
    counts as confirmed only once they have entered that code (allauth marks it then).
    """
    email = User.objects.normalize_email(email).lower()
    try:
        with transaction.atomic():
            user, created = User.objects.get_or_create(
                email__iexact=email, defaults={"email": email}
            )
    except IntegrityError:  # two requests for the same new address at the same moment
        return User.objects.get(email__iexact=email), False
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        # Unconfirmed until the code from the mail is typed: allauth then marks it verified.
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"primary": True, "verified": False}
        )
        logger.info("account created on first sign-in request", extra={"user": user.pk})
    return user, created


def update_own_details(user: User, *, first_name: str, last_name: str) -> None:
    """A resident changes their own name (the e-mail address changes through a confirmed code)."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    logger.info("own details changed", extra={"user": user.pk})


def sync_role_groups(user: User | None) -> None:
    """Keep the Wijkteamlid and Stuurgroeplid groups true to the data that makes someone one.

    Being in a team or seated in the stuurgroep is the fact; the group carries the permissions.
    """
    if user is None:
        return
    derived = {
        permissions.WIJKTEAMLID: TeamMember.objects.filter(user=user).exists(),
        permissions.STUURGROEPLID: StuurgroepMember.objects.seated().filter(user=user).exists(),
    }
    for name, should_have in derived.items():
        group = Group.objects.get(name=name)
        if should_have:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    for attr in ("_smederijen_roles", "_smederijen_area_ids", "_smederijen_seat"):
        user.__dict__.pop(attr, None)


# Teams ----------------------------------------------------------------------------------------


@transaction.atomic
def add_team_member(
    team: Team,
    *,
    name: str,
    organisation: Organisation,
    function: str,
    kern_role: str = "",
    user: User | None = None,
    phone: str = "",
    email: str = "",
    contact_route: str = "",
    position: int = 0,
) -> TeamMember:
    """Add someone to a team; a kernteam role must fit the organisation and be free."""
    Team.objects.select_for_update().get(pk=team.pk)
    member = TeamMember(
        team=team,
        name=name,
        organisation=organisation,
        function=function,
        kern_role=kern_role,
        user=user,
        phone=phone,
        email=email,
        contact_route=contact_route,
        position=position,
    )
    member.full_clean()  # the kernteam rule (organisation kind) and the one-per-role constraint
    member.save()
    sync_role_groups(user)
    logger.info("team member added", extra={"team": team.pk, "member": member.pk})
    return member


# Initiatiefgroepen ----------------------------------------------------------------------------


def join_initiatiefgroep(initiatiefgroep: Initiatiefgroep, user: User) -> bool:
    """Anyone signed in may join. Joining twice is harmless: returns whether they were added."""
    if not permissions.can_join_initiatiefgroep(user, initiatiefgroep):
        raise PermissionDenied
    with transaction.atomic():
        _membership, created = Membership.objects.get_or_create(
            initiatiefgroep=initiatiefgroep, user=user
        )
    if created:
        logger.info("joined initiatiefgroep", extra={"group": initiatiefgroep.pk, "user": user.pk})
    return created


def leave_initiatiefgroep(initiatiefgroep: Initiatiefgroep, user: User) -> bool:
    """Leave the group; returns whether they were a member."""
    if not user.is_authenticated:
        raise PermissionDenied
    deleted, _rows = Membership.objects.filter(initiatiefgroep=initiatiefgroep, user=user).delete()
    if deleted:
        logger.info("left initiatiefgroep", extra={"group": initiatiefgroep.pk, "user": user.pk})
    return bool(deleted)


# Stuurgroep -----------------------------------------------------------------------------------


def seat_full_message(seat_type: str) -> str:
    if seat_type == SeatType.ORGANISATION:
        return _(
            "All six seats for the organisations are taken. Someone has to step down before "
            "another organisation member can be seated."
        )
    return _(
        "All four seats for residents are taken. Someone has to step down before another "
        "resident can be seated."
    )


def free_seats(stuurgroep: Stuurgroep, seat_type: str, taken: set[int] | None = None) -> list[int]:
    if taken is None:
        taken = set(stuurgroep.members.seated().values_list("seat", flat=True))
    return [n for n in Stuurgroep.seat_numbers(seat_type) if n not in taken]


@transaction.atomic
def seat_stuurgroep_member(
    stuurgroep: Stuurgroep,
    *,
    seat_type: str,
    name: str,
    term_start: date,
    term_end: date | None = None,
    organisation: Organisation | None = None,
    smederij=None,
    user: User | None = None,
    is_chair: bool = False,
) -> StuurgroepMember:
    """Seat someone in the first free seat of their type; refuse when all are taken."""
    Stuurgroep.objects.select_for_update().get(pk=stuurgroep.pk)
    free = free_seats(stuurgroep, seat_type)
    if not free:
        raise ValidationError(seat_full_message(seat_type))
    member = StuurgroepMember(
        stuurgroep=stuurgroep,
        seat=free[0],
        seat_type=seat_type,
        name=name,
        organisation=organisation if seat_type == SeatType.ORGANISATION else None,
        smederij=smederij if seat_type == SeatType.RESIDENT else None,
        user=user,
        is_chair=is_chair,
        term_start=term_start,
        term_end=term_end,
    )
    member.full_clean()
    member.save()
    sync_role_groups(user)
    logger.info("stuurgroep member seated", extra={"member": member.pk, "seat": member.seat})
    return member


@transaction.atomic
def vacate_stuurgroep_seat(member: StuurgroepMember, *, on: date) -> StuurgroepMember:
    """A member steps down: the seat becomes vacant, the record of their term stays."""
    member = StuurgroepMember.objects.select_for_update().get(pk=member.pk)
    if not member.is_seated:
        raise ValidationError(_("This member has already stepped down."))
    member.is_seated = False
    if member.term_end is None or member.term_end > on:
        member.term_end = max(on, member.term_start)
    member.save(update_fields=["is_seated", "term_end"])
    sync_role_groups(member.user)
    logger.info("stuurgroep seat vacated", extra={"member": member.pk, "seat": member.seat})
    return member


def seat_overview(stuurgroep: Stuurgroep, members=None) -> list[dict]:
    """All ten seats in order, each with its seated member or None when vacant."""
    if members is None:
        members = list(stuurgroep.members.seated().select_related("organisation", "smederij"))
    by_seat = {m.seat: m for m in members if m.is_seated}
    seats = []
    for seat_type in (SeatType.ORGANISATION, SeatType.RESIDENT):
        for number in Stuurgroep.seat_numbers(seat_type):
            seats.append({"number": number, "seat_type": seat_type, "member": by_seat.get(number)})
    return seats


# The stuurgroep's work on lange-klap plans ------------------------------------------------------
# Positions of the organisations, meetings, assessments and the decision. The decision moves the
# plan through ideas.services.transition (the one door for every status change).


def _refuse_unless_with_the_stuurgroep(idea) -> None:
    from ideas.workflow import Status

    if idea.status != Status.BIJ_STUURGROEP:
        raise ValidationError(
            _("This plan is not with the stuurgroep (any more): its status is ‘%(status)s’.")
            % {"status": idea.get_status_display()}
        )


@audited("stuurgroep.record_position", target="idea")
@transaction.atomic
def record_position(idea, organisation, *, actor, stance: str, explanation: str):
    """A partner organisation says whether it supports a plan, and why (its own staff only)."""
    from ideas.models import Idea

    from .models import OrganisationPosition

    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not permissions.may_record_position(actor, organisation):
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
    from .models import AgendaItem, Meeting

    if not permissions.may_run_meeting(actor):
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
    from .models import Attendance

    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=member) for member in meeting.stuurgroep.members.seated()
    )


@audited("stuurgroep.record_attendance", target="meeting")
@transaction.atomic
def record_attendance(meeting, *, actor, present_members) -> None:
    """Who was there: the members in ``present_members`` present, the others absent."""
    from .models import Attendance

    if not permissions.may_run_meeting(actor):
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
    from ideas.models import Idea

    from .models import Assessment, Recommendation, Scale

    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    member = permissions.seated_member(actor)
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
    from smederijen.models import ProgrammeSettings

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
    from .models import Assessment

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
    from ideas import services as idea_services
    from ideas.models import Idea
    from ideas.workflow import Status

    from .models import Recommendation, StuurgroepDecision

    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not permissions.may_decide_on(actor, idea):
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
    idea_services.transition(idea, to_status, actor=actor, public_text=public_reason)
    transaction.on_commit(
        lambda: idea_services._mail_team(idea.pk, "ideas/email/stuurgroep_decided_team.txt")
    )
    logger.info("stuurgroep decided", extra={"idea": idea.pk, "outcome": outcome})
    return decision
