"""Fixtures for the money: the two areas of ``people`` (Krakeel = A, Elim = B) with a budget of
this year each, and ideas walked through the services until money may be granted to them."""

from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from budgets import services
from budgets.models import Budget, BudgetEntry
from ideas.models import Kind
from ideas.workflow import Status
from tests.ideas.factories import move, published_idea, submitted_idea
from tests.teams.conftest import organisations, people  # noqa: F401 (fixtures used here)

__all__ = ["organisations", "people"]

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def english():
    """The services' messages in their English source text (the site's default is Dutch)."""
    with override("en"):
        yield


@pytest.fixture
def regisseur(people):
    """The gebiedsregisseur of Krakeel (area A)."""
    return people["users"]["gebiedsregisseur"]


@pytest.fixture
def team_member(people):
    """The opbouwwerker of the wijkteam of Krakeel (area A)."""
    return people["users"]["wijkteam_a"]


@pytest.fixture
def elim_member(people):
    """The wijkbeheerder of the dorpenteam of Elim (area B)."""
    return people["users"]["wijkteam_b"]


@pytest.fixture
def office(people):
    """Support staff: opens the budgets of every area."""
    return people["users"]["ondersteuning"]


@pytest.fixture
def budget(people, regisseur):
    """Krakeel's bewonersbudget of this year: € 1.000,00 opened by its gebiedsregisseur."""
    return services.open_budget(people["krakeel"], THIS_YEAR, "1000.00", actor=regisseur)


@pytest.fixture
def elim_budget(people, office):
    return services.open_budget(people["elim"], THIS_YEAR, "500.00", actor=office)


def grantable_idea(smederij, actor, *, asked="750.00", published=False, **fields):
    """A korte-klap idea the wijkteam has taken up ("in behandeling"): money may be granted."""
    make = published_idea if published else submitted_idea
    idea = make(smederij=smederij, amount_requested=Decimal(asked), **fields)
    return move(idea, Status.IN_BEHANDELING, actor=actor)


def lange_klap_plan(smederij, actor, *, lines, published=True, **fields):
    """A lange-klap plan the stuurgroep sent on to look for money ("financiering").

    ``actor`` must be the area's gebiedsregisseur (he may act for the team and the stuurgroep)."""
    make = published_idea if published else submitted_idea
    idea = make(smederij=smederij, kind=Kind.LANGE_KLAP, budget_lines=lines, **fields)
    return move(
        idea, Status.IN_BEHANDELING, Status.BIJ_STUURGROEP, Status.FINANCIERING, actor=actor
    )


@pytest.fixture
def idea(people, team_member):
    """Krakeel's idea asking € 750,00, taken up by the wijkteam."""
    return grantable_idea(people["krakeel"], team_member)


def snapshot(budget: Budget) -> tuple:
    """What must not change when a service refuses: the ledger's rows and the balance."""
    budget.refresh_from_db()
    return (BudgetEntry.objects.count(), budget.available, services.ledger_balance(budget))
