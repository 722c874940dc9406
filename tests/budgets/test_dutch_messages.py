"""Refusals that staff meet are in plain Dutch, with amounts written the Dutch way."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import override

from budgets import services
from ideas import services as idea_services
from tests.budgets.conftest import THIS_YEAR, grantable_idea

pytestmark = pytest.mark.django_db


def refusal(call) -> str:
    with override("nl"), pytest.raises((ValidationError, PermissionDenied)) as caught:
        call()
    error = caught.value
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def test_overspending_another_area_and_a_closed_year_are_refused_in_dutch(
    people, budget, regisseur, elim_member
):
    greedy = grantable_idea(people["krakeel"], regisseur, asked="1500.00")
    assert refusal(lambda: idea_services.grant_budget(greedy, "1500.00", actor=regisseur)) == (
        f"Er is niet genoeg geld: in Krakeel is voor {THIS_YEAR} nog €\u00a01.000,00 beschikbaar."
    )
    assert "eigen wijk of dorp" in refusal(
        lambda: idea_services.grant_budget(greedy, "10", actor=elim_member)
    )
    services.close_budget(budget, actor=regisseur)
    assert "afgesloten" in refusal(
        lambda: idea_services.grant_budget(greedy, "10", actor=regisseur)
    )
