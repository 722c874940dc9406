"""A new year in one step (issue 20, item 4): the budgets of all areas opened with last year's
amounts proposed and editable, checked before saving; the voorwaarden copied to the next year."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import Client

from budgets import services
from budgets.models import Budget, BudgetEntry, EntryKind
from ideas import services as idea_services
from ideas.models import Condition
from smederijen.models import AuditEvent
from tests.budgets.conftest import THIS_YEAR
from tests.factories import SmederijFactory
from tests.ideas.factories import ConditionFactory
from tests.teams.conftest import ROLES

NEXT_YEAR = THIS_YEAR + 1
OPEN_NEXT = f"/budgetten/openen/{NEXT_YEAR}/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year(people, office):
    """Krakeel € 1.000 topped up with € 250; Elim € 500: this year's budgets."""
    krakeel = services.open_budget(people["krakeel"], THIS_YEAR, "1000.00", actor=office)
    services.top_up(krakeel, "250.00", actor=office, reason="Extra voor de zomer")
    services.open_budget(people["elim"], THIS_YEAR, "500.00", actor=office)


def test_last_years_amounts_are_proposed(client, people, office, this_year):
    client.force_login(office)
    html = client.get(OPEN_NEXT).content.decode()
    assert re.search(r'name="bedrag_krakeel"[^>]*value="1250,00"', html)
    assert re.search(r'name="bedrag_elim"[^>]*value="500,00"', html)
    assert "Vorig jaar: €\xa01.250,00" in html


def test_opening_is_checked_first_then_saved_all_at_once(client, people, office, this_year):
    client.force_login(office)
    data = {"bedrag_krakeel": "1.300,00", "bedrag_elim": "", "check": "1"}
    response = client.post(OPEN_NEXT, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Controleer voor je ze opent" in html and "Er is nog niets bewaard." in html
    assert "€\xa01.300,00" in html and "Elim" in html  # Elim is skipped: said so
    assert not Budget.objects.filter(year=NEXT_YEAR).exists()

    # "Change the amounts" goes back to the form with what was typed.
    response = client.post(OPEN_NEXT, {**data, "check": "", "edit": "1"})
    assert re.search(r'name="bedrag_krakeel"[^>]*value="1.300,00"', response.content.decode())

    response = client.post(OPEN_NEXT, {**data, "confirm": "1"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/budgetten/?jaar={NEXT_YEAR}"
    budget = Budget.objects.get(year=NEXT_YEAR)
    assert budget.smederij == people["krakeel"] and budget.available == Decimal("1300.00")
    assert BudgetEntry.objects.filter(budget=budget, kind=EntryKind.OPENING).count() == 1
    assert AuditEvent.objects.filter(action="budgets.open").count() == 3  # 2 this year, 1 now
    # The page now says Krakeel is open and offers only Elim.
    html = client.get(OPEN_NEXT).content.decode()
    assert 'name="bedrag_krakeel"' not in html and 'name="bedrag_elim"' in html


def test_wrong_amounts_get_an_error_next_to_the_field_and_nothing_is_saved(
    client, people, office, this_year
):
    client.force_login(office)
    response = client.post(
        OPEN_NEXT, {"bedrag_krakeel": "twaalf", "bedrag_elim": "0", "confirm": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "bijvoorbeeld 250 of 1.250,50" in html
    assert "Vul meer dan € 0 in, of laat het veld leeg" in html
    assert 'value="twaalf"' in html  # nothing typed is lost
    response = client.post(OPEN_NEXT, {"bedrag_krakeel": "", "bedrag_elim": "", "check": "1"})
    assert "Vul het bedrag van minstens één gebied in." in response.content.decode()
    assert not Budget.objects.filter(year=NEXT_YEAR).exists()


def test_all_or_nothing_when_one_was_opened_meanwhile(people, office, this_year):
    services.open_budget(people["elim"], NEXT_YEAR, "400.00", actor=office)
    with pytest.raises(Exception):  # noqa: B017 (the service's own refusal)
        services.open_year(
            NEXT_YEAR,
            [(people["krakeel"], Decimal("1250")), (people["elim"], Decimal("500"))],
            actor=office,
        )
    assert not Budget.objects.filter(year=NEXT_YEAR, smederij=people["krakeel"]).exists()


#           anonymous, resident, ig member, team A, team B, stuurgroep, regisseur, support, super
OPEN_YEAR = ["login", 403, 403, 403, 403, 403, 200, 200, 200]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_a_new_year(client, people, this_year, role):
    user = people["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(OPEN_NEXT)
    expected = OPEN_YEAR[ROLES.index(role)]
    if expected == "login":
        assert response.headers["Location"].startswith("/account/login/")
        return
    assert response.status_code == expected
    if role == "gebiedsregisseur":  # his own area only
        html = response.content.decode()
        assert 'name="bedrag_krakeel"' in html and 'name="bedrag_elim"' not in html
    # A post of someone without the right opens nothing.
    client.post(OPEN_NEXT, {"bedrag_krakeel": "10", "bedrag_elim": "10", "confirm": "1"})
    opened = set(Budget.objects.filter(year=NEXT_YEAR).values_list("smederij__slug", flat=True))
    if role == "gebiedsregisseur":
        assert opened == {"krakeel"}
    elif expected == 200:
        assert opened == {"krakeel", "elim"}
    else:
        assert opened == set()


def test_the_open_page_for_a_year_out_of_range_is_not_found(client, office, people):
    client.force_login(office)
    assert client.get("/budgetten/openen/1999/").status_code == 404


def test_the_budget_list_links_to_the_new_year(client, people, office, this_year):
    client.force_login(office)
    html = client.get("/budgetten/").content.decode()
    assert f'href="{OPEN_NEXT}"' in html
    client.force_login(people["users"]["wijkteam_a"])
    assert "/budgetten/openen/" not in client.get("/budgetten/").content.decode()


# The voorwaarden ------------------------------------------------------------------------------


def test_voorwaarden_are_copied_to_the_next_year_after_a_check(client, people):
    support = people["users"]["ondersteuning"]
    support.user_permissions.add(Permission.objects.get(codename="add_condition"))
    first = ConditionFactory(year=THIS_YEAR, title="Het idee is voor iedereen", position=1)
    second = ConditionFactory(year=THIS_YEAR, title="Binnen een jaar klaar", position=2)
    ConditionFactory(year=NEXT_YEAR, title="Binnen een jaar klaar", kind=second.kind)
    client.force_login(support)
    changelist = "/beheer/ideas/condition/"
    picked = {"action": "copy_to_next_year", "_selected_action": [first.pk, second.pk]}

    # First the check: what will be copied and what is there already; nothing saved.
    response = client.post(changelist, picked)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{THIS_YEAR} → {NEXT_YEAR}: Het idee is voor iedereen" in html
    assert "Al in het volgende jaar" in html
    assert Condition.objects.filter(year=NEXT_YEAR).count() == 1

    response = client.post(changelist, {**picked, "confirm": "yes"})
    assert response.status_code == 302
    copies = Condition.objects.filter(year=NEXT_YEAR).order_by("position")
    assert [c.title for c in copies] == ["Het idee is voor iedereen", "Binnen een jaar klaar"]
    assert copies[0].text == first.text and copies[0].kind == first.kind
    assert AuditEvent.objects.filter(action="ideas.copy_conditions").count() == 1

    # Copying again adds nothing.
    client.post(changelist, {**picked, "confirm": "yes"})
    assert Condition.objects.filter(year=NEXT_YEAR).count() == 2


def test_only_who_may_add_voorwaarden_copies_them(people):
    condition = ConditionFactory(year=THIS_YEAR)
    with pytest.raises(PermissionDenied):
        idea_services.copy_conditions(
            Condition.objects.filter(pk=condition.pk), actor=people["users"]["wijkteam_a"]
        )
    assert not Condition.objects.filter(year=NEXT_YEAR).exists()


@pytest.mark.parametrize("more_areas", [0, 8])
def test_the_open_page_reads_a_fixed_number_of_queries(
    client, people, office, this_year, more_areas, django_assert_max_num_queries
):
    for n in range(more_areas):
        area = SmederijFactory(name=f"Wijk {n}", slug=f"wijk-{n}")
        services.open_budget(area, THIS_YEAR, "300.00", actor=office)
    client.force_login(office)
    client.get("/budgetten/")  # the session and the roles are read once
    with django_assert_max_num_queries(12):
        response = client.get(OPEN_NEXT)
    assert response.content.decode().count('name="bedrag_') == 2 + more_areas


def test_opening_is_rate_limited_by_address(client, people, office, this_year, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "staff_bulk": "2/m/ip"}
    client.force_login(office)
    data = {"bedrag_krakeel": "100", "bedrag_elim": "", "check": "1"}
    for _ in range(2):
        assert "Controleer voor je ze opent" in client.post(OPEN_NEXT, data).content.decode()
    response = client.post(OPEN_NEXT, {**data, "check": "", "confirm": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "Je hebt het te vaak geprobeerd" in html
    assert 'value="100"' in html  # nothing typed is lost
    assert not Budget.objects.filter(year=NEXT_YEAR).exists()


def test_the_kept_voorwaarden_page_shows_the_copied_year(
    client, people, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    ConditionFactory(year=THIS_YEAR, title="Het idee is voor iedereen")
    assert f"jaar={NEXT_YEAR}" not in Client().get("/ideeen/voorwaarden/").content.decode()
    support = people["users"]["ondersteuning"]
    support.user_permissions.add(Permission.objects.get(codename="add_condition"))
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.copy_conditions(Condition.objects.all(), actor=support)
    html = Client().get(f"/ideeen/voorwaarden/?jaar={NEXT_YEAR}").content.decode()
    assert "Het idee is voor iedereen" in html
    assert str(NEXT_YEAR) in Client().get("/ideeen/voorwaarden/").content.decode()
