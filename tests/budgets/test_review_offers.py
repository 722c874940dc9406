"""The review page offers a step only when it can succeed (issue 20, item 8): "Grant money" only
with an open budget that has money left, "Start carrying out" a plan only once it is fully
funded; otherwise it says why, and the step's own page is not there."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from budgets import services
from budgets.models import FundingSource
from ideas.workflow import Status
from tests.budgets.conftest import THIS_YEAR, grantable_idea, lange_klap_plan
from tests.ideas.factories import move

pytestmark = pytest.mark.django_db


def review_page(client, idea) -> str:
    response = client.get(reverse("ideas:review", args=[idea.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def approved_idea(area, team_member, asked):
    """A korte-klap idea that meets the conditions: the next step is granting money."""
    return move(
        grantable_idea(area, team_member, asked=asked), Status.GOEDGEKEURD, actor=team_member
    )


def step_link(idea, slug: str) -> str:
    return reverse("ideas:review-action", args=[idea.public_id, slug])


def test_grant_money_is_offered_only_when_the_areas_budget_is_open(
    client, people, team_member, regisseur
):
    idea = approved_idea(people["krakeel"], team_member, "300.00")
    client.force_login(team_member)
    page = review_page(client, idea)
    assert step_link(idea, "toekennen") not in page
    assert "Nog niet mogelijk" in page
    assert f"Krakeel heeft nog geen budget voor {THIS_YEAR}." in page
    assert client.get(step_link(idea, "toekennen")).status_code == 404  # no page for it either

    services.open_budget(people["krakeel"], THIS_YEAR, "1000.00", actor=regisseur)
    page = review_page(client, idea)
    assert step_link(idea, "toekennen") in page
    assert "Nog niet mogelijk" not in page


def test_an_empty_budget_says_so_instead_of_offering_a_grant(
    client, people, team_member, regisseur
):
    services.open_budget(people["krakeel"], THIS_YEAR, "250.00", actor=regisseur)
    first = approved_idea(people["krakeel"], team_member, "250.00")
    second = approved_idea(people["krakeel"], team_member, "100.00")
    client.force_login(team_member)
    client.post(step_link(first, "toekennen"), {"amount": "250,00", "public_text": ""})
    page = review_page(client, second)
    assert step_link(second, "toekennen") not in page
    assert f"Het budget van Krakeel voor {THIS_YEAR} is op." in page


def test_a_plan_starts_only_once_it_is_fully_funded(client, people, regisseur):
    plan = lange_klap_plan(
        people["krakeel"], regisseur, lines=[("Speeltoestellen", D("6000.00"))], title="Park"
    )
    services.save_funding_source(
        plan,
        actor=regisseur,
        kind="fonds",
        name="Domesta",
        amount="2000.00",
        status=FundingSource.Status.TOEGEZEGD,
    )
    client.force_login(regisseur)
    page = review_page(client, plan)
    assert step_link(plan, "starten") not in page
    assert "Nog niet mogelijk" in page
    assert "nog niet toegezegd" in page
    assert client.post(step_link(plan, "starten"), {"public_text": ""}).status_code in (302, 403)
    plan.refresh_from_db()
    assert plan.status == "financiering"

    services.save_funding_source(
        plan,
        actor=regisseur,
        kind="fonds",
        name="Gemeente Hoogeveen",
        amount="4000.00",
        status=FundingSource.Status.ONTVANGEN,
    )
    assert step_link(plan, "starten") in review_page(client, plan)


def test_the_grant_mail_says_the_amount_in_its_subject_and_text(
    client, people, team_member, regisseur, mailoutbox, django_capture_on_commit_callbacks
):
    """Issue 20, item 5: "Je idee 2026-0032 krijgt € 750,00", not "nieuws over je idee"."""
    services.open_budget(people["krakeel"], THIS_YEAR, "1000.00", actor=regisseur)
    idea = approved_idea(people["krakeel"], team_member, "750.00")
    client.force_login(team_member)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(step_link(idea, "toekennen"), {"amount": "750,00", "public_text": ""})
    assert done.status_code == 302
    to_submitter = [m for m in mailoutbox if idea.contact_email in m.to]
    assert len(to_submitter) == 1
    subject = to_submitter[0].subject.replace("\xa0", " ")
    assert subject == f"De Smederijen: je idee {idea.reference} krijgt € 750,00"
    body = to_submitter[0].body.replace("\xa0", " ")
    assert "Je krijgt € 750,00 uit het bewonersbudget van je gebied." in body
