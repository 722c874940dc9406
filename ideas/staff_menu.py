"""The staff menu in the header: exactly the staff pages this person's roles may open, each asked
of the predicate its page asks (``ideas.permissions``, ``budgets.permissions``,
``teams.permissions``). Residents and visitors get no staff menu (and no query for it)."""

import functools
from dataclasses import dataclass

from django.urls import get_script_prefix, reverse
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


class StaffMenu(list):
    """The pages of the menu; ``key`` names them and the current one (base.html draws the menu
    once per worker for each key and language)."""

    key: tuple = ()


@functools.cache
def _url(url_name: str, prefix: str) -> str:
    return reverse(url_name)


def staff_pages(user, path: str = "") -> StaffMenu:
    """The staff pages this user may open, in menu order; ``current`` marks the one at ``path``."""
    pages = StaffMenu()
    if not team_permissions.is_staff_member(user):
        return pages
    prefix = get_script_prefix()
    for page in STAFF_PAGES:
        if page.may_open(user):
            url = _url(page.url_name, prefix)
            pages.append(
                {
                    "url": url,
                    "label": page.label,
                    "explanation": page.explanation,
                    "current": path.startswith(url),
                }
            )
            pages.key += ((url, pages[-1]["current"]),)
    return pages


def staff_menu(request) -> dict:
    """Context processor: ``staff_menu``, read only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None:
        return {"staff_menu": []}
    return {"staff_menu": SimpleLazyObject(lambda: staff_pages(user, getattr(request, "path", "")))}
