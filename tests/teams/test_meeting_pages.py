"""The stuurgroep's meeting pages: the list, planning a meeting, who is present, the print agenda
and the decision form, for every role; fixed query counts however many plans are on the agenda."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ideas import services as idea_services
from ideas.models import (
    AgendaItem,
    Assessment,
    Attendance,
    Idea,
    Kind,
    Meeting,
    OrganisationPosition,
    PaperSupportList,
    Recommendation,
    Scale,
    StuurgroepDecision,
    Support,
)
from ideas.workflow import Status
from tests.ideas.factories import move, submitted_idea
from tests.teams.conftest import ROLES, with_second_factor
from tests.teams.test_stuurgroep_decisions import REASON, attend, board  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    """The visitor chose English: the pages show the source texts."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def chaired(request):
    """The board, with the chair able to sign in (staff work with a second factor)."""
    setup = request.getfixturevalue("board")
    with_second_factor(setup["chair"])
    return setup


def urls(setup) -> dict[str, str]:
    meeting, idea = setup["meeting"], setup["idea"]
    return {
        "list": reverse("ideas:meeting-list"),
        "new": reverse("ideas:meeting-new"),
        "detail": reverse("ideas:meeting", kwargs={"pk": meeting.pk}),
        "agenda": reverse("ideas:meeting-agenda", kwargs={"pk": meeting.pk}),
        "calendar": reverse("ideas:meeting-ics", kwargs={"pk": meeting.pk}),
        "attendance": reverse("ideas:meeting-attendance", kwargs={"pk": meeting.pk}),
        "decision": reverse(
            "ideas:meeting-decision", kwargs={"pk": meeting.pk, "public_id": idea.public_id}
        ),
    }


def post_data(setup) -> dict[str, dict]:
    return {
        "new": {
            "date": "2025-10-01",
            "time": "19:30",
            "place": "Buurthuis Krakeel",
            "ideas": [setup["idea"].pk],
        },
        "attendance": {"present": [m.pk for m in setup["orgs"][:5] + setup["residents"][:2]]},
        "decision": {
            "outcome": "positief",
            "public_reason": REASON,
            "votes_for": "6",
            "votes_against": "1",
            "abstentions": "0",
        },
    }


def state(setup):
    return (
        Meeting.objects.count(),
        Attendance.objects.filter(present=True).count(),
        StuurgroepDecision.objects.count(),
        Idea.objects.get(pk=setup["idea"].pk).status,
    )


READERS = {"stuurgroep_member", "gebiedsregisseur", "chair"}
RUNNERS = {"gebiedsregisseur", "chair"}  # the gebiedsregisseur of Krakeel: the plan's area

# page, method → the roles that may, and the status they get
PAGES = [
    ("list", "get", READERS, 200),
    ("new", "get", RUNNERS, 200),
    ("new", "post", RUNNERS, 302),
    ("detail", "get", READERS, 200),
    ("agenda", "get", READERS, 200),
    ("calendar", "get", READERS, 200),
    ("attendance", "get", RUNNERS, 302),
    ("attendance", "post", RUNNERS, 302),
    ("decision", "get", RUNNERS, 200),
    # Nobody is marked present yet: the form comes back with the quorum refusal.
    ("decision", "post", RUNNERS, 200),
]


@pytest.mark.parametrize("role", [*ROLES, "chair"])
@pytest.mark.parametrize("page, method, allowed, ok_status", PAGES)
def test_permission_table(client, chaired, role, page, method, allowed, ok_status):
    setup = chaired
    user = setup["chair"] if role == "chair" else setup["people"]["users"][role]
    if user is not None:
        client.force_login(user)
    before = state(setup)
    url = urls(setup)[page]
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, post_data(setup)[page])
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("account_login") in response.headers["Location"]
    elif role in allowed:
        assert response.status_code == ok_status, response
    else:
        assert response.status_code == 403, response
    if method == "post" and role not in allowed:
        assert state(setup) == before


def test_list_shows_plan_button_only_to_who_runs_meetings(english, chaired):
    english.force_login(chaired["chair"])
    page = english.get(reverse("ideas:meeting-list")).content.decode()
    assert "Plan a meeting" in page
    assert "Raadhuis" in page
    english.force_login(chaired["people"]["users"]["stuurgroep_member"])
    page = english.get(reverse("ideas:meeting-list")).content.decode()
    assert "Plan a meeting" not in page
    assert "Raadhuis" in page


def test_plan_a_meeting(english, chaired):
    english.force_login(chaired["chair"])
    form = english.get(reverse("ideas:meeting-new")).content.decode()
    assert chaired["idea"].title in form
    response = english.post(
        reverse("ideas:meeting-new"),
        {
            "date": "2025-10-01",
            "time": "19:30",
            "place": "Buurthuis",
            "ideas": [chaired["idea"].pk],
        },
        follow=True,
    )
    meeting = Meeting.objects.get(place="Buurthuis")
    assert response.redirect_chain[-1][0] == reverse("ideas:meeting", kwargs={"pk": meeting.pk})
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2025-10-01 19:30"
    assert list(meeting.agenda.all()) == [chaired["idea"]]
    assert meeting.attendance.count() == 10
    page = response.content.decode()
    assert "The meeting is planned." in page
    assert reverse("ideas:dossier", kwargs={"public_id": chaired["idea"].public_id}) in page


def test_plan_a_meeting_errors_keep_what_was_typed(english, chaired):
    english.force_login(chaired["chair"])
    before = Meeting.objects.count()
    response = english.post(
        reverse("ideas:meeting-new"),
        {"date": "2025-10-01", "time": "", "place": "Buurthuis Zuid"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'id="id_time_error_1">Fill in when the meeting starts\.', page)
    assert 'value="Buurthuis Zuid"' in page
    assert 'value="2025-10-01"' in page
    assert Meeting.objects.count() == before


def test_attendance_and_quorum_in_plain_words(english, chaired):
    setup = chaired
    english.force_login(setup["chair"])
    url = urls(setup)
    page = english.get(url["detail"]).content.decode()
    assert "0 of the 10 members present, 0 resident members. There is no quorum" in page
    assert "resident member, Krakeel" in page  # seat type next to each name
    present = [m.pk for m in setup["orgs"][:6] + setup["residents"][:1]]
    response = english.post(url["attendance"], {"present": present}, follow=True)
    page = response.content.decode()
    assert "Who is present is saved." in page
    assert "7 of the 10 members present, 1 resident member: the stuurgroep can decide." in page
    assert set(
        setup["meeting"].attendance.filter(present=True).values_list("member_id", flat=True)
    ) == set(present)
    assert "Record the decision" in page


def test_attendance_is_fixed_after_a_decision(english, chaired):
    setup = chaired
    attend(setup, 6, 1)
    idea_services.decide(
        setup["idea"],
        setup["meeting"],
        actor=setup["chair"],
        outcome="positief",
        public_reason=REASON,
        votes_for=7,
        votes_against=0,
    )
    english.force_login(setup["chair"])
    response = english.post(urls(setup)["attendance"], {"present": []}, follow=True)
    assert "who was there is fixed" in response.content.decode()
    assert setup["meeting"].attendance.filter(present=True).count() == 7


def test_decision_refused_without_quorum(english, chaired):
    setup = chaired
    attend(setup, 4, 0)
    english.force_login(setup["chair"])
    before = state(setup)
    page = english.get(urls(setup)["decision"]).content.decode()
    assert "4 of the 10 members present, 0 resident members. There is no quorum" in page
    assert "4 members present may vote on this plan" in page
    data = post_data(setup)["decision"] | {"votes_for": "3", "votes_against": "1"}
    response = english.post(urls(setup)["decision"], data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "form-error-summary" in page
    assert "There is no quorum: 4 of the 10 members are present" in page
    assert REASON in page  # nothing typed is lost
    assert state(setup) == before


def test_decision_errors_next_to_the_field(english, chaired):
    setup = chaired
    attend(setup, 6, 1)
    english.force_login(setup["chair"])
    before = state(setup)
    data = post_data(setup)["decision"] | {"public_reason": "", "votes_for": "5"}
    page = english.post(urls(setup)["decision"], data).content.decode()
    assert re.search(r'id="id_public_reason_error_1">Write the reason for the decision', page)
    assert re.search(r'id="id_votes_for_error_1">7 members present may vote', page)
    assert 'value="positief"' in page and "checked" in page
    data = post_data(setup)["decision"] | {"votes_for": "3", "votes_against": "4"}
    page = english.post(urls(setup)["decision"], data).content.decode()
    assert re.search(r'id="id_outcome_error_1">A positive decision needs more votes', page)
    assert state(setup) == before


def test_decision_recorded(english, chaired, mailoutbox, django_capture_on_commit_callbacks):
    setup = chaired
    attend(setup, 6, 1)
    english.force_login(setup["chair"])
    data = post_data(setup)["decision"] | {
        "votes_for": "5",
        "votes_against": "1",
        "abstentions": "1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(urls(setup)["decision"], data, follow=True)
    assert response.redirect_chain[-1][0].startswith(urls(setup)["detail"])
    page = response.content.decode()
    assert "is recorded" in page
    assert "5 for, 1 against, 1 abstained" in page
    decision = StuurgroepDecision.objects.get()
    assert (decision.outcome, decision.votes_for, decision.public_reason) == ("positief", 5, REASON)
    assert Idea.objects.get(pk=setup["idea"].pk).status == Status.FINANCIERING
    # Once decided, the form is not offered again.
    response = english.get(urls(setup)["decision"])
    assert response.status_code == 302


def test_gebiedsregisseur_of_another_area_may_not_decide(client, chaired):
    setup = chaired
    other = setup["people"]["users"]["gebiedsregisseur"]
    setup["idea"].smederij = setup["people"]["elim"]
    setup["idea"].save(update_fields=["smederij"])
    client.force_login(other)
    assert client.get(urls(setup)["decision"]).status_code == 403
    assert client.get(urls(setup)["detail"]).status_code == 200


def test_the_meeting_goes_in_a_calendar_like_a_wijkoverleg(client, chaired):
    """The same calendar files as the wijkoverleg (smederijen.calendar): Amsterdam time."""
    client.force_login(chaired["chair"])
    response = client.get(urls(chaired)["calendar"])
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    meeting = chaired["meeting"]
    assert event.decoded("dtstart") == meeting.starts_at.replace(microsecond=0)
    assert str(event.decoded("dtstart").tzinfo) == "Europe/Amsterdam"
    assert str(event["location"]) == meeting.place
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)


def test_print_agenda_shows_the_dossiers(english, chaired, organisations):
    setup = chaired
    idea = setup["idea"]
    Idea.objects.filter(pk=idea.pk).update(amount_requested=Decimal("25000"))
    Support.objects.create(
        idea=idea, name="A", email="a@example.org", street="Krakeel", confirmed_at=timezone.now()
    )
    Support.objects.create(idea=idea, name="B", email="b@example.org", street="Krakeel")
    PaperSupportList.objects.create(idea=idea, count=12)
    OrganisationPosition.objects.create(
        idea=idea,
        organisation=organisations["domesta"],
        stance="steunt",
        explanation="Past bij onze plannen.",
    )
    english.force_login(setup["people"]["users"]["stuurgroep_member"])
    page = english.get(urls(setup)["agenda"]).content.decode()
    assert "css/print.css" in page
    assert "js/print.js" in page
    assert "Print or save as PDF" in page
    assert "1 confirmed supporter online" in page
    assert "12 signatures on paper" in page
    assert "Domesta: supports it." in page
    assert "Past bij onze plannen." in page
    assert "25.000" in page or "25,000" in page
    assert "Krakeel" in page
    assert "<script>" not in page and "onclick" not in page  # strict CSP: no inline script


def _add_plans(setup, count: int, organisations) -> None:
    stuurgroep_member = setup["people"]["users"]["wijkteam_a"]
    for n in range(count):
        idea = submitted_idea(smederij=setup["people"]["krakeel"], kind=Kind.LANGE_KLAP)
        idea = move(idea, Status.IN_BEHANDELING, Status.BIJ_STUURGROEP, actor=stuurgroep_member)
        AgendaItem.objects.create(meeting=setup["meeting"], idea=idea, position=n + 1)
        Support.objects.create(
            idea=idea, name="S", email=f"s{n}@example.org", street="X", confirmed_at=timezone.now()
        )
        PaperSupportList.objects.create(idea=idea, count=3)
        OrganisationPosition.objects.create(
            idea=idea, organisation=organisations["politie"], stance="neutraal", explanation="-"
        )


@pytest.mark.parametrize("page", ["detail", "agenda"])
def test_query_counts_fixed(client, chaired, organisations, django_assert_max_num_queries, page):
    setup = chaired
    attend(setup, 6, 1)
    client.force_login(setup["chair"])
    url = urls(setup)[page]
    client.get(url)  # warm caches (session, settings)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _add_plans(setup, 4, organisations)
    idea_services.decide(
        setup["idea"],
        setup["meeting"],
        actor=setup["chair"],
        outcome="aanhouden",
        public_reason=REASON,
        votes_for=3,
        votes_against=3,
        abstentions=1,
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("/stuurgroep/dossiers/") >= 5


def _support(idea, n: int) -> None:
    """Someone supports the plan online and confirms by the link in the mail."""
    support = idea_services.give_support(
        idea, name=f"Buur {n}", email=f"buur{n}@example.org", street="Krakeel"
    )
    idea_services.confirm_support(support)


def _assess(idea, member) -> None:
    idea_services.assess(
        idea,
        actor=member.user,
        residents_support=Scale.BROAD,
        professionals_support=Scale.SOME,
        recommendation=Recommendation.POSITIEF,
        remark=f"Oordeel van {member.name}.",
    )


@pytest.mark.parametrize("page", ["detail", "agenda"])
def test_query_counts_fixed_however_many_supports_and_assessments(
    english, chaired, django_assert_max_num_queries, page
):
    """With 50 confirmed supports and 10 assessments the page asks no more than with 1 and 1."""
    setup = chaired
    idea = setup["idea"]
    members = setup["orgs"] + setup["residents"]
    assert len(members) == 10 and all(member.user_id for member in members)
    # Online support is for plans on the public site: the gebiedsregisseur publishes it.
    idea = idea_services.set_published(
        idea, actor=setup["people"]["users"]["gebiedsregisseur"], published=True
    )
    attend(setup, 6, 1)
    _support(idea, 0)
    _assess(idea, members[0])
    english.force_login(setup["chair"])
    url = urls(setup)[page]
    english.get(url)  # warm caches (session, settings)
    with CaptureQueriesContext(connection) as small:
        assert english.get(url).status_code == 200
    for n in range(1, 50):
        _support(idea, n)
    for member in members[1:]:
        _assess(idea, member)
    assert idea.supports.confirmed().count() == 50
    assert Assessment.objects.filter(idea=idea).count() == 10
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = english.get(url)
    assert response.status_code == 200
    if page == "agenda":
        assert "50 confirmed supporters online" in response.content.decode()
