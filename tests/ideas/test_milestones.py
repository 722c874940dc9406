"""A funded lange-klap plan in public: the stuurgroep's decision and the milestones on the idea's
page, the overview of running plans per Smederij (/lange-klap/), and the milestones section of the
review page where the area's team adds and completes them.
"""

import html as html_lib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas import services
from ideas.models import Idea, Kind, Milestone, StatusChange
from ideas.workflow import Status
from tests.ideas.conftest import assert_error_next_to
from tests.ideas.factories import IdeaFactory, published_idea
from tests.teams import test_stuurgroep_decisions as decisions

pytestmark = pytest.mark.django_db

REASON = decisions.REASON
board = decisions.board  # the fixture: the stuurgroep, a Krakeel plan and a meeting

OVERVIEW = reverse("ideas:plan-overview")


def text_of(response) -> str:
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def plan(board):
    """The Krakeel plan decided positively (seven votes for) and put on the website."""
    services.record_attendance(
        board["meeting"],
        actor=board["chair"],
        present_members=board["orgs"][:6] + board["residents"][:1],
    )
    services.decide(
        board["idea"],
        board["meeting"],
        actor=board["chair"],
        outcome="positief",
        public_reason=REASON,
        votes_for=7,
        votes_against=0,
    )
    idea = Idea.objects.get(pk=board["idea"].pk)
    assert idea.status == Status.FINANCIERING
    return services.set_published(
        idea, actor=board["people"]["users"]["gebiedsregisseur"], published=True
    )


def running_plan(smederij, *, status=Status.IN_UITVOERING, milestones=0, done=0, **kwargs):
    """A published lange-klap plan in ``status``, made directly (for the overview's tables)."""
    kwargs.setdefault("title", f"Buurthuis {smederij.name}")
    kwargs.setdefault("kind", Kind.LANGE_KLAP)
    kwargs.setdefault("is_published", True)
    idea = IdeaFactory(
        smederij=smederij,
        status=status,
        reference=f"L{Idea.objects.count() + 1:05d}",
        **kwargs,
    )
    today = timezone.localdate()
    Milestone.objects.bulk_create(
        Milestone(
            idea=idea,
            title=f"Stap {n + 1}",
            planned_on=today + timedelta(days=30 * n),
            done_on=today if n < done else None,
        )
        for n in range(milestones)
    )
    return idea


# The public page of a plan -----------------------------------------------------------------------


def test_the_public_page_shows_the_decision_and_the_milestones_but_never_the_votes(
    client, english, plan, board
):
    team = board["people"]["users"]["wijkteam_a"]
    today = timezone.localdate()
    first = services.add_milestone(
        plan, actor=team, title="Vergunning aangevraagd", planned_on=today - timedelta(days=10)
    )
    services.add_milestone(
        plan,
        actor=team,
        title="Bouw start",
        planned_on=today + timedelta(days=60),
        public_note="De aannemer is gekozen.",
    )
    services.complete_milestone(first, actor=team, done_on=today)

    response = english.get(plan.get_absolute_url())
    assert response.status_code == 200
    page = text_of(response)
    assert "Decision of the stuurgroep" in page
    assert "positive" in page
    assert REASON in page
    assert "1 of 2 steps done." in page
    assert page.index("Vergunning aangevraagd") < page.index("Bouw start")
    assert "De aannemer is gekozen." in page
    assert f'done on <time datetime="{today:%Y-%m-%d}">' in page
    # Never the votes, never who was there or who recorded the decision.
    for secret in ("vote", "abstention", "7 for", "Carla", "Voorzitter", "Lid "):
        assert secret not in page.split("<main", 1)[-1], secret


def test_a_korte_klap_idea_page_has_no_plan_sections(client, english, people):
    idea = published_idea(smederij=people["krakeel"])
    page = text_of(english.get(idea.get_absolute_url()))
    assert "Steps of the plan" not in page
    assert "Decision of the stuurgroep" not in page


# The overview ------------------------------------------------------------------------------------


def test_the_overview_groups_the_running_plans_per_area_with_their_progress(
    client, english, people
):
    krakeel, elim = people["krakeel"], people["elim"]
    running_plan(elim, title="Dorpshuis Elim", milestones=5, done=3)
    running_plan(krakeel, title="Park Krakeel", status=Status.FINANCIERING)
    response = english.get(OVERVIEW)
    assert response.status_code == 200
    page = text_of(response)
    # Per area, in alphabetical order, each plan with its status and progress.
    assert page.index("<h2") < page.index("Elim") < page.index("Dorpshuis Elim")
    assert page.index("Dorpshuis Elim") < page.index("Krakeel") < page.index("Park Krakeel")
    assert "3 of 5 steps done." in page
    assert 'Next step: <span lang="nl">Stap 4</span>' in page
    assert "No steps are planned yet." in page
    assert "Looking for money" in page
    plan = Idea.objects.get(title="Dorpshuis Elim")
    assert f'href="{plan.get_absolute_url()}"' in page


def test_the_overview_leaves_out_unpublished_korte_klap_unfunded_and_old_plans(
    client, english, people
):
    krakeel = people["krakeel"]
    shown = running_plan(krakeel, title="Loopt nog", status=Status.GEREALISEERD)
    lately = running_plan(krakeel, title="Pas klaar", status=Status.AFGEROND)
    StatusChange.objects.create(idea=lately, from_status="gerealiseerd", to_status="afgerond")
    old = running_plan(krakeel, title="Lang geleden klaar", status=Status.AFGEROND)
    StatusChange.objects.create(
        idea=old,
        from_status="gerealiseerd",
        to_status="afgerond",
        at=timezone.now() - timedelta(days=400),
    )
    running_plan(krakeel, title="Niet openbaar", is_published=False)
    running_plan(krakeel, title="Korte klap", kind=Kind.KORTE_KLAP)
    running_plan(krakeel, title="Nog bij de stuurgroep", status=Status.BIJ_STUURGROEP)
    running_plan(krakeel, title="Afgewezen plan", status=Status.AFGEWEZEN)

    response = english.get(OVERVIEW)
    plans = [p for g in response.context["groups"] for p in g["plans"]]
    assert {p.pk for p in plans} == {shown.pk, lately.pk}
    page = text_of(response)
    for title in ("Lang geleden", "Niet openbaar", "Korte klap", "Nog bij de", "Afgewezen"):
        assert title not in page, title


def test_the_overview_says_when_there_are_no_plans(client, english, people):
    response = english.get(OVERVIEW)
    assert response.status_code == 200
    assert "There are no lange-klap plans on their way at the moment." in text_of(response)


def test_the_overview_is_public_and_shows_no_personal_data(client, english, people):
    running_plan(
        people["krakeel"],
        title="Buurttuin",
        contact_name="Pieter Geheim",
        contact_email="pieter@example.org",
        contact_phone="06 99999999",
        milestones=1,
    )
    page = text_of(english.get(OVERVIEW))
    assert "Buurttuin" in page
    for secret in ("Pieter", "pieter@example.org", "06 99999999"):
        assert secret not in page


def test_the_overview_needs_the_same_queries_for_1_or_10_plans(
    client, people, django_assert_max_num_queries, django_assert_num_queries
):
    running_plan(people["krakeel"], title="Plan 0", milestones=3, done=1)
    with django_assert_max_num_queries(10) as few:
        assert client.get(OVERVIEW).status_code == 200
    for n in range(1, 10):
        area = people["elim"] if n % 2 else people["krakeel"]
        running_plan(area, title=f"Plan {n}", milestones=n, done=n // 2)
    with django_assert_num_queries(len(few)):
        response = client.get(OVERVIEW)
    assert sum(len(g["plans"]) for g in response.context["groups"]) == 10


# The review page's milestones section ----------------------------------------------------------


def review_url(idea) -> str:
    return reverse("ideas:review", kwargs={"public_id": idea.public_id})


def test_the_team_adds_and_completes_milestones_on_the_review_page(client, english, plan, board):
    team = board["people"]["users"]["wijkteam_a"]
    english.force_login(team)
    page = text_of(english.get(review_url(plan)))
    assert "Milestones of the plan" in page
    assert "There are no milestones yet." in page

    planned = timezone.localdate() + timedelta(days=20)
    response = english.post(
        review_url(plan),
        {
            "add_milestone": "1",
            "milestone-title": "Tekening klaar",
            "milestone-planned_on": f"{planned:%Y-%m-%d}",
            "milestone-public_note": "De architect tekent het nieuwe buurthuis.",
        },
        follow=True,
    )
    milestone = Milestone.objects.get(idea=plan)
    assert (milestone.title, milestone.planned_on, milestone.done_on) == (
        "Tekening klaar",
        planned,
        None,
    )
    assert milestone.public_note == "De architect tekent het nieuwe buurthuis."
    assert "The milestone is added." in text_of(response)

    today = timezone.localdate()
    response = english.post(
        review_url(plan),
        {
            "reach_milestone": str(milestone.pk),
            f"reached-{milestone.pk}-done_on": f"{today:%d-%m-%Y}",
        },
        follow=True,
    )
    milestone.refresh_from_db()
    assert milestone.done_on == today
    assert "is marked as reached" in text_of(response)
    # The public page shows it.
    client.logout()
    assert "Tekening klaar" in text_of(client.get(plan.get_absolute_url()))


def test_mistakes_are_shown_next_to_the_field_and_nothing_typed_is_lost(
    client, english, plan, board
):
    team = board["people"]["users"]["wijkteam_a"]
    english.force_login(team)
    response = english.post(
        review_url(plan),
        {
            "add_milestone": "1",
            "milestone-title": "",
            "milestone-planned_on": "morgen",
            "milestone-public_note": "Een notitie die blijft staan.",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert_error_next_to(page, "id_milestone-title", "Fill in what the milestone is.")
    assert_error_next_to(page, "id_milestone-planned_on", "Fill in a date like 15-03-2027.")
    assert "Een notitie die blijft staan." in page
    assert "<title>Error:" in page
    assert not Milestone.objects.exists()

    milestone = services.add_milestone(
        plan, actor=team, title="Start bouw", planned_on=timezone.localdate()
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = english.post(
        review_url(plan),
        {
            "reach_milestone": str(milestone.pk),
            f"reached-{milestone.pk}-done_on": f"{tomorrow:%Y-%m-%d}",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert_error_next_to(
        page, f"id_reached-{milestone.pk}-done_on", "A milestone cannot be reached in the future."
    )
    assert f'value="{tomorrow:%Y-%m-%d}"' in page
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_another_areas_member_gets_404_and_nothing_changes(client, plan, board):
    team = board["people"]["users"]["wijkteam_a"]
    milestone = services.add_milestone(
        plan, actor=team, title="Start bouw", planned_on=timezone.localdate()
    )
    client.force_login(board["people"]["users"]["wijkteam_b"])
    assert client.get(review_url(plan)).status_code == 404
    response = client.post(
        review_url(plan),
        {
            "add_milestone": "1",
            "milestone-title": "Van een ander",
            "milestone-planned_on": f"{timezone.localdate():%Y-%m-%d}",
        },
    )
    assert response.status_code == 404
    response = client.post(
        review_url(plan),
        {
            "reach_milestone": str(milestone.pk),
            f"reached-{milestone.pk}-done_on": f"{timezone.localdate():%Y-%m-%d}",
        },
    )
    assert response.status_code == 404
    assert list(Milestone.objects.values_list("title", "done_on")) == [("Start bouw", None)]


def test_ideas_without_milestones_have_no_milestones_section(client, english, people):
    idea = published_idea(smederij=people["krakeel"])
    english.force_login(people["users"]["wijkteam_a"])
    page = text_of(english.get(review_url(idea)))
    assert "Milestones of the plan" not in page
