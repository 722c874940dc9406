"""Who may see and do what: the one place that answers it.

Roles are Django groups with Dutch names (created by migration `0003_role_groups`). Whether someone
acts for an area is not a group but a fact in the data: a member of the area's team, or the
gebiedsregisseur assigned to the Smederij. Superusers may do everything.

Every predicate takes the user first and is cheap to call twice in one request: the role names
and areas of a user are read once and kept on the user object for the request.
"""

from django.db.models import Q, QuerySet

from smederijen.models import Smederij

# The roles live on the ground floor, where the audit trail reads them; every rule of the portal
# asks here, so this module names them too.
from smederijen.permissions import GEBIEDSREGISSEUR as GEBIEDSREGISSEUR
from smederijen.permissions import ONDERSTEUNING as ONDERSTEUNING
from smederijen.permissions import ROLE_GROUPS as ROLE_GROUPS
from smederijen.permissions import STUURGROEPLID as STUURGROEPLID
from smederijen.permissions import WIJKTEAMLID as WIJKTEAMLID
from smederijen.permissions import area_ids as area_ids
from smederijen.permissions import has_role as has_role
from smederijen.permissions import is_staff_member as is_staff_member
from smederijen.permissions import role_names

from .models import StuurgroepMember, TeamMember, User


def may_use_admin(user) -> bool:
    """Admin (/beheer/): accounts with admin access, as Django's ``AdminSite.has_permission``
    asks (the office: gebiedsregisseurs and support staff; superusers)."""
    return user.is_active and user.is_staff


def needs_second_factor(user) -> bool:
    """Staff see residents' personal data: they sign in with a password and an app code (TOTP)."""
    return is_staff_member(user)


def is_office_staff(user) -> bool:
    """Gebiedsregisseurs, support staff and superusers: the office, who work in admin. Which
    areas' personal data and money they see is ``visible_area_ids``."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(role_names(user) & {GEBIEDSREGISSEUR, ONDERSTEUNING})


def sees_every_area(user) -> bool:
    """Support staff and superusers keep the books and the accounts of the whole programme."""
    return user.is_authenticated and (user.is_superuser or has_role(user, ONDERSTEUNING))


def visible_area_ids(user) -> frozenset[int] | None:
    """The areas whose personal data and money this user may see, or None for every area.

    The one rule of the portal's pages, admin's lists, change and history pages, its exports and
    the files: support staff and superusers see every area; a gebiedsregisseur and a team member
    the areas they act for (``area_ids``); everyone else none."""
    return None if sees_every_area(user) else area_ids(user)


def may_see_area(user, smederij_id: int | None) -> bool:
    """May this user see the personal data and money of this area? (No area: support only.)"""
    areas = visible_area_ids(user)
    return areas is None or smederij_id in areas


def of_visible_areas(user, queryset: QuerySet, path: str = "smederij") -> QuerySet:
    """The rows of ``queryset`` whose area (reached by the lookup ``path``) the user may see."""
    areas = visible_area_ids(user)
    return queryset if areas is None else queryset.filter(**{f"{path}__in": areas})


def visible_areas(user) -> QuerySet:
    """The Smederijen whose personal data and money this user may see."""
    return of_visible_areas(user, Smederij.objects.all(), "pk")


def of_visible_accounts(user, queryset: QuerySet) -> QuerySet:
    """The accounts this user may find in admin. An account belongs to no area, so the same rule
    reads: support staff and superusers (who keep the accounts) find all; a gebiedsregisseur the
    programme's staff (with admin access, a role, a team or a stuurgroep seat) and the residents
    of his areas (who sent an idea there or joined its initiatiefgroep), nobody else."""
    areas = visible_area_ids(user)
    if areas is None:
        return queryset
    linked = queryset.model._default_manager.filter(
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(groups__isnull=False)
        | Q(team_memberships__isnull=False)
        | Q(stuurgroep_seats__isnull=False)
        | Q(ideas__smederij__in=areas)
        | Q(memberships__initiatiefgroep__smederij__in=areas)
    )
    return queryset.filter(pk__in=linked.values("pk"))


def may_change_team(user, team) -> bool:
    """A team gives its members the areas it serves: a gebiedsregisseur changes only teams that
    serve his own areas and nothing else, and never which areas a team serves (``None``: a new
    team, which serves no area yet). Support staff and superusers change every team."""
    areas = visible_area_ids(user)
    if areas is None or team is None:
        return True
    return {area.pk for area in team.smederijen.all()} <= areas


def may_change_account(user, account) -> bool:
    """Support staff and superusers keep every account. A gebiedsregisseur may mend his own
    account and those of the residents he finds (``of_visible_accounts``), not another staff
    member's: a new e-mail address or password there would be a way into that person's rights."""
    if account is None or sees_every_area(user) or account.pk == user.pk:
        return True
    return not is_staff_member(account)


def may_change_rights(user) -> bool:
    """Who may give an account admin access or a role: support staff and superusers (giving a
    role or admin access widens what someone sees; a gebiedsregisseur could otherwise widen his
    own). Superuser rights and single permissions: superusers only (see teams/admin.py)."""
    return sees_every_area(user)


def areas_for(user) -> QuerySet:
    """Which areas may this user act on? (Everything of them: ideas, budgets, teams.)"""
    return Smederij.objects.filter(pk__in=area_ids(user))


def people_acting_for(smederij_ids) -> QuerySet:
    """The active accounts that act for any of these areas: members of a team that serves one,
    and the area's gebiedsregisseur (the same fact ``area_ids`` reads for one person)."""
    return (
        User.objects.filter(
            Q(team_memberships__team__smederijen__in=smederij_ids)
            | Q(regie_smederijen__in=smederij_ids),
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def acts_for_area(user, smederij) -> bool:
    """May this user do the staff work of this Smederij?"""
    return smederij.pk in area_ids(user)


def can_see_initiatiefgroep_members(user, initiatiefgroep, *, is_member: bool) -> bool:
    """Member names are for the members and for staff of the area (and support staff) only."""
    return is_member or may_see_area(user, initiatiefgroep.smederij_id)


def can_join_initiatiefgroep(user, initiatiefgroep) -> bool:
    """Anyone may join: every signed-in person, while the group is active."""
    return user.is_authenticated and initiatiefgroep.is_active


def can_see_stuurgroep_vacancies(user) -> bool:
    """Staff see which seats are vacant and which terms end."""
    return is_staff_member(user)


# The stuurgroep's work on plans ---------------------------------------------------------------


def seated_member(user):
    """The user's seat in the stuurgroep now, or None. A seat comes with the role Stuurgroeplid
    (services.sync_role_groups, on every change of a seat), read with the user's other roles:
    for anyone else (a wijkteam member opening a staff page) no query is needed."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_smederijen_seat"):  # asked often on one page: once per request
        if user.is_superuser or has_role(user, STUURGROEPLID):
            user._smederijen_seat = StuurgroepMember.objects.seated().filter(user=user).first()
        else:
            user._smederijen_seat = None
    return user._smederijen_seat


def organisation_ids(user) -> frozenset[int]:
    """The partner organisations this user works for (in a team or on a stuurgroep seat)."""
    if not user.is_authenticated:
        return frozenset()
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
