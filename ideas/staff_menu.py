"""The staff menu in the header: exactly the staff pages this person's roles may open, each asked
of the predicate its page asks (``ideas.permissions``, ``budgets.permissions``,
``teams.permissions``). Residents and visitors get no staff menu (and no query for it)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from budgets import permissions as budget_permissions
from teams import permissions as team_permissions

from . import permissions


@dataclass(frozen=True)
class StaffPage:
    url_name: str
    label: str
    explanation: str
    may_open: object  # user -> bool


STAFF_PAGES = [
    StaffPage(
        "ideas:my-work",
        _("My work"),
        _("what waits for you today"),
        team_permissions.is_staff_member,
    ),
    StaffPage(
        "ideas:review-queue",
        _("Werkvoorraad"),
        _("the ideas of your areas that wait for the wijkteam"),
        permissions.may_open_queue,
    ),
    StaffPage(
        "ideas:overleg-list",
        _("Wijkoverleg"),
        _("plan the overleg with the initiatiefgroep, its agenda and who comes"),
        permissions.may_plan_overleg,
    ),
    StaffPage(
        "ideas:dossier-list",
        _("Dossiers"),
        _("the lange-klap plans with the stuurgroep"),
        team_permissions.may_read_dossiers,
    ),
    StaffPage(
        "ideas:meeting-list",
        _("Meetings"),
        _("the meetings of the stuurgroep, their agenda and decisions"),
        team_permissions.may_read_dossiers,
    ),
    StaffPage(
        "budgets:budget-list",
        _("Budgets"),
        _("the bewonersbudgets of your areas, with their grants and ledger"),
        budget_permissions.may_list_budgets,
    ),
    StaffPage(
        "ideas:report",
        _("Reports"),
        _("the figures of a year, to download or print"),
        budget_permissions.may_see_reports,
    ),
    StaffPage(
        "admin:index",
        _("Admin"),
        _("teams, budgets, texts, accounts and the audit trail"),
        team_permissions.may_use_admin,
    ),
]


def staff_pages(user, path: str = "") -> list[dict]:
    """The staff pages this user may open, in menu order; ``current`` marks the one at ``path``."""
    if not team_permissions.is_staff_member(user):
        return []
    pages = []
    for page in STAFF_PAGES:
        if page.may_open(user):
            url = reverse(page.url_name)
            pages.append(
                {
                    "url": url,
                    "label": page.label,
                    "explanation": page.explanation,
                    "current": path.startswith(url),
                }
            )
    return pages


def staff_menu(request) -> dict:
    """Context processor: ``staff_menu``, read only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None:
        return {"staff_menu": []}
    return {"staff_menu": SimpleLazyObject(lambda: staff_pages(user, getattr(request, "path", "")))}
