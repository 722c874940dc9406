"""The demo money: loaded through the services, twice without harm, and every budget balancing to
the cent with its ledger."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from budgets import services
from budgets.models import ZERO, Budget, BudgetEntry, EntryKind, FundingSource, Grant, Payment
from ideas import permissions as idea_permissions
from ideas.demo import SMEDERIJEN
from ideas.demo.money import FUNDING, GRANTS, OPENING
from ideas.models import Idea, Kind
from ideas.workflow import Status
from smederijen.models import Smederij

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1
MONEY_MODELS = [Budget, BudgetEntry, Grant, Payment, FundingSource]


@pytest.fixture
def demo(settings):
    """The demo loaded as `make run` loads it."""
    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO())


def state() -> list:
    """Everything of the money that a second load must leave as it is."""
    return [
        [model.objects.count() for model in MONEY_MODELS],
        list(Budget.objects.order_by("pk").values_list("pk", "available", "is_closed")),
        list(Grant.objects.order_by("pk").values_list("pk", "amount", "spent", "state")),
        list(FundingSource.objects.order_by("pk").values_list("pk", "amount", "status")),
    ]


def test_the_demo_loads_twice_and_the_second_time_changes_nothing(demo):
    before = state()
    call_command("load_demo_data", stdout=io.StringIO())
    assert state() == before
    assert before[0][0] == 2 * len(SMEDERIJEN)


def test_every_demo_area_has_a_budget_for_this_year_and_last_year(demo):
    slugs = {name.lower().replace(" ", "-") for name, _kind, _text in SMEDERIJEN}
    assert set(OPENING) == slugs
    for smederij in Smederij.objects.filter(slug__in=slugs):
        this_year = Budget.objects.get(smederij=smederij, year=THIS_YEAR)
        last_year = Budget.objects.get(smederij=smederij, year=LAST_YEAR)
        assert last_year.is_closed and not this_year.is_closed
        for budget in (this_year, last_year):
            opening = budget.entries.get(kind=EntryKind.OPENING)
            assert 5000 <= opening.amount <= 15000
            assert opening.actor == smederij.gebiedsregisseur
            assert budget.entries.order_by("at", "pk").first() == opening
            assert all(entry.at.year >= budget.year for entry in budget.entries.all())
    assert Budget.objects.filter(year__in=[THIS_YEAR, LAST_YEAR]).count() == 2 * len(slugs)


def test_every_budget_balances_with_its_ledger_and_never_goes_below_zero(demo):
    for budget in Budget.objects.all():
        assert budget.available == services.ledger_balance(budget), str(budget)
        assert budget.available >= 0
        totals = services.budget_totals(budget)
        assert totals.budget - totals.granted + totals.returned == budget.available


def test_a_top_up_and_a_correction_with_their_reasons(demo):
    top_up = BudgetEntry.objects.get(kind=EntryKind.TOP_UP)
    correction = BudgetEntry.objects.get(kind=EntryKind.CORRECTION)
    for entry in (top_up, correction):
        assert entry.reason and entry.budget.year == THIS_YEAR
        assert entry.actor == entry.budget.smederij.gebiedsregisseur


def test_grants_go_to_ideas_that_have_their_money_from_the_budget_of_their_year(demo):
    grants = Grant.objects.select_related("idea", "budget", "granted_by")
    assert grants.count() == len(GRANTS)
    assert {g.budget.year for g in grants} == {THIS_YEAR, LAST_YEAR}
    for grant in grants:
        idea = grant.idea
        assert idea.kind == Kind.KORTE_KLAP
        assert grant.budget.smederij_id == idea.smederij_id and grant.budget.year == idea.year
        assert idea.status in {
            Status.BUDGET_TOEGEKEND,
            Status.IN_UITVOERING,
            Status.GEREALISEERD,
            Status.AFGEROND,
        }
        assert grant.granted_by == idea.smederij.gebiedsregisseur
        booked = grant.entries.filter(kind=EntryKind.GRANT).get()
        assert -booked.amount == idea.amount_requested
        paid = grant.payments.aggregate(total=Sum("amount"))["total"] or ZERO
        assert grant.spent == paid <= grant.amount
        if idea.status == Status.AFGEROND:
            assert grant.state == Grant.State.SETTLED and grant.amount == grant.spent
        else:
            assert grant.state == Grant.State.ACTIVE


def test_payments_and_returns_are_there(demo):
    assert Payment.objects.filter(grant__idea__status=Status.IN_UITVOERING).exists()
    assert Payment.objects.filter(grant__idea__status=Status.GEREALISEERD).exists()
    assert Payment.objects.filter(paid_on__lte=timezone.localdate()).count() == (
        Payment.objects.count()
    )
    returned = BudgetEntry.objects.filter(kind=EntryKind.RETURN)
    assert returned.exists()
    assert all(entry.budget.is_closed for entry in returned)  # last year's ideas


def test_one_plan_is_fully_funded_and_one_partly(demo):
    plans = Idea.objects.filter(funding_sources__isnull=False).distinct()
    assert plans.count() == len(FUNDING)
    assert all(plan.kind == Kind.LANGE_KLAP for plan in plans)
    funded = {plan.title: services.funding_of(plan) for plan in plans}

    elim = funded["Dorpshuis Elim groter maken"]
    assert elim.fully_funded and elim.committed >= elim.needed
    assert idea_permissions.may_start(Idea.objects.get(title="Dorpshuis Elim groter maken"))[0]

    garden = Idea.objects.get(title="Groene binnentuin achter de Verzetsstraat")
    partly = funded[garden.title]
    assert 0 < partly.committed < partly.needed and not partly.fully_funded
    assert partly.asked > 0 and partly.refused > 0
    statuses = set(garden.funding_sources.values_list("kind", "status"))
    assert {
        (FundingSource.Kind.GEMEENTE, FundingSource.Status.TOEGEZEGD),
        (FundingSource.Kind.WONINGCORPORATIE, FundingSource.Status.GEVRAAGD),
        (FundingSource.Kind.FONDS, FundingSource.Status.AFGEWEZEN),
    } <= statuses
    assert not idea_permissions.may_start(garden)[0]
    for plan in plans:
        assert plan.status in {Status.BIJ_STUURGROEP, Status.FINANCIERING, Status.IN_UITVOERING}
        for source in plan.funding_sources.all():
            assert source.updated_by == plan.smederij.gebiedsregisseur
