"""The demo ideas: loaded through the services, twice without harm, and rich enough to show every
page of the portal (every status on the public site, Kees's "Mijn ideeën", Fatima's inventory)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ideas import services, workflow
from ideas.demo.ideas import FATIMA, IDEAS, KEES
from ideas.models import (
    Attachment,
    Condition,
    Idea,
    IdeaSequence,
    InventoryRemark,
    Kind,
    PaperSupportList,
    StatusChange,
    Support,
)
from ideas.workflow import Status
from teams.models import User

pytestmark = pytest.mark.django_db

MODELS = [
    Condition,
    Idea,
    StatusChange,
    Support,
    PaperSupportList,
    InventoryRemark,
    Attachment,
    IdeaSequence,
    User,
]


@pytest.fixture
def demo(settings):
    """The demo loaded as `make run` loads it."""
    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO())


def by_title(title: str) -> Idea:
    return Idea.objects.get(title=title)


def test_demo_loads_twice_without_duplicates(demo):
    counts = [model.objects.count() for model in MODELS]
    call_command("load_demo_data", stdout=io.StringIO())
    assert counts == [model.objects.count() for model in MODELS]
    assert Idea.objects.count() == len(IDEAS) >= 24


def test_every_status_but_concept_is_on_the_public_site(demo):
    published = set(Idea.objects.published().values_list("status", flat=True))
    assert published == set(Status.values) - {Status.CONCEPT}
    lange = Idea.objects.published().filter(kind=Kind.LANGE_KLAP)
    areas = set(lange.values_list("smederij__name", flat=True))
    assert {"Verzetsbuurt", "Zeeheldenbuurt", "Krakeel", "Zuid", "Elim"} <= areas


def test_every_sent_idea_is_complete_and_numbered_in_its_year(demo):
    ideas = Idea.objects.all()
    for idea in ideas:
        if idea.status == Status.CONCEPT:
            assert services.missing_for_submission(idea), idea.title
            assert idea.reference == "" and idea.submitted_at is None
            continue
        assert services.missing_for_submission(idea) == [], idea.title
        assert idea.reference == f"{idea.year}-{idea.number:04d}"
        assert timezone.localtime(idea.submitted_at).year == idea.year
        assert idea.submitted_at <= timezone.now()
        assert idea.budget_total >= idea.amount_requested
        if idea.kind == Kind.KORTE_KLAP:
            assert idea.end_date <= idea.start_date + timedelta(days=365), idea.title
    this_year = timezone.localdate().year
    assert set(Idea.objects.submitted().values_list("year", flat=True)) == {
        this_year - 1,
        this_year,
    }
    for sequence in IdeaSequence.objects.all():
        numbers = sorted(Idea.objects.filter(year=sequence.year).values_list("number", flat=True))
        assert numbers == list(range(1, sequence.last_number + 1))


def test_every_step_in_the_history_is_an_allowed_one_in_order(demo):
    for idea in Idea.objects.submitted():
        history = list(idea.history.order_by("at", "pk"))
        assert (history[0].from_status, history[0].to_status) == (
            Status.CONCEPT,
            Status.INGEDIEND,
        )
        assert history[0].at == idea.submitted_at
        assert history[-1].to_status == idea.status
        for change in history:
            if change.from_status != change.to_status:  # the same status: the kind changed,
                # or the verantwoording was sent
                rule = workflow.TRANSITIONS[(change.from_status, change.to_status)]
                assert not rule.needs_public_text or change.public_text, idea.title
            assert change.at <= timezone.now()
    same_status = StatusChange.objects.filter(from_status=F("to_status"))
    reclassified = same_status.exclude(to_status=Status.GEREALISEERD)
    assert reclassified.count() == sum(1 for spec in IDEAS if spec.reclassify)
    # One verantwoording is sent and waits for the team (the Zomerfestival's).
    assert same_status.filter(to_status=Status.GEREALISEERD).count() == 1


def test_the_conditions_are_there_for_this_year_and_last_year(demo):
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        kinds = list(Condition.objects.filter(year=year).values_list("kind", flat=True))
        assert kinds.count(Condition.Applies.BOTH) == 4
        assert kinds.count(Condition.Applies.KORTE_KLAP) == 2
        assert kinds.count(Condition.Applies.LANGE_KLAP) == 2


def test_kees_has_a_concept_a_question_to_answer_and_a_budget(demo, client):
    kees = User.objects.get(email=KEES)
    statuses = sorted(Idea.objects.filter(submitted_by=kees).values_list("status", flat=True))
    assert statuses == sorted([Status.CONCEPT, Status.AANVULLING_GEVRAAGD, Status.BUDGET_TOEGEKEND])
    asked = Idea.objects.get(submitted_by=kees, status=Status.AANVULLING_GEVRAAGD)
    question = asked.history.get(to_status=Status.AANVULLING_GEVRAAGD)
    assert question.public_text and question.actor.email == "martin.peelen@example.org"

    client.force_login(kees)
    page = client.get(reverse("ideas:my-ideas"))
    assert page.status_code == 200
    for idea in Idea.objects.filter(submitted_by=kees):
        assert idea.title in page.content.decode()
    detail = client.get(reverse("ideas:my-idea", kwargs={"public_id": asked.public_id}))
    assert detail.status_code == 200
    assert detail.context["question"] == question


def test_fatima_finds_the_krakeel_ideas_and_the_remarks_in_the_inventory(demo):
    remarks = InventoryRemark.objects.select_related("idea__smederij", "author")
    assert remarks.count() == 2
    for remark in remarks:
        assert remark.idea.smederij.slug == "krakeel"
        assert remark.author.email == FATIMA
        assert remark.initiatiefgroep.smederij_id == remark.idea.smederij_id


def test_the_supports_are_what_the_demo_says(demo):
    for spec in IDEAS:
        idea = by_title(spec.title)
        assert idea.supports.confirmed().count() == spec.confirmed, spec.title
        assert idea.supports.filter(confirmed_at__isnull=True).count() == spec.unconfirmed
        assert services.support_count(idea) == spec.support_total, spec.title
        if spec.confirmed or spec.unconfirmed:
            assert services.can_be_supported(idea)
    assert Support.objects.filter(confirmed_at__isnull=True).count() >= 1
    paper = PaperSupportList.objects.get()
    assert paper.idea.kind == Kind.LANGE_KLAP and paper.added_by is not None
