"""The satisfaction of submitters in the year report: how many were asked and answered, the
average and the spread, and the reasons as quotes without name, idea or date. Staff only, for
the chosen year and area, in the same number of queries for 1 or 30 answers.

Ideas are closed through the services (the wijkteam turns them down); the submitters answer
through ``services.answer_satisfaction``, as the form does.
"""

import html as html_lib
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from budgets import services as budget_services
from ideas import services
from ideas.models import SatisfactionSurvey
from smederijen import parts
from tests.budgets.conftest import THIS_YEAR
from tests.budgets.test_permissions import LOGIN, STAFF, outcome
from tests.ideas.factories import submitted_idea
from tests.teams.conftest import ROLES

pytestmark = pytest.mark.django_db

REPORT = reverse("ideas:report")


def closed_idea(smederij, member, **fields):
    """An idea sent in, taken up and turned down by ``member``'s team: its submitter is asked."""
    idea = submitted_idea(smederij=smederij, **fields)
    idea = services.take_up(idea, actor=member)
    idea = services.reject(idea, actor=member, reason="Past niet binnen de voorwaarden.")
    return idea


def answer(idea, score, reason=""):
    survey = SatisfactionSurvey.objects.get(idea=idea)
    return services.answer_satisfaction(survey, score=score, reason=reason)


def text(response) -> str:
    assert response.status_code == 200, response
    return html_lib.unescape(response.content.decode())


def section(page: str) -> str:
    """The satisfaction part of the report page."""
    start = page.index('id="satisfaction-title"')
    return page[start : page.index("budget-links", start)]


@pytest.fixture
def english(client):
    """The visitor chose English: the page shows the source texts."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def answers(people):
    """Krakeel: four submitters asked, three answered (5, 4 and 2), two with a reason.
    Elim: one asked, answered 1 with a reason. Last year's question in Krakeel does not count."""
    krakeel, elim = people["krakeel"], people["elim"]
    member, elim_member = people["users"]["wijkteam_a"], people["users"]["wijkteam_b"]
    budget_services.open_budget(
        krakeel, THIS_YEAR, "1000.00", actor=people["users"]["gebiedsregisseur"]
    )
    ideas = [
        closed_idea(
            krakeel,
            member,
            title=f"Krakeel idee {n}",
            contact_name=f"Indiener Krakeel {n}",
            contact_email=f"krakeel{n}@example.org",
        )
        for n in range(4)
    ]
    answer(ideas[0], 5, "Heel goed geholpen door de opbouwwerker.")
    answer(ideas[1], 4)
    answer(ideas[2], 2, "Het duurde lang voordat ik iets hoorde.")
    village = closed_idea(elim, elim_member, title="Elim idee", contact_name="Indiener Elim")
    answer(village, 1, "Niemand belde terug.")
    old = closed_idea(krakeel, member, title="Oud idee")
    answer(old, 1, "Dit is van vorig jaar.")
    last_year = timezone.now() - timedelta(days=400)
    SatisfactionSurvey.objects.filter(idea=old).update(asked_at=last_year, answered_at=last_year)
    return {"krakeel": ideas, "elim": village, "old": old}


def test_staff_see_the_counts_average_and_spread(client, people, answers):
    client.force_login(people["users"]["ondersteuning"])
    response = client.get(REPORT, {"jaar": THIS_YEAR})
    figures = response.context["report"].satisfaction
    assert (figures.asked, figures.answered, figures.answered_percent) == (5, 4, 80)
    assert str(figures.average) == "3.0"  # (5 + 4 + 2 + 1) / 4
    assert [n for _label, n in figures.by_score] == [1, 1, 0, 1, 1]  # scores 1 to 5
    page = section(text(response))
    assert "3,0" in page  # one decimal, with a Dutch comma
    assert "80%" in page
    # The spread as a table with a caption and headers, one row per score.
    table = re.search(r'<table[^>]*>.*?id="satisfaction-chart-caption".*?</table>', page, re.S)
    assert table
    rows = re.findall(
        r'<th class="[^"]*" scope="row">([^<]*)</th>\s*<td[^>]*>(\d+)</td>', table.group(0)
    )
    assert [int(n) for _label, n in rows] == [1, 1, 0, 1, 1]


def test_the_average_has_one_decimal(client, people, answers):
    answer(closed_idea(people["krakeel"], people["users"]["wijkteam_a"]), 5)
    client.force_login(people["users"]["ondersteuning"])
    response = client.get(REPORT, {"jaar": THIS_YEAR, "gebied": "krakeel"})
    figures = response.context["report"].satisfaction
    assert str(figures.average) == "4.0"  # (5 + 4 + 2 + 5) / 4
    answer(closed_idea(people["krakeel"], people["users"]["wijkteam_a"]), 4)
    response = client.get(REPORT, {"jaar": THIS_YEAR, "gebied": "krakeel"})
    assert str(response.context["report"].satisfaction.average) == "4.0"  # 20 / 5
    answer(closed_idea(people["krakeel"], people["users"]["wijkteam_a"]), 3)
    response = client.get(REPORT, {"jaar": THIS_YEAR, "gebied": "krakeel"})
    assert str(response.context["report"].satisfaction.average) == "3.8"  # 23 / 6 = 3.83
    assert "3,8" in section(text(response))


def test_the_reasons_are_anonymous_quotes_newest_first(client, people, answers):
    client.force_login(people["users"]["ondersteuning"])
    response = client.get(REPORT, {"jaar": THIS_YEAR})
    assert response.context["report"].satisfaction.reasons == [
        "Niemand belde terug.",
        "Het duurde lang voordat ik iets hoorde.",
        "Heel goed geholpen door de opbouwwerker.",
    ]
    page = text(response)
    quotes = re.findall(r"<blockquote[^>]*>(.*?)</blockquote>", page, re.S)
    assert [re.sub(r"<[^>]+>", "", q).strip() for q in quotes] == [
        "Niemand belde terug.",
        "Het duurde lang voordat ik iets hoorde.",
        "Heel goed geholpen door de opbouwwerker.",
    ]
    assert "Dit is van vorig jaar." not in page
    # Nothing on the page ties an answer to a person or an idea.
    for idea in [*answers["krakeel"], answers["elim"]]:
        for personal in [idea.title, idea.reference, idea.contact_name, idea.contact_email]:
            assert personal not in page, personal
        assert str(SatisfactionSurvey.objects.get(idea=idea).token) not in page


def test_at_most_50_reasons_are_shown(client, people, answers):
    member = people["users"]["wijkteam_a"]
    for n in range(50):
        answer(closed_idea(people["krakeel"], member), 3, f"Reden nummer {n}.")
    client.force_login(people["users"]["ondersteuning"])
    response = client.get(REPORT, {"jaar": THIS_YEAR})
    reasons = response.context["report"].satisfaction.reasons
    assert len(reasons) == 50
    assert reasons[0] == "Reden nummer 49." and reasons[-1] == "Reden nummer 0."
    assert response.context["report"].satisfaction.answered == 54  # all answers still count


def test_the_area_filter_counts_only_that_area(client, people, answers):
    client.force_login(people["users"]["ondersteuning"])
    krakeel = client.get(REPORT, {"jaar": THIS_YEAR, "gebied": "krakeel"})
    figures = krakeel.context["report"].satisfaction
    assert (figures.asked, figures.answered, figures.answered_percent) == (4, 3, 75)
    assert str(figures.average) == "3.7"  # 11 / 3
    assert "Niemand belde terug." not in figures.reasons
    elim = client.get(REPORT, {"jaar": THIS_YEAR, "gebied": "elim"})
    figures = elim.context["report"].satisfaction
    assert (figures.asked, figures.answered, str(figures.average)) == (1, 1, "1.0")
    assert figures.reasons == ["Niemand belde terug."]


def test_questions_of_another_year_do_not_count(client, people, answers):
    SatisfactionSurvey.objects.filter(idea=answers["elim"]).update(
        asked_at=timezone.now() - timedelta(days=800)
    )
    client.force_login(people["users"]["ondersteuning"])
    figures = client.get(REPORT, {"jaar": THIS_YEAR}).context["report"].satisfaction
    assert (figures.asked, figures.answered) == (4, 3)


def test_without_questions_the_report_says_so(client, people, english):
    client.force_login(people["users"]["ondersteuning"])
    response = client.get(REPORT, {"jaar": THIS_YEAR})
    figures = response.context["report"].satisfaction
    assert (figures.asked, figures.answered, figures.average) == (0, 0, None)
    assert figures.answered_percent is None
    page = text(response)
    assert f"No submitters were asked in {THIS_YEAR} yet." in page
    assert "<blockquote" not in page


def test_asked_but_not_answered_yet(client, people, english):
    closed_idea(people["krakeel"], people["users"]["wijkteam_a"])
    client.force_login(people["users"]["ondersteuning"])
    response = client.get(REPORT, {"jaar": THIS_YEAR})
    figures = response.context["report"].satisfaction
    assert (figures.asked, figures.answered, figures.answered_percent) == (1, 0, 0)
    assert figures.average is None
    assert "No answers yet" in text(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_see_the_satisfaction(client, people, answers, role):
    user = people["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(REPORT, {"jaar": THIS_YEAR})
    expected = STAFF[ROLES.index(role)]
    assert outcome(response) == expected
    if expected != 200:
        body = response.content.decode()
        assert "Niemand belde terug." not in body
        assert "satisfaction-title" not in body
    if expected == LOGIN:
        assert response.headers["Location"].startswith(reverse("account_login"))


def test_the_exports_are_unchanged_by_the_answers(client, people, answers):
    """The exports keep their columns (ideas and money per Smederij); no reason is in them."""
    client.force_login(people["users"]["ondersteuning"])
    response = client.get(reverse("ideas:report-export", args=["csv"]), {"jaar": THIS_YEAR})
    content = response.content.decode("utf-8-sig")
    assert content.splitlines()[0].count(";") == 9
    assert "Niemand belde terug." not in content


def test_the_report_needs_the_same_queries_for_1_or_30_answers(
    client, people, django_assert_num_queries, django_assert_max_num_queries
):
    member = people["users"]["wijkteam_a"]
    budget_services.open_budget(
        people["krakeel"], THIS_YEAR, "1000.00", actor=people["users"]["gebiedsregisseur"]
    )
    answer(closed_idea(people["krakeel"], member), 4, "Prima.")
    client.force_login(people["users"]["ondersteuning"])

    queries = [{"jaar": THIS_YEAR}, {"jaar": THIS_YEAR, "gebied": "krakeel"}]
    few = []
    for query in queries:
        with django_assert_max_num_queries(22) as counted:
            response = client.get(REPORT, query)
        assert response.context["report"].satisfaction.answered == 1
        few.append(len(counted))

    for n in range(29):
        answer(closed_idea(people["krakeel"], member), n % 5 + 1, f"Reden {n}.")
    closed_idea(people["krakeel"], member)  # asked, not answered

    for query, number in zip(queries, few, strict=True):
        with django_assert_num_queries(number):
            response = client.get(REPORT, query)
        figures = response.context["report"].satisfaction
        assert (figures.asked, figures.answered, len(figures.reasons)) == (31, 30, 30)


def test_the_report_kept_by_version_shows_a_new_answer_and_a_new_idea_at_once(
    client, people, answers, settings, django_capture_on_commit_callbacks
):
    """The report's figures are read once per version of the ideas and budgets
    (smederijen/parts.py): an answer, a new idea and a top-up committed since show at once, for
    the whole programme and for one area."""
    settings.PART_SECONDS = 300
    parts.forget_all()
    client.force_login(people["users"]["ondersteuning"])
    queries = ({"jaar": THIS_YEAR}, {"jaar": THIS_YEAR, "gebied": "krakeel"})
    before = [client.get(REPORT, query).context["report"] for query in queries]
    again = [client.get(REPORT, query).context["report"] for query in queries]
    assert [r.total.ideas for r in again] == [r.total.ideas for r in before]
    with django_capture_on_commit_callbacks(execute=True):
        answer(answers["krakeel"][3], 3, "Prima.")
    with django_capture_on_commit_callbacks(execute=True):
        submitted_idea(smederij=people["krakeel"], title="Nieuw idee")
    with django_capture_on_commit_callbacks(execute=True):
        budget_services.ledger.top_up(
            people["krakeel"].budgets.get(year=THIS_YEAR),
            "500.00",
            reason="Extra geld",
            actor=people["users"]["gebiedsregisseur"],
        )
    for query, old in zip(queries, before, strict=True):
        report = client.get(REPORT, query).context["report"]
        assert report.satisfaction.answered == old.satisfaction.answered + 1
        assert report.total.ideas == old.total.ideas + 1
        assert report.total.money.budget == old.total.money.budget + Decimal("500.00")
        assert "Prima." in report.satisfaction.reasons
        assert "Prima." in text(client.get(REPORT, query))  # the page's part, not only its data
    parts.forget_all()
