"""Roles: who is staff, with which role, for which areas. The audit trail needs them, so they
live on the ground floor; teams/permissions.py builds every other rule on them.

Roles are Django groups with Dutch names (made by migration `teams/0003`). Whether someone acts
for an area is a fact in the data: a member of a team that serves it (``teams__members__user``)
or the gebiedsregisseur of the Smederij. Both are read in one query and kept on the user object
for the request.
"""

import functools

from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast

from .models import Smederij
from .prepared import Prepared

GEBIEDSREGISSEUR = "Gebiedsregisseur"
ONDERSTEUNING = "Ondersteuning"
WIJKTEAMLID = "Wijkteamlid"
STUURGROEPLID = "Stuurgroeplid"
ROLE_GROUPS = (GEBIEDSREGISSEUR, ONDERSTEUNING, WIJKTEAMLID, STUURGROEPLID)


def role_names(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    if getattr(user, "_smederijen_roles", None) is None:
        _read_roles_and_areas(user)
    return user._smederijen_roles


def _read_roles_and_areas(user) -> None:
    """The user's role names and areas, in one query, kept on the user for the request."""
    if connection.vendor == "postgresql":
        rows = _roles_query(user.is_superuser).rows(user=user.pk)
    else:
        rows = _roles_and_areas(user.pk, user.is_superuser)
    roles, area_pks = set(), set()
    for what, value in rows:
        if what == "role":
            roles.add(value)
        else:
            area_pks.add(int(value))
    user._smederijen_roles = frozenset(roles)
    user._smederijen_area_ids = frozenset(area_pks)


def _roles_and_areas(user_pk: int, is_superuser: bool) -> QuerySet:
    """Rows (what, value): ("role", a group's name) and ("area", a Smederij's key as text)."""
    if is_superuser:
        areas = Smederij.objects.all()
    else:
        areas = Smederij.objects.filter(
            Q(gebiedsregisseur_id=user_pk) | Q(teams__members__user_id=user_pk)
        )
    return (
        Group.objects.filter(user__id=user_pk)
        .order_by()
        .annotate(what=Value("role"), value=F("name"))
        .values_list("what", "value")
        .union(
            areas.order_by()
            .annotate(what=Value("area"), value=Cast("pk", output_field=CharField()))
            .values_list("what", "value"),
            all=True,
        )
    )


@functools.cache
def _roles_query(is_superuser: bool) -> Prepared:
    """``_roles_and_areas`` as SQL built once per worker: it is read on every page of someone
    signed in, and building it took longer than PostgreSQL takes to answer it."""
    no_user = -1  # a mark: nobody has this key
    return Prepared(_roles_and_areas(no_user, is_superuser), user=no_user)


def has_role(user, role: str) -> bool:
    return role in role_names(user)


def is_staff_member(user) -> bool:
    """Staff of the programme: anyone with a role, admin access, or superuser rights."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or bool(role_names(user) & set(ROLE_GROUPS))


def area_ids(user) -> frozenset[int]:
    """The Smederijen this user acts for: as a team member or as their gebiedsregisseur."""
    if not user.is_authenticated:
        return frozenset()
    if getattr(user, "_smederijen_area_ids", None) is None:
        _read_roles_and_areas(user)
    return user._smederijen_area_ids


def audit_trail_for(user, events: QuerySet) -> QuerySet:
    """The rows of the audit trail this user may read: gebiedsregisseurs those of their own areas
    and of the programme as a whole; superusers all of them; nobody else."""
    if user.is_superuser:
        return events
    if not has_role(user, GEBIEDSREGISSEUR):
        return events.none()
    return events.filter(Q(smederij__isnull=True) | Q(smederij__in=area_ids(user)))
