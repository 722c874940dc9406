"""The stuurgroep's dossier pages: the list, the dossier, a member's assessment and the position of
an organisation. Who may open and post what (a table), the forms through the client, no contact
details for members, and a fixed number of queries however many supports and assessments."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas import services as idea_services
from ideas.models import Assessment, Kind, OrganisationPosition, Support
from teams import services
from tests.ideas.factories import submitted_idea
from tests.teams.conftest import ROLES, with_second_factor
from tests.teams.test_stuurgroep_decisions import REASON, attend, board  # noqa: F401

pytestmark = pytest.mark.django_db

LOGIN = "login"
ASSESS = {"residents_support": "4", "professionals_support": "3", "recommendation": "positief"}
POSITION = {"stance": "steunt", "explanation": "Past goed bij onze plannen voor de wijk."}


@pytest.fixture
def english(client):
    """The visitor chose English: the pages show the source texts."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def chair(board):  # noqa: F811
    return with_second_factor(board["chair"])


def urls(idea) -> dict:
    base = f"/stuurgroep/dossiers/{idea.public_id}/"
    return {
        "list": "/stuurgroep/dossiers/",
        "dossier": base,
        "assessment": f"{base}beoordelen/",
        "position": f"{base}standpunt/",
    }


def outcome(response):
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/account/login/"):
        return LOGIN
    return response.status_code


def sign_in(client, board, role):  # noqa: F811
    user = board["chair"] if role == "chair" else board["people"]["users"][role]
    if user is not None:
        client.force_login(with_second_factor(user))


def changed(idea) -> tuple[int, int]:
    return (
        Assessment.objects.filter(idea=idea).count(),
        OrganisationPosition.objects.filter(idea=idea).count(),
    )


# role: (list, dossier, assessment GET, assessment POST, position GET, position POST)
NO = (403,) * 6
TABLE = {
    "anonymous": (LOGIN,) * 6,
    "resident": NO,
    "initiatiefgroep_member": NO,
    "wijkteam_a": (403, 403, 403, 403, 200, 302),  # staff of Stichting Welzijnswerk
    "wijkteam_b": (403, 403, 403, 403, 200, 302),  # staff of Domesta
    "stuurgroep_member": (200, 200, 200, 302, 403, 403),  # a resident seat: no organisation
    "gebiedsregisseur": (200, 200, 403, 403, 403, 403),  # secretary: reads, does not assess
    "ondersteuning": NO,
    "superuser": NO,
    "chair": (200, 200, 200, 302, 200, 302),  # an organisation seat
}


def test_the_table_has_every_role():
    assert set(TABLE) == set(ROLES) | {"chair"}


@pytest.mark.parametrize("role", [*ROLES, "chair"])
def test_permission_table(client, board, role):  # noqa: F811
    idea = board["idea"]
    sign_in(client, board, role)
    address = urls(idea)
    expected = TABLE[role]
    got = [
        outcome(client.get(address["list"])),
        outcome(client.get(address["dossier"])),
        outcome(client.get(address["assessment"])),
    ]
    before = changed(idea)
    got.append(outcome(client.post(address["assessment"], ASSESS)))
    if expected[3] != 302:
        assert changed(idea) == before
    got.append(outcome(client.get(address["position"])))
    before = changed(idea)
    got.append(outcome(client.post(address["position"], POSITION)))
    if expected[5] != 302:
        assert changed(idea) == before
    assert tuple(got) == expected


def test_a_plan_not_with_the_stuurgroep_is_not_found(client, board, chair):  # noqa: F811
    other = submitted_idea(smederij=board["people"]["krakeel"], kind=Kind.LANGE_KLAP)
    client.force_login(chair)
    for url in ("dossier", "assessment", "position"):
        assert client.get(urls(other)[url]).status_code == 404
    assert client.post(urls(other)["assessment"], ASSESS).status_code == 404
    assert changed(other) == (0, 0)


def test_list_shows_the_plan_and_then_its_decision(english, board, chair):  # noqa: F811
    english.force_login(chair)
    page = english.get("/stuurgroep/dossiers/").content.decode()
    assert board["idea"].title in page
    assert "Not yet: assess now" in page
    assert "has not decided on a plan yet" in page
    attend(board, 6, 4)
    idea_services.decide(
        board["idea"],
        board["meeting"],
        actor=chair,
        outcome="positief",
        public_reason=REASON,
        votes_for=10,
        votes_against=0,
    )
    page = english.get("/stuurgroep/dossiers/").content.decode()
    assert "There are no plans with the stuurgroep now." in page
    assert "Positive" in page
    # After the decision the dossier stays readable, the assessment is closed.
    dossier = english.get(urls(board["idea"])["dossier"]).content.decode()
    assert REASON in dossier
    closed = english.get(urls(board["idea"])["assessment"])
    assert closed.status_code == 200
    assert "The assessment is closed" in closed.content.decode()
    english.post(urls(board["idea"])["assessment"], ASSESS)
    assert changed(board["idea"]) == (0, 0)


# The assessment form -----------------------------------------------------------------------------


def test_assessment_errors_next_to_the_fields_and_nothing_lost(english, board, chair):  # noqa: F811
    english.force_login(chair)
    response = english.post(
        urls(board["idea"])["assessment"],
        {"residents_support": "4", "remark": "Mooi plan, maar de kosten zijn hoog."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose how much support professionals give." in page
    assert "Choose your recommendation." in page
    assert "Mooi plan, maar de kosten zijn hoog." in page
    assert 'name="residents_support" value="4"' in page
    assert page.count("checked") == 1
    assert Assessment.objects.count() == 0


def test_assessment_saved_and_changed(english, board, chair):  # noqa: F811
    english.force_login(chair)
    url = urls(board["idea"])["assessment"]
    response = english.post(url, {**ASSESS, "remark": "Veel steun."}, follow=True)
    assert response.redirect_chain[-1][0].endswith("#assessments-title")
    page = response.content.decode()
    assert "Your assessment is saved." in page
    assert "Change your assessment" in page
    saved = Assessment.objects.get()
    assert (saved.residents_support, saved.professionals_support) == (4, 3)
    assert saved.recommendation == "positief"
    # The form opens with what was saved; changing it replaces the assessment.
    assert "Veel steun." in english.get(url).content.decode()
    english.post(url, {**ASSESS, "recommendation": "aanhouden"})
    assert Assessment.objects.get().recommendation == "aanhouden"


def test_conflict_of_interest_needs_a_note(english, board, chair):  # noqa: F811
    english.force_login(chair)
    url = urls(board["idea"])["assessment"]
    response = english.post(url, {"has_conflict": "on"})
    assert "Say in a few words what the conflict of interest is." in response.content.decode()
    assert Assessment.objects.count() == 0
    response = english.post(
        url, {**ASSESS, "has_conflict": "on", "conflict_note": "Ik woon in deze straat."}
    )
    assert response.status_code == 302
    saved = Assessment.objects.get()
    assert saved.has_conflict and saved.recommendation == "" and saved.residents_support is None


# The position form -------------------------------------------------------------------------------


def test_position_errors_and_success(english, board):  # noqa: F811
    user = board["people"]["users"]["wijkteam_a"]
    english.force_login(user)
    url = urls(board["idea"])["position"]
    response = english.post(url, {"explanation": "Wij steunen dit."})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the organisation&#x27;s position." in page
    assert "Wij steunen dit." in page
    assert OrganisationPosition.objects.count() == 0
    response = english.post(url, POSITION)
    assert response.status_code == 302
    position = OrganisationPosition.objects.get()
    assert position.organisation.name == "Stichting Welzijnswerk"
    assert position.recorded_by == user
    follow = english.get(response.headers["Location"]).content.decode()
    assert "The position of Stichting Welzijnswerk is saved." in follow


def test_position_choice_limited_to_own_organisations(english, board, organisations):  # noqa: F811
    user = board["people"]["users"]["wijkteam_b"]  # Domesta, in the team of Elim
    services.add_team_member(
        board["people"]["team_a"],
        name="Ruud Hendriks",
        organisation=organisations["gemeente"],
        function="Beleidsmedewerker",
        user=user,
    )
    english.force_login(user)
    url = urls(board["idea"])["position"]
    page = english.get(url).content.decode()
    assert "Domesta" in page and "Gemeente Hoogeveen" in page
    assert "Politie" not in page
    # Someone else's organisation is refused as a choice.
    response = english.post(url, {**POSITION, "organisation": organisations["politie"].pk})
    assert response.status_code == 200
    assert OrganisationPosition.objects.count() == 0
    response = english.post(url, {**POSITION, "organisation": organisations["gemeente"].pk})
    assert response.status_code == 302
    assert OrganisationPosition.objects.get().organisation == organisations["gemeente"]


def test_dossier_lists_organisations_without_a_position(english, board, chair):  # noqa: F811
    idea_services.record_position(
        board["idea"],
        board["orgs"][1].organisation,
        actor=board["orgs"][1].user,
        stance="steunt_niet",
        explanation="Te duur voor wat het oplevert.",
    )
    english.force_login(chair)
    page = english.get(urls(board["idea"])["dossier"]).content.decode()
    assert "Does not support it" in page
    assert "Te duur voor wat het oplevert." in page
    assert page.count("No position yet") == len(board["orgs"]) - 1


# Contact details and the assessments of others ---------------------------------------------------


def test_members_see_no_contact_details(client, board, chair):  # noqa: F811
    idea = board["idea"]
    member = board["people"]["users"]["stuurgroep_member"]
    for user in (chair, member):
        client.force_login(with_second_factor(user))
        page = client.get(urls(idea)["dossier"]).content.decode()
        assert idea.contact_email not in page
        assert idea.contact_phone not in page
    client.force_login(board["people"]["users"]["gebiedsregisseur"])  # of Krakeel
    page = client.get(urls(idea)["dossier"]).content.decode()
    assert idea.contact_email in page


def test_others_assessments_only_as_counts(english, board, chair):  # noqa: F811
    idea = board["idea"]
    idea_services.assess(
        idea,
        actor=board["residents"][1].user,
        residents_support=2,
        professionals_support=4,
        recommendation="negatief",
        remark="Geheime opmerking van een lid.",
    )
    english.force_login(chair)
    page = english.get(urls(idea)["dossier"]).content.decode()
    assert "Geheime opmerking van een lid." not in page
    assert board["residents"][1].name not in page
    assert "1 of the 10 seated members has recorded an assessment." in page
    assert "2.0 out of 5" in page and "4.0 out of 5" in page
    assert "You have not assessed this plan yet." in page


# Query counts ------------------------------------------------------------------------------------


def add_supports(idea, smederij, n):
    now = timezone.now()
    Support.objects.bulk_create(
        Support(
            idea=idea,
            name=f"Bewoner {i}",
            email=f"bewoner{i}-{idea.pk}@example.org",
            street=f"Straat {i % 7}",
            smederij=smederij,
            confirmed_at=now,
        )
        for i in range(n)
    )


def assess_as(board, members):  # noqa: F811
    for member in members:
        idea_services.assess(
            board["idea"],
            actor=member.user,
            residents_support=3,
            professionals_support=4,
            recommendation="positief",
        )


@pytest.mark.parametrize("role", ["chair", "gebiedsregisseur"])
def test_dossier_queries_do_not_grow(client, board, chair, role, django_assert_max_num_queries):  # noqa: F811
    idea = board["idea"]
    krakeel = board["people"]["krakeel"]
    sign_in(client, board, role)
    url = urls(idea)["dossier"]
    add_supports(idea, krakeel, 1)
    assess_as(board, board["orgs"][:1])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    Support.objects.filter(idea=idea).delete()
    add_supports(idea, krakeel, 50)
    assess_as(board, board["orgs"] + board["residents"])
    assert Assessment.objects.filter(idea=idea).count() == 10
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
