"""Every change to people and bodies goes through here: accounts, teams, groups, the stuurgroep's
seats (its work on plans is in ``ideas.services.stuurgroep``).

Each function checks what it needs, works in one transaction (locking the rows two people could
change at the same moment) and logs what happened. The audit trail of the admin issue will read
these events from one place.
"""

import logging
from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

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
