"""Who may see and do what: the one place that answers it.

Roles are Django groups with Dutch names (created by migration `0003_role_groups`). Whether someone
acts for an area is not a group but a fact in the data: a member of the area's team, or the
gebiedsregisseur assigned to the Smederij. Superusers may do everything.

Every predicate takes the user first and is cheap to call twice in one request: the role names
and areas of a user are read once and kept on the user object for the request.
"""

from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast

from smederijen.models import Smederij

GEBIEDSREGISSEUR = "Gebiedsregisseur"
ONDERSTEUNING = "Ondersteuning"
WIJKTEAMLID = "Wijkteamlid"
STUURGROEPLID = "Stuurgroeplid"
ROLE_GROUPS = (GEBIEDSREGISSEUR, ONDERSTEUNING, WIJKTEAMLID, STUURGROEPLID)


def _role_names(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    if getattr(user, "_smederijen_roles", None) is None:
        _read_roles_and_areas(user)
    return user._smederijen_roles


def _read_roles_and_areas(user) -> None:
    """The user's role names and areas, in one query, kept on the user for the request."""
    if user.is_superuser:
        areas = Smederij.objects.all()
    else:
        areas = Smederij.objects.filter(Q(gebiedsregisseur=user) | Q(teams__members__user=user))
    rows = (
        user.groups.order_by()
        .annotate(what=Value("role"), value=F("name"))
        .values_list("what", "value")
        .union(
            areas.order_by()
            .annotate(what=Value("area"), value=Cast("pk", output_field=CharField()))
            .values_list("what", "value"),
            all=True,
        )
    )
    roles, area_pks = set(), set()
    for what, value in rows:
        if what == "role":
            roles.add(value)
        else:
            area_pks.add(int(value))
    user._smederijen_roles = frozenset(roles)
    user._smederijen_area_ids = frozenset(area_pks)


def has_role(user, role: str) -> bool:
    return role in _role_names(user)


def is_staff_member(user) -> bool:
    """Staff of the programme: anyone with a role, admin access, or superuser rights."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or bool(_role_names(user) & set(ROLE_GROUPS))


def needs_second_factor(user) -> bool:
    """Staff see residents' personal data: they sign in with a password and an app code (TOTP)."""
    return is_staff_member(user)


def is_office_staff(user) -> bool:
    """Gebiedsregisseurs, support staff and superusers: they see everything of the programme."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(_role_names(user) & {GEBIEDSREGISSEUR, ONDERSTEUNING})


def area_ids(user) -> frozenset[int]:
    """The Smederijen this user acts for: as a team member or as their gebiedsregisseur."""
    if not user.is_authenticated:
        return frozenset()
    if getattr(user, "_smederijen_area_ids", None) is None:
        _read_roles_and_areas(user)
    return user._smederijen_area_ids


def areas_for(user) -> QuerySet:
    """Which areas may this user act on? (Everything of them: ideas, budgets, teams.)"""
    return Smederij.objects.filter(pk__in=area_ids(user))


def acts_for_area(user, smederij) -> bool:
    """May this user do the staff work of this Smederij?"""
    return smederij.pk in area_ids(user)


def can_see_initiatiefgroep_members(user, initiatiefgroep, *, is_member: bool) -> bool:
    """Member names are for the members and for staff of the area (and the office) only."""
    return is_member or is_office_staff(user) or acts_for_area(user, initiatiefgroep.smederij)


def can_join_initiatiefgroep(user, initiatiefgroep) -> bool:
    """Anyone may join: every signed-in person, while the group is active."""
    return user.is_authenticated and initiatiefgroep.is_active


def can_see_stuurgroep_vacancies(user) -> bool:
    """Staff see which seats are vacant and which terms end."""
    return is_staff_member(user)


# The stuurgroep's work on plans ---------------------------------------------------------------


def seated_member(user):
    """The user's seat in the stuurgroep now, or None."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_smederijen_seat"):  # asked often on one page: once per request
        from .models import StuurgroepMember

        user._smederijen_seat = StuurgroepMember.objects.seated().filter(user=user).first()
    return user._smederijen_seat


def organisation_ids(user) -> frozenset[int]:
    """The partner organisations this user works for (in a team or on a stuurgroep seat)."""
    if not user.is_authenticated:
        return frozenset()
    from .models import StuurgroepMember, TeamMember

    return frozenset(
        TeamMember.objects.filter(user=user, organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    ) | frozenset(
        StuurgroepMember.objects.seated()
        .filter(user=user, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
    )


def may_record_position(user, organisation) -> bool:
    """An organisation's position is recorded by its own staff only."""
    return organisation.pk in organisation_ids(user)


def may_read_dossiers(user) -> bool:
    """The dossiers of plans with the stuurgroep: its seated members (and its secretaries, the
    gebiedsregisseurs, for the plans of their areas: see may_run_meeting)."""
    return seated_member(user) is not None or has_role(user, GEBIEDSREGISSEUR)


def may_run_meeting(user) -> bool:
    """The chair and the secretaries (gebiedsregisseurs) plan meetings and record decisions."""
    member = seated_member(user)
    return bool(member and member.is_chair) or has_role(user, GEBIEDSREGISSEUR)


def may_decide_on(user, idea) -> bool:
    """The chair, or the secretary of the plan's area (its gebiedsregisseur), records a decision."""
    member = seated_member(user)
    if member and member.is_chair:
        return True
    return has_role(user, GEBIEDSREGISSEUR) and idea.smederij_id in area_ids(user)
