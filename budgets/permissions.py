"""Who may see and change the money. The services hold the same rules for every change."""

from teams import permissions as team_permissions

from .services import (
    may_grant,
    may_manage_budget,
    may_manage_funding,
    may_see_budget,
)

__all__ = [
    "may_grant",
    "may_manage_budget",
    "may_manage_funding",
    "may_see_budget",
    "may_see_reports",
]


def may_see_reports(user) -> bool:
    """The year reports (no personal data in them): every member of staff."""
    return team_permissions.is_staff_member(user)


def budget_areas(user):
    """The Smederijen whose budgets this user sees: support staff all, others their areas."""
    return team_permissions.visible_areas(user)
