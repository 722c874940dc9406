"""The demo shows the stuurgroep at work: last meeting's decisions, the next meeting with the
Krakeel playground on its agenda, positions of two organisations, and milestones of funded plans."""

import io

import pytest
from django.core.management import call_command

from ideas.models import Idea, Meeting, Milestone, OrganisationPosition, StuurgroepDecision
from ideas.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO())


def test_each_decided_plan_has_its_decision_matching_its_history(demo):
    decisions = StuurgroepDecision.objects.select_related("idea")
    assert decisions.count() == 4
    for decision in decisions:
        step = decision.idea.history.get(from_status=Status.BIJ_STUURGROEP)
        expected = "negatief" if step.to_status == Status.AFGEWEZEN else "positief"
        assert decision.outcome == expected
        assert decision.public_reason == step.public_text
        assert decision.votes_for + decision.votes_against + decision.abstentions == 8


def test_the_next_meeting_has_the_plan_that_waits_for_the_stuurgroep(demo):
    upcoming = Meeting.objects.order_by("-starts_at").first()
    waiting = Idea.objects.filter(status=Status.BIJ_STUURGROEP)
    assert list(upcoming.agenda.all()) == list(waiting)
    assert upcoming.attendance.count() == 10  # every seated member is on the list
    assert OrganisationPosition.objects.filter(idea__in=waiting).count() == 2


def test_funded_plans_show_their_progress(demo):
    assert Milestone.objects.count() == 8
    assert Milestone.objects.filter(done_on__isnull=False).count() == 4
    assert set(Milestone.objects.values_list("idea__status", flat=True)) <= {
        Status.FINANCIERING,
        Status.IN_UITVOERING,
    }


def test_loading_twice_adds_nothing(demo):
    counts = (Meeting.objects.count(), Milestone.objects.count())
    call_command("load_demo_data", stdout=io.StringIO())
    assert (Meeting.objects.count(), Milestone.objects.count()) == counts
