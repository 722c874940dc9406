"""The money in Django admin: quick pages, and every amount changed through the services only.

A refusal of a service (not enough money, a closed year) is shown next to the field in the
service's own words, and nothing of the save is kept."""

import html
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from budgets import services
from budgets.models import Budget, BudgetEntry, EntryKind, FundingSource, Grant, Payment
from ideas import services as idea_services
from ideas.models import Kind
from ideas.workflow import Status
from smederijen.models import AuditEvent
from smederijen.templatetags.money import format_euro
from teams import permissions as team_permissions
from tests.factories import SmederijFactory, UserFactory
from tests.ideas.factories import move, submitted_idea
from tests.teams.conftest import with_second_factor

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
BUDGETS = "/beheer/budgets/budget/"
GRANTS = "/beheer/budgets/grant/"
SOURCES = "/beheer/budgets/fundingsource/"


def change_url(base: str, obj) -> str:
    return f"{base}{obj.pk}/change/"


@pytest.fixture
def superuser():
    return with_second_factor(UserFactory(is_staff=True, is_superuser=True))


@pytest.fixture
def zuid():
    return SmederijFactory(name="Zuid", slug="zuid")


@pytest.fixture
def regisseur(zuid):
    """Martin, gebiedsregisseur of Zuid (and of no other area)."""
    user = with_second_factor(
        UserFactory(first_name="Martin", last_name="Peelen", email="martin@example.org")
    )
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=team_permissions.GEBIEDSREGISSEUR))
    zuid.gebiedsregisseur = user
    zuid.save()
    return user


@pytest.fixture
def as_superuser(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def as_regisseur(client, regisseur):
    client.force_login(regisseur)
    return client


@pytest.fixture
def budget(zuid, superuser):
    return services.open_budget(zuid, YEAR, "1000.00", actor=superuser)


def grantable_idea(smederij, actor, *, asked="750.00", kind=Kind.KORTE_KLAP):
    idea = submitted_idea(smederij=smederij, amount_requested=Decimal(asked), kind=kind)
    return move(idea, Status.IN_BEHANDELING, actor=actor)


def snapshot(budget: Budget) -> tuple:
    budget.refresh_from_db()
    return (
        BudgetEntry.objects.count(),
        budget.available,
        services.ledger_balance(budget),
        Payment.objects.count(),
    )


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def page_data(response) -> dict:
    """What the browser sends back for the change page as it is shown (inlines included)."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form[name].html_name] = "on" if value is True else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def errors_of(response, field: str) -> list[str]:
    assert response.status_code == 200, "the page was not shown again"
    return list(response.context["adminform"].form.errors.get(field, []))


def in_dutch(message: str, **values) -> str:
    with translation.override("nl"):
        return gettext(message) % values


def busy_budget(budget, actor, *, grants: int, corrections: int) -> None:
    """Lines of every kind in the ledger, and grants with payments."""
    for n in range(corrections):
        services.top_up(budget, "100.00", actor=actor, reason=f"Ophoging {n}")
        services.correct(budget, "-10.00", actor=actor, reason=f"Correctie {n}")
    for n in range(grants):
        idea = grantable_idea(budget.smederij, actor, asked="50.00")
        grant = idea_services.grant_budget(idea, "50.00", actor=actor, budget=budget)
        services.record_payment(grant, "20.00", actor=actor, description=f"Bon {n}")
        if n % 2:
            services.settle_grant(grant, actor=actor)


# Quick pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "regisseur"])
def test_the_budget_pages_take_the_same_queries_for_few_or_many_rows(
    request, client, who, superuser, budget, django_assert_max_num_queries
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    queries_for(client, BUDGETS)  # the first page of a session does a bit more
    few_list = queries_for(client, BUDGETS)
    few_change = queries_for(client, change_url(BUDGETS, budget))

    for n in range(6):
        other = services.open_budget(SmederijFactory(), YEAR, "500.00", actor=superuser)
        services.top_up(other, "50.00", actor=superuser, reason=f"Extra {n}")
    busy_budget(budget, superuser, grants=8, corrections=5)
    assert budget.entries.count() > 20 and budget.grants.count() == 8

    with django_assert_max_num_queries(few_list):
        response = client.get(BUDGETS)
    # The superuser finds every area's budget, the gebiedsregisseur the one of his area.
    assert response.context["cl"].result_count == (7 if who == "superuser" else 1)
    assert response.status_code == 200
    with django_assert_max_num_queries(few_change):
        response = client.get(change_url(BUDGETS, budget))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Correctie 4" in page  # the ledger
    assert format_euro(budget.available) in page  # the totals


def test_the_grant_and_funding_lists_take_the_same_queries_for_few_or_many_rows(
    as_superuser, superuser, budget, django_assert_max_num_queries
):
    idea = grantable_idea(budget.smederij, superuser, kind=Kind.LANGE_KLAP)
    grant = idea_services.grant_budget(idea, "100.00", actor=superuser, budget=budget)
    services.save_funding_source(
        idea, actor=superuser, kind="gemeente", name="Gemeente", amount="1000", status="gevraagd"
    )
    for url in (GRANTS, SOURCES, change_url(GRANTS, grant)):
        queries_for(as_superuser, url)
    few = {url: queries_for(as_superuser, url) for url in (GRANTS, SOURCES)}
    few_grant = queries_for(as_superuser, change_url(GRANTS, grant))

    for n in range(8):
        # A fresh copy of the superuser: the areas one acts for are kept on the user object.
        actor = type(superuser).objects.get(pk=superuser.pk)
        area = SmederijFactory()
        other = grantable_idea(area, actor, asked="80.00")
        area_budget = services.open_budget(area, YEAR, "500.00", actor=actor)
        idea_services.grant_budget(other, "80.00", actor=actor, budget=area_budget)
        services.save_funding_source(
            other, actor=actor, kind="fonds", name=f"Fonds {n}", amount="10", status="gevraagd"
        )
    for n in range(6):
        services.record_payment(grant, "5.00", actor=superuser, description=f"Bon {n}")

    for url, count in few.items():
        with django_assert_max_num_queries(count):
            assert as_superuser.get(url).status_code == 200
    with django_assert_max_num_queries(few_grant):
        response = as_superuser.get(change_url(GRANTS, grant))
    assert "Bon 5" in response.content.decode()


# Budgets -------------------------------------------------------------------------------------


def test_adding_a_budget_books_its_opening_amount(as_regisseur, regisseur, zuid):
    response = as_regisseur.get(f"{BUDGETS}add/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.fields["smederij"].queryset) == [zuid]  # only the areas he manages
    assert "available" not in form.fields

    response = as_regisseur.post(
        f"{BUDGETS}add/",
        {
            "smederij": zuid.pk,
            "year": YEAR,
            "opening_amount": "7.500,00",
            "reason": "Bewonersbudget van de gemeente",
            "available": "99999",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    budget = Budget.objects.get(smederij=zuid, year=YEAR)
    entry = budget.entries.get()
    assert (entry.kind, entry.amount, entry.actor) == (
        EntryKind.OPENING,
        Decimal("7500.00"),
        regisseur,
    )
    assert budget.available == Decimal("7500.00") == services.ledger_balance(budget)


def test_a_second_budget_for_the_same_year_is_refused_in_the_services_words(
    as_superuser, budget, zuid
):
    response = as_superuser.post(
        f"{BUDGETS}add/", {"smederij": zuid.pk, "year": YEAR, "opening_amount": "100"}
    )
    expected = in_dutch(
        "%(area)s already has a budget for %(year)s. Top it up instead.", area=zuid, year=YEAR
    )
    assert errors_of(response, "year") == [expected]
    assert Budget.objects.count() == 1 and BudgetEntry.objects.count() == 1


def test_a_top_up_without_a_reason_changes_nothing(as_regisseur, budget):
    before = snapshot(budget)
    url = change_url(BUDGETS, budget)
    page = as_regisseur.get(url)
    assert 'name="top_up_amount"' in page.content.decode()
    data = page_data(page)
    data.update({"top_up_amount": "250", "reason": "  "})
    response = as_regisseur.post(url, data)
    assert errors_of(response, "reason")
    assert snapshot(budget) == before

    data["reason"] = "Extra geld van Woonconcept"
    assert as_regisseur.post(url, data).status_code == 302
    budget.refresh_from_db()
    assert budget.available == Decimal("1250.00") == services.ledger_balance(budget)
    assert budget.entries.get(kind=EntryKind.TOP_UP).reason == "Extra geld van Woonconcept"


def test_a_correction_below_zero_shows_the_services_message_and_changes_nothing(
    as_regisseur, budget, zuid
):
    before = snapshot(budget)
    url = change_url(BUDGETS, budget)
    data = page_data(as_regisseur.get(url))
    data.update({"correction_amount": "-1.500,00", "reason": "Verkeerd ingevoerd"})
    response = as_regisseur.post(url, data)
    expected = in_dutch(
        "There is not enough money: %(available)s is available in %(area)s for %(year)s.",
        available=format_euro(Decimal("1000.00")),
        area=zuid,
        year=YEAR,
    )
    assert errors_of(response, "correction_amount") == [expected]
    assert expected in html.unescape(response.content.decode())
    # What was typed is still there, to change it.
    assert response.context["adminform"].form["reason"].value() == "Verkeerd ingevoerd"
    assert snapshot(budget) == before

    data["correction_amount"] = "-250"
    assert as_regisseur.post(url, data).status_code == 302
    budget.refresh_from_db()
    assert budget.available == Decimal("750.00") == services.ledger_balance(budget)


def test_available_cannot_be_set_by_posting_it(as_superuser, budget):
    url = change_url(BUDGETS, budget)
    response = as_superuser.get(url)
    assert "available" not in response.context["adminform"].form.fields
    data = page_data(response)
    data.update({"available": "50000.00", "is_closed": "on", "year": YEAR + 1})
    assert as_superuser.post(url, data).status_code == 302
    budget.refresh_from_db()
    assert (budget.available, budget.is_closed, budget.year) == (Decimal("1000.00"), False, YEAR)
    assert budget.entries.count() == 1

    data.update({"top_up_amount": "10", "reason": "Bijdrage van de winkeliers"})
    assert as_superuser.post(url, data).status_code == 302
    budget.refresh_from_db()
    assert budget.available == Decimal("1010.00")


def test_a_top_up_and_a_correction_at_once_are_refused(as_superuser, budget):
    url = change_url(BUDGETS, budget)
    data = page_data(as_superuser.get(url))
    data.update({"top_up_amount": "10", "correction_amount": "-5", "reason": "Twee dingen"})
    response = as_superuser.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert budget.entries.count() == 1


def test_closing_budgets_with_the_action(as_regisseur, regisseur, superuser, budget):
    elsewhere = services.open_budget(SmederijFactory(), YEAR, "100", actor=superuser)
    response = as_regisseur.post(
        BUDGETS,
        {"action": "close_budgets", "_selected_action": [budget.pk, elsewhere.pk]},
        follow=True,
    )
    assert response.status_code == 200
    budget.refresh_from_db()
    elsewhere.refresh_from_db()
    assert budget.is_closed and not elsewhere.is_closed  # not his area: not even selected
    assert [m.level_tag for m in response.context["messages"]] == ["success"]

    # A closed year opens to be read only.
    page = as_regisseur.get(change_url(BUDGETS, budget))
    assert page.status_code == 200
    assert 'name="top_up_amount"' not in page.content.decode()


def test_a_budget_of_another_area_is_closed_to_a_gebiedsregisseur(as_regisseur, superuser):
    other = services.open_budget(SmederijFactory(), YEAR, "100", actor=superuser)
    url = change_url(BUDGETS, other)
    page = as_regisseur.get(url)
    assert page.status_code == 403
    assert "100,00" not in page.content.decode()
    assert as_regisseur.post(url, {"top_up_amount": "5", "reason": "x"}).status_code == 403
    other.refresh_from_db()
    assert other.available == Decimal("100.00")


# Grants --------------------------------------------------------------------------------------


@pytest.fixture
def grant(budget, regisseur):
    idea = grantable_idea(budget.smederij, regisseur)
    return idea_services.grant_budget(idea, "600.00", actor=regisseur, budget=budget)


def test_a_payment_is_recorded_on_a_grant(as_regisseur, regisseur, grant):
    url = change_url(GRANTS, grant)
    data = page_data(as_regisseur.get(url))
    paid_on = timezone.localdate().replace(day=1)
    data.update(
        {
            "payment_amount": "125,50",
            "payment_description": "Tegels en zand",
            "payment_paid_on": paid_on.isoformat(),
        }
    )
    assert as_regisseur.post(url, data).status_code == 302
    payment = Payment.objects.get(grant=grant)
    assert (payment.amount, payment.description, payment.paid_on, payment.actor) == (
        Decimal("125.50"),
        "Tegels en zand",
        paid_on,
        regisseur,
    )
    grant.refresh_from_db()
    assert grant.spent == Decimal("125.50")
    assert "Tegels en zand" in as_regisseur.get(url).content.decode()  # the payments inline


def test_a_payment_over_the_grant_is_refused_next_to_the_amount(as_regisseur, grant):
    url = change_url(GRANTS, grant)
    data = page_data(as_regisseur.get(url))
    data.update({"payment_amount": "700", "payment_description": "Te veel"})
    response = as_regisseur.post(url, data)
    expected = in_dutch(
        "This is more than is left of the grant (%(left)s).", left=format_euro(grant.unspent)
    )
    assert errors_of(response, "payment_amount") == [expected]
    assert not Payment.objects.exists()


def test_lowering_withdrawing_and_settling_go_through_the_services(
    as_regisseur, regisseur, grant, budget
):
    url = change_url(GRANTS, grant)
    data = page_data(as_regisseur.get(url))
    response = as_regisseur.post(url, {**data, "new_amount": "500"})
    assert errors_of(response, "lower_reason")  # a reason is needed
    lowered = as_regisseur.post(url, {**data, "new_amount": "500", "lower_reason": "Minder nodig"})
    assert lowered.status_code == 302
    grant.refresh_from_db()
    budget.refresh_from_db()
    assert grant.amount == Decimal("500.00") and budget.available == Decimal("500.00")

    services.record_payment(grant, "450.00", actor=regisseur, description="Bankjes")
    data = page_data(as_regisseur.get(url))
    response = as_regisseur.post(url, {**data, "withdraw": "on", "withdraw_reason": "Gestopt"})
    assert errors_of(response, "withdraw")  # money was spent already: the service says so
    assert as_regisseur.post(url, {**data, "settle": "on"}).status_code == 302
    grant.refresh_from_db()
    budget.refresh_from_db()
    assert grant.state == Grant.State.SETTLED and grant.amount == Decimal("450.00")
    assert budget.available == Decimal("550.00") == services.ledger_balance(budget)
    # A settled grant opens to be read only.
    page = as_regisseur.get(url)
    assert page.status_code == 200 and 'name="settle"' not in page.content.decode()


def test_grants_are_not_added_or_deleted_in_admin(as_superuser, grant):
    assert as_superuser.get(f"{GRANTS}add/").status_code == 403
    assert as_superuser.get(f"{GRANTS}{grant.pk}/delete/").status_code == 403


# Funding sources -----------------------------------------------------------------------------


def test_a_funding_source_is_saved_through_the_service(as_regisseur, regisseur, zuid):
    plan = grantable_idea(zuid, regisseur, kind=Kind.LANGE_KLAP)
    before = AuditEvent.objects.count()
    response = as_regisseur.post(
        f"{SOURCES}add/",
        {
            "idea": plan.pk,
            "kind": FundingSource.Kind.GEMEENTE,
            "name": "  Gemeente Hoogeveen ",
            "amount": "12.500",
            "status": FundingSource.Status.GEVRAAGD,
            "note": "",
            "updated_by": UserFactory().pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    source = FundingSource.objects.get()
    assert (source.idea, source.name, source.amount, source.updated_by) == (
        plan,
        "Gemeente Hoogeveen",
        Decimal("12500.00"),
        regisseur,
    )

    # One admin save, one row of the audit trail (the service's, marked as done in admin).
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(r.action, r.source) for r in rows] == [
        ("budgets.save_funding_source", AuditEvent.Source.ADMIN)
    ]

    url = change_url(SOURCES, source)
    page = as_regisseur.get(url)
    assert "idea" not in page.context["adminform"].form.fields  # a source stays with its plan
    data = page_data(page)
    data["status"] = FundingSource.Status.TOEGEZEGD
    before = AuditEvent.objects.count()
    assert as_regisseur.post(url, data).status_code == 302
    assert AuditEvent.objects.count() == before + 1
    source.refresh_from_db()
    assert source.status == FundingSource.Status.TOEGEZEGD and source.updated_by == regisseur
    assert as_regisseur.get(f"{url.removesuffix('change/')}delete/").status_code == 403
