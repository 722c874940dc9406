"""The satisfaction question after closing: the closing mail carries five links (one per score)
once per idea; the link opens a short form without sign-in that stores nothing until the
submitter presses the button; one answer per idea, and it cannot be changed afterwards.

Ideas are closed through the services (``idea_in`` of the transition tests), and every link is
taken from the mail, as the submitter gets it.
"""

import html as html_lib
import re
import uuid
from urllib.parse import urlparse

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ideas import services
from ideas.models import SatisfactionSurvey
from ideas.workflow import Status
from tests.ideas.conftest import assert_error_next_to
from tests.ideas.test_transitions import idea_in, world  # noqa: F401 (fixture used here)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"(https?://\S+/tevredenheid/[0-9a-f-]{36}/)\?cijfer=([1-5])")


def close(world, situation, django_capture_on_commit_callbacks):  # noqa: F811
    """An idea of Krakeel brought to ``situation``, with the mails of every step sent."""
    with django_capture_on_commit_callbacks(execute=True):
        return idea_in(world, situation)


def links_in(message) -> dict[int, str]:
    """The score links of one mail: score → path with the query (as a browser asks for it)."""
    found = {}
    for url, score in LINK.findall(message.body):
        found[int(score)] = f"{urlparse(url).path}?cijfer={score}"
    return found


def survey_links(mailoutbox) -> dict[int, str]:
    mails = [m for m in mailoutbox if LINK.search(m.body)]
    assert len(mails) == 1, [m.subject for m in mails]
    return links_in(mails[0])


def radio(page: str, value: int) -> str:
    match = re.search(rf'<input[^>]*name="score"[^>]*value="{value}"[^>]*>', page)
    assert match, f"no radio button for score {value}"
    return match.group(0)


def checked_scores(page: str) -> list[int]:
    return [value for value in range(1, 6) if " checked" in radio(page, value)]


def text(response) -> str:
    assert response.status_code == 200, response
    return html_lib.unescape(response.content.decode())


def state(survey: SatisfactionSurvey) -> tuple:
    survey.refresh_from_db()
    return (survey.score, survey.reason, survey.answered_at)


@pytest.fixture
def rejected(world, mailoutbox, django_capture_on_commit_callbacks):  # noqa: F811
    """A rejected idea; the mails of its steps are in the outbox."""
    return close(world, "afgewezen", django_capture_on_commit_callbacks)


@pytest.fixture
def links(rejected, mailoutbox) -> dict[int, str]:
    return survey_links(mailoutbox)


# The closing mail ------------------------------------------------------------------------------


@pytest.mark.parametrize("situation", ["afgewezen", "afgerond"])
def test_the_closing_mail_carries_the_five_links_once(
    world,  # noqa: F811
    situation,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    idea = close(world, situation, django_capture_on_commit_callbacks)
    survey = SatisfactionSurvey.objects.get(idea=idea)
    closing = [m for m in mailoutbox if LINK.search(m.body)]
    assert len(closing) == 1  # of all the mails about this idea, only the closing one asks
    assert closing[0].to == [idea.contact_email]
    links = links_in(closing[0])
    assert sorted(links) == [1, 2, 3, 4, 5]
    for score, path in links.items():
        assert path == f"{survey.get_absolute_url()}?cijfer={score}"
        assert closing[0].body.count(f"?cijfer={score}") == 1
    assert survey.answered_at is None and survey.score is None


def test_withdrawing_by_the_submitter_asks_nothing(
    world,  # noqa: F811
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    idea = close(world, "ingetrokken", django_capture_on_commit_callbacks)
    assert idea.status == Status.INGETROKKEN
    assert not SatisfactionSurvey.objects.filter(idea=idea).exists()
    assert not any(LINK.search(m.body) for m in mailoutbox)


def test_every_closed_idea_is_asked_once(world, mailoutbox, django_capture_on_commit_callbacks):  # noqa: F811
    first = close(world, "afgewezen", django_capture_on_commit_callbacks)
    second = close(world, "afgewezen", django_capture_on_commit_callbacks)
    surveys = SatisfactionSurvey.objects.filter(idea__in=[first, second])
    assert surveys.count() == 2
    mailed = [link for m in mailoutbox for link in LINK.findall(m.body) if link[1] == "1"]
    assert sorted(urlparse(url).path for url, _score in mailed) == sorted(
        s.get_absolute_url() for s in surveys
    )


# Opening the link ------------------------------------------------------------------------------


def test_opening_a_link_needs_no_sign_in_and_preselects_its_score(client, rejected, links):
    for score, path in links.items():
        response = client.get(path)
        page = text(response)
        assert checked_scores(page) == [score]
    assert rejected.title in page and rejected.reference in page
    assert '<meta name="robots" content="noindex">' in page
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert 'name="csrfmiddlewaretoken"' in page
    # A fieldset with a legend around the five choices, and the optional "why".
    assert re.search(r"<fieldset[^>]*>\s*<legend", page)
    assert 'name="reason"' in page and 'maxlength="1000"' in page


def test_the_page_shows_no_personal_data_of_the_submitter(client, rejected, links):
    page = text(client.get(links[3]))
    for personal in [
        rejected.contact_name,
        rejected.contact_email,
        rejected.contact_phone,
        rejected.contact_address,
    ]:
        assert personal and personal not in page


def test_opening_the_links_stores_nothing(client, rejected, links):
    survey = rejected.satisfaction
    before = state(survey)
    for path in links.values():
        client.get(path)
        client.head(path)
    assert state(survey) == before == (None, "", None)


@pytest.mark.parametrize("value", ["0", "6", "-1", "vier", "4.5", ""])
def test_a_wrong_score_in_the_link_is_ignored(client, rejected, links, value):
    path = links[1].split("?")[0]
    page = text(client.get(path, {"cijfer": value}))
    assert checked_scores(page) == []
    assert state(rejected.satisfaction) == (None, "", None)


def test_an_unknown_token_is_not_found(client, rejected):
    url = reverse("ideas:satisfaction", kwargs={"token": uuid.uuid4()})
    assert client.get(url, {"cijfer": "5"}).status_code == 404
    assert client.post(url, {"score": "5"}).status_code == 404
    assert client.get("/tevredenheid/geen-token/").status_code == 404
    assert state(rejected.satisfaction) == (None, "", None)


# Answering -------------------------------------------------------------------------------------


def test_sending_stores_the_answer_and_thanks(client, english, rejected, links):
    path = links[4]
    response = client.post(path.split("?")[0], {"score": "4", "reason": "  Snel antwoord.  "})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(rejected.satisfaction.get_absolute_url())
    score, reason, answered_at = state(rejected.satisfaction)
    assert (score, reason) == (4, "Snel antwoord.")
    assert answered_at is not None
    page = text(client.get(response.headers["Location"]))
    assert "We have received your answer." in page
    assert "<form" not in page.split('id="main"')[1].split("</main>")[0]


def test_the_reason_may_stay_empty(client, rejected, links):
    response = client.post(links[2].split("?")[0], {"score": "2", "reason": ""})
    assert response.status_code == 302
    assert state(rejected.satisfaction)[:2] == (2, "")


def test_a_second_answer_is_refused_and_changes_nothing(client, english, rejected, links):
    url = links[5].split("?")[0]
    client.post(url, {"score": "5", "reason": "Fijn geholpen."})
    before = state(rejected.satisfaction)

    response = client.post(url, {"score": "1", "reason": "Toch niet."})
    page = text(response)
    assert "You have answered this question already." in page
    assert state(rejected.satisfaction) == before

    # Opening a link from the mail again: the same friendly page, no form.
    page = text(client.get(links[1]))
    assert "You have answered this question already." in page
    assert 'name="score"' not in page
    assert state(rejected.satisfaction) == before


def test_a_second_answer_through_the_service_is_refused(rejected):
    survey = rejected.satisfaction
    services.answer_satisfaction(survey, score=3, reason="Gaat wel.")
    before = state(survey)
    with pytest.raises(ValidationError):
        services.answer_satisfaction(survey, score=5)
    assert state(survey) == before


@pytest.mark.parametrize("score", ["", "0", "6", "abc"], ids=["none", "zero", "six", "text"])
def test_a_missing_or_wrong_score_shows_an_error_and_keeps_the_reason(
    client, english, rejected, links, score
):
    data = {"reason": "Het duurde erg lang & niemand belde terug."}
    if score:
        data["score"] = score
    response = client.post(links[1].split("?")[0], data)
    assert response.status_code == 200
    page = response.content.decode()
    assert_error_next_to(page, "id_score", "Choose how satisfied you are.")
    # The summary at the top leads to the first of the five choices, which is there.
    assert 'href="#id_score_0"' in page and 'id="id_score_0"' in page
    assert "Het duurde erg lang &amp; niemand belde terug." in page
    assert state(rejected.satisfaction) == (None, "", None)


def test_a_too_long_reason_shows_an_error_and_keeps_the_text_and_score(
    client, english, rejected, links
):
    reason = "Lang verhaal. " * 80  # more than 1000 characters
    response = client.post(links[3].split("?")[0], {"score": "3", "reason": reason})
    assert response.status_code == 200
    page = response.content.decode()
    assert_error_next_to(page, "id_reason", "Use at most 1000 characters")
    assert reason.strip() in html_lib.unescape(page)
    assert checked_scores(page) == [3]
    assert state(rejected.satisfaction) == (None, "", None)


def test_sending_needs_the_csrf_token(rejected, links):
    strict = Client(enforce_csrf_checks=True)
    url = links[4].split("?")[0]
    assert strict.post(url, {"score": "4"}).status_code == 403
    assert state(rejected.satisfaction) == (None, "", None)

    page = strict.get(links[4]).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = strict.post(url, {"score": "4", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert state(rejected.satisfaction)[0] == 4


def test_sending_too_often_is_throttled(client, english, settings, rejected, links):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "satisfaction": "2/h/ip"}
    url = links[4].split("?")[0]
    for _attempt in range(2):
        assert client.post(url, {"reason": "Eerst vergeten"}).status_code == 200
    response = client.post(url, {"score": "4", "reason": "Nu goed"})
    assert response.status_code == 429
    page = html_lib.unescape(response.content.decode())
    assert "Many answers came from here in a short time." in page
    assert "Nu goed" in page
    assert state(rejected.satisfaction) == (None, "", None)


def test_a_signed_in_visitor_answers_the_same_way(client, people, rejected, links):
    """The link is the key, whoever is signed in (the submitter may be signed in, or not)."""
    client.force_login(people["users"]["resident"])
    response = client.post(links[5].split("?")[0], {"score": "5"})
    assert response.status_code == 302
    assert state(rejected.satisfaction)[0] == 5
