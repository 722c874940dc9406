"""Who may open which money page: every role against every page, as a table.

Values: a status code, or LOGIN when the visitor is sent to the sign-in page first. Krakeel is
area A (team A, the gebiedsregisseur's area), Elim is area B (team B).
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from budgets import permissions, services
from ideas import services as idea_services
from tests.budgets.conftest import THIS_YEAR, grantable_idea, lange_klap_plan
from tests.teams.conftest import ROLES

pytestmark = pytest.mark.django_db

LOGIN = "login"
ALL_200 = [200] * 9
# Every member of staff (a role, admin access or superuser): the reports hold no personal data.
STAFF = [LOGIN, 403, 403, 200, 200, 200, 200, 200, 200]
# Support staff and the superuser see every area; a gebiedsregisseur and a team member their own.
AREA_A = [LOGIN, 403, 403, 200, 403, 403, 200, 200, 200]
AREA_B = [LOGIN, 403, 403, 403, 200, 403, 403, 200, 200]
# The list of budgets: staff who see the budget of at least one area (not a stuurgroep seat alone).
BUDGETS = [LOGIN, 403, 403, 200, 200, 403, 200, 200, 200]

#            anonymous, resident, ig member, team A, team B, stuurgroep, regisseur, onderst., super
PAGES = [
    ("/budgetten/", BUDGETS),
    ("/budgetten/?jaar=1999", BUDGETS),
    ("/budgetten/krakeel/{year}/", AREA_A),
    ("/budgetten/elim/{year}/", AREA_B),
    ("/budgetten/krakeel/1999/", [LOGIN] + [404] * 8),
    ("/rapportage/", STAFF),
    ("/rapportage/export.csv", STAFF),
    ("/rapportage/export.xlsx", STAFF),
    ("/rapportage/export.pdf", [404] * 9),
    ("/bewonersbudget/", ALL_200),
    ("/bewonersbudget/?jaar=nonsense", ALL_200),
    ("/bewonersbudget/krakeel/{year}/", ALL_200),
    ("/bewonersbudget/elim/{year}/", ALL_200),
    ("/bewonersbudget/krakeel/1999/", [404] * 9),
    ("/ideeen/{plan}/geld/", ALL_200),
    ("/ideeen/{hidden_plan}/geld/", [404] * 9),  # not published: not even for staff
]


@pytest.fixture
def money(people):
    regisseur = people["users"]["gebiedsregisseur"]
    member = people["users"]["wijkteam_a"]
    budget = services.open_budget(people["krakeel"], THIS_YEAR, "1000.00", actor=regisseur)
    services.open_budget(
        people["elim"], THIS_YEAR, "500.00", actor=people["users"]["ondersteuning"]
    )
    idea = grantable_idea(people["krakeel"], member, published=True)
    idea_services.grant_budget(idea, "250.00", actor=member)
    plan = lange_klap_plan(people["krakeel"], regisseur, lines=[("Park", Decimal("9000.00"))])
    hidden = lange_klap_plan(
        people["krakeel"], regisseur, lines=[("Pad", Decimal("100.00"))], published=False
    )
    return {"budget": budget, "plan": plan, "hidden_plan": hidden}


def outcome(response):
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/account/login/"):
        return LOGIN
    return response.status_code


def format_url(url, money):
    return url.format(
        year=THIS_YEAR,
        plan=money["plan"].reference,
        hidden_plan=money["hidden_plan"].reference,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url, expected", PAGES, ids=[row[0] for row in PAGES])
def test_role_opens_money_page(client, people, money, role, url, expected):
    user = people["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(format_url(url, money))
    assert outcome(response) == expected[ROLES.index(role)]


# Whose budgets each role finds in the list of budgets.
LISTED = {
    "anonymous": None,
    "resident": None,
    "initiatiefgroep_member": None,
    "wijkteam_a": {"krakeel"},
    "wijkteam_b": {"elim"},
    "stuurgroep_member": None,  # a seat alone gives no area: no budgets to list
    "gebiedsregisseur": {"krakeel"},  # his own areas
    "ondersteuning": {"krakeel", "elim"},
    "superuser": {"krakeel", "elim"},
}


@pytest.mark.parametrize("role", ROLES)
def test_the_list_holds_only_the_budgets_a_role_may_see(client, people, money, role):
    user = people["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get("/budgetten/")
    if LISTED[role] is None:
        assert outcome(response) in (LOGIN, 403)
        return
    assert response.status_code == 200
    listed = {row["budget"].smederij.slug for row in response.context["rows"]}
    assert listed == LISTED[role]
    # And each listed budget opens; the others do not.
    for slug in ("krakeel", "elim"):
        detail = client.get(f"/budgetten/{slug}/{THIS_YEAR}/")
        assert detail.status_code == (200 if slug in listed else 403), slug


# Who may do what with the money of Krakeel (area A): open/top up/correct, grant, keep sources.
MAY = {
    #                        manage, grant, funding
    "anonymous": (False, False, False),
    "resident": (False, False, False),
    "initiatiefgroep_member": (False, False, False),
    "wijkteam_a": (False, True, True),
    "wijkteam_b": (False, False, False),
    "stuurgroep_member": (False, False, False),
    "gebiedsregisseur": (True, True, True),
    "ondersteuning": (True, False, True),
    "superuser": (True, True, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_the_money_of_area_a(people, money, role):
    user = people["users"][role] or AnonymousUser()
    krakeel = people["krakeel"]
    manage, grant, funding = MAY[role]
    assert permissions.may_manage_budget(user, krakeel) is manage
    assert permissions.may_grant(user, krakeel) is grant
    assert permissions.may_manage_funding(user, money["plan"]) is funding

    # The services hold the same rules.
    budget = money["budget"]
    if manage:
        services.top_up(budget, "1.00", actor=user, reason="Extra")
    else:
        with pytest.raises(PermissionDenied):
            services.top_up(budget, "1.00", actor=user, reason="Extra")
    idea = grantable_idea(krakeel, people["users"]["wijkteam_a"], asked="10.00")
    if grant:
        idea_services.grant_budget(idea, "10.00", actor=user)
    else:
        with pytest.raises(PermissionDenied):
            idea_services.grant_budget(idea, "10.00", actor=user)
    budget.refresh_from_db()
    assert budget.available == services.ledger_balance(budget)
    assert budget.available == Decimal("750.00") + (1 if manage else 0) - (10 if grant else 0)
