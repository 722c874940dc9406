"""The stuurgroep's work in Django admin: meetings with their agenda and attendance list, the
positions, assessments and decisions (read only: the services write them), and the milestones of
a lange-klap plan.

A meeting in which a decision was taken is fixed: it opens, but nothing of it changes."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas.models import (
    AgendaItem,
    Assessment,
    Attendance,
    Kind,
    Meeting,
    Milestone,
    OrganisationPosition,
    Recommendation,
    Scale,
    StuurgroepDecision,
)
from ideas.workflow import Status
from smederijen.models import ProgrammeSettings
from teams import services
from teams.models import SeatType
from tests.factories import SmederijFactory, UserFactory
from tests.ideas.factories import IdeaFactory
from tests.teams.conftest import (  # noqa: F401 (fixtures used here)
    organisations,
    people,
    with_second_factor,
)

__all__ = ["organisations", "people"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(client, settings):
    """The admin in English: the tests read the source texts of the admin's messages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


ADMIN = "/beheer/ideas"
STAFF = ["gebiedsregisseur", "ondersteuning"]
YEAR = timezone.localdate().year
_numbers = iter(range(1, 10_000))


def plan(smederij, *, status=Status.BIJ_STUURGROEP, kind=Kind.LANGE_KLAP, **kwargs):
    number = next(_numbers)
    return IdeaFactory(
        status=status,
        kind=kind,
        smederij=smederij,
        reference=f"{YEAR}-{number:04d}",
        year=YEAR,
        number=number,
        submitted_at=timezone.now(),
        **kwargs,
    )


@pytest.fixture
def stuurgroep(people, organisations):
    """The people's stuurgroep with a chair (organisation seat) beside the resident member."""
    chair = with_second_factor(UserFactory(first_name="Henk", is_staff=True))
    services.seat_stuurgroep_member(
        people["stuurgroep"],
        seat_type=SeatType.ORGANISATION,
        name="Henk Voorzitter",
        organisation=organisations["gemeente"],
        user=chair,
        is_chair=True,
        term_start=date(2025, 1, 1),
    )
    return people["stuurgroep"]


def new_meeting(stuurgroep, *, ideas=(), place="Buurthuis De Tamboer", days=7) -> Meeting:
    """A meeting as services.plan_meeting makes it (written directly: any account may plan)."""
    meeting = Meeting.objects.create(
        stuurgroep=stuurgroep, starts_at=timezone.now() + timedelta(days=days), place=place
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=member) for member in stuurgroep.members.seated()
    )
    for position, idea in enumerate(ideas):
        AgendaItem.objects.create(meeting=meeting, idea=idea, position=position)
    return meeting


def decided(meeting, idea) -> StuurgroepDecision:
    return StuurgroepDecision.objects.create(
        idea=idea,
        meeting=meeting,
        outcome=Recommendation.POSITIEF,
        public_reason="Breed gedragen in de buurt.",
        votes_for=2,
        votes_against=0,
    )


@pytest.fixture
def work(people, stuurgroep, organisations):
    """A plan with the stuurgroep, on a meeting's agenda, with a position and an assessment."""
    idea = plan(people["krakeel"])
    meeting = new_meeting(stuurgroep, ideas=[idea])
    position = OrganisationPosition.objects.create(
        idea=idea,
        organisation=organisations["domesta"],
        stance=OrganisationPosition.Stance.STEUNT,
        explanation="Past in onze wijkaanpak.",
    )
    assessment = Assessment.objects.create(
        idea=idea,
        member=stuurgroep.members.get(seat_type=SeatType.RESIDENT),
        residents_support=Scale.BROAD,
        professionals_support=Scale.SOME,
        recommendation=Recommendation.POSITIEF,
        remark="Goed plan.",
    )
    return {"idea": idea, "meeting": meeting, "position": position, "assessment": assessment}


def signed_in(client, people, role):
    client.force_login(people["users"][role])
    return client


def form_data(response) -> dict:
    """What the browser sends back for the change page as it is shown."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, datetime):
                local = timezone.localtime(value)
                data[f"{form[name].html_name}_0"] = local.date().isoformat()
                data[f"{form[name].html_name}_1"] = local.strftime("%H:%M:%S")
            elif isinstance(value, list | tuple):
                data[form[name].html_name] = [str(v) for v in value]
            elif value is True:
                data[form[name].html_name] = "on"
            elif value is not False:
                data[form[name].html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


# Lists and pages open for the office staff.


@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize(
    "model", ["meeting", "organisationposition", "assessment", "stuurgroepdecision"]
)
def test_the_lists_open_for_office_staff(client, people, work, role, model):
    decided(work["meeting"], work["idea"])
    signed_in(client, people, role)
    response = client.get(f"{ADMIN}/{model}/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    obj = response.context["cl"].result_list[0]
    assert client.get(f"{ADMIN}/{model}/{obj.pk}/change/").status_code == 200


@pytest.mark.parametrize("role", STAFF)
def test_the_meeting_list_counts_plans_and_who_is_present(client, people, work, stuurgroep, role):
    meeting = work["meeting"]
    Attendance.objects.filter(meeting=meeting, member__is_chair=True).update(present=True)
    signed_in(client, people, role)
    response = client.get(f"{ADMIN}/meeting/", {"q": "Tamboer"})
    row = response.context["cl"].result_list[0]
    assert (row._plans, row._present, row._decided) == (1, 1, False)
    assert client.get(f"{ADMIN}/meeting/", {"q": "Raadhuis"}).context["cl"].result_count == 0


@pytest.mark.parametrize("role", ["wijkteam_a", "stuurgroep_member", "resident"])
def test_others_do_not_open_the_meeting_list(client, people, work, role):
    signed_in(client, people, role)
    assert client.get(f"{ADMIN}/meeting/").status_code in (302, 403)


# Positions, assessments and decisions: read only.


@pytest.mark.parametrize("role", [*STAFF, "superuser"])
@pytest.mark.parametrize(
    "model, key, field, value",
    [
        ("organisationposition", "position", "explanation", "Veranderd in admin."),
        ("assessment", "assessment", "remark", "Veranderd in admin."),
        ("stuurgroepdecision", "decision", "public_reason", "Veranderd in admin."),
    ],
)
def test_rows_written_by_the_services_are_read_only(
    client, people, work, role, model, key, field, value
):
    work["decision"] = decided(work["meeting"], work["idea"])
    obj = work[key]
    before = getattr(obj, field)
    signed_in(client, people, role)

    change = f"{ADMIN}/{model}/{obj.pk}/change/"
    response = client.get(change)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert "cannot be added, changed or deleted here" in response.content.decode()
    assert client.post(change, {field: value}).status_code == 403
    assert client.get(f"{ADMIN}/{model}/add/").status_code == 403
    assert client.post(f"{ADMIN}/{model}/add/", {field: value}).status_code == 403
    delete = f"{ADMIN}/{model}/{obj.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403

    obj.refresh_from_db()
    assert getattr(obj, field) == before
    listing = client.get(f"{ADMIN}/{model}/")
    assert listing.context["has_add_permission"] is False
    assert f"{ADMIN}/{model}/add/" not in listing.content.decode()


# Meetings.


def test_the_gebiedsregisseur_keeps_a_meeting_and_records_who_was_there(
    client, people, work, stuurgroep
):
    meeting, first = work["meeting"], work["idea"]
    second = plan(people["krakeel"])
    elsewhere = plan(people["krakeel"], status=Status.IN_BEHANDELING)
    chair = stuurgroep.members.get(is_chair=True)
    signed_in(client, people, "gebiedsregisseur")
    url = f"{ADMIN}/meeting/{meeting.pk}/change/"
    response = client.get(url)
    choices = {c.pk for c in response.context["adminform"].form.fields["present"].queryset}
    assert choices == set(stuurgroep.members.seated().values_list("pk", flat=True))

    data = form_data(response)
    data.update({"place": "Raadhuis Hoogeveen", "present": [str(chair.pk)]})
    data.update({"items-TOTAL_FORMS": "2", "items-1-idea": str(second.pk), "items-1-position": "1"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.place == "Raadhuis Hoogeveen"
    assert list(meeting.items.values_list("idea", flat=True)) == [first.pk, second.pk]
    present = dict(meeting.attendance.values_list("member_id", "present"))
    assert present == {m.pk: m.pk == chair.pk for m in stuurgroep.members.seated()}

    # Only plans with the stuurgroep go on the agenda.
    data = form_data(client.get(url))
    data.update(
        {"items-TOTAL_FORMS": "3", "items-2-idea": str(elsewhere.pk), "items-2-position": "2"}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert meeting.items.count() == 2


def test_support_staff_keep_the_agenda_but_do_not_record_attendance(
    client, people, work, stuurgroep
):
    meeting = work["meeting"]
    signed_in(client, people, "ondersteuning")
    url = f"{ADMIN}/meeting/{meeting.pk}/change/"
    response = client.get(url)
    assert "present" not in response.context["adminform"].form.fields
    data = form_data(response)
    data.update(
        {
            "notes": "Koffie vanaf 19.00 uur.",
            "present": [str(m.pk) for m in stuurgroep.members.all()],
        }
    )
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.notes == "Koffie vanaf 19.00 uur."
    assert not meeting.attendance.filter(present=True).exists()


def test_a_meeting_added_in_admin_gets_the_attendance_list(client, people, stuurgroep):
    idea = plan(people["krakeel"])
    signed_in(client, people, "gebiedsregisseur")
    response = client.get(f"{ADMIN}/meeting/add/")
    assert response.status_code == 200
    chair = stuurgroep.members.get(is_chair=True)
    data = {
        "stuurgroep": str(stuurgroep.pk),
        "starts_at_0": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "starts_at_1": "19:30:00",
        "place": "Buurthuis De Tamboer",
        "notes": "",
        "present": [str(chair.pk)],
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-idea": str(idea.pk),
        "items-0-position": "0",
        "attendance-TOTAL_FORMS": "0",
        "attendance-INITIAL_FORMS": "0",
    }
    response = client.post(f"{ADMIN}/meeting/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get()
    assert list(meeting.agenda.all()) == [idea]
    assert meeting.attendance.count() == stuurgroep.members.seated().count() == 2
    assert list(meeting.attendance.filter(present=True).values_list("member", flat=True)) == [
        chair.pk
    ]


@pytest.mark.parametrize("role", [*STAFF, "superuser"])
def test_a_meeting_with_a_decision_is_read_only(client, people, work, role):
    meeting, idea = work["meeting"], work["idea"]
    signed_in(client, people, role)
    url = f"{ADMIN}/meeting/{meeting.pk}/change/"
    data = form_data(client.get(url))  # still open
    decided(meeting, idea)

    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert not response.context["has_delete_permission"]
    page = response.content.decode()
    assert "A decision has been taken in this meeting" in page
    assert 'name="_save"' not in page
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_add_permission and not inline.has_change_permission

    data.update({"place": "Elders", "items-0-DELETE": "on"})
    assert client.post(url, data).status_code == 403
    assert client.post(f"{ADMIN}/meeting/{meeting.pk}/delete/", {"post": "yes"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.place == "Buurthuis De Tamboer"
    assert list(meeting.agenda.all()) == [idea]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_meeting_list_takes_the_same_queries_for_1_or_20_meetings(
    client, people, stuurgroep, django_assert_max_num_queries
):
    def meetings(count, first):
        for n in range(first, first + count):
            meeting = new_meeting(stuurgroep, ideas=[plan(SmederijFactory())], days=n)
            meeting.attendance.update(present=True)
            if n % 2:
                decided(meeting, meeting.agenda.get())

    meetings(1, 1)
    signed_in(client, people, "gebiedsregisseur")
    url = f"{ADMIN}/meeting/"
    queries_for(client, url)  # the first page of a session does a bit more
    few = queries_for(client, url)
    meetings(19, 2)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.context["cl"].result_count == 20


# Milestones on the idea, and the quorum in the programme's settings.


def test_milestones_are_kept_on_a_lange_klap_plan(client, people):
    signed_in(client, people, "gebiedsregisseur")
    korte = plan(people["krakeel"], status=Status.INGEDIEND, kind=Kind.KORTE_KLAP)
    response = client.get(f"/beheer/ideas/idea/{korte.pk}/change/")
    assert response.status_code == 200
    assert not any(i.formset.model is Milestone for i in response.context["inline_admin_formsets"])

    lange = plan(people["krakeel"], status=Status.IN_UITVOERING)
    url = f"/beheer/ideas/idea/{lange.pk}/change/"
    response = client.get(url)
    assert any(i.formset.model is Milestone for i in response.context["inline_admin_formsets"])
    data = form_data(response)
    data.update(
        {
            "milestones-TOTAL_FORMS": "1",
            "milestones-0-title": "Bankjes besteld",
            "milestones-0-planned_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "milestones-0-public_note": "De bankjes komen in juni.",
            "milestones-0-position": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    milestone = lange.milestones.get()
    assert (milestone.title, milestone.done_on) == ("Bankjes besteld", None)


def test_the_programme_settings_show_the_quorum(client, people):
    row = ProgrammeSettings.load()
    signed_in(client, people, "ondersteuning")
    url = f"/beheer/smederijen/programmesettings/{row.pk}/change/"
    form = client.get(url).context["adminform"].form
    assert {"quorum_percent", "quorum_needs_resident"} <= set(form.fields)
    data = {
        "decision_weeks": str(row.decision_weeks),
        "quorum_percent": "60",
        "retention_closed_months": "24",
        "retention_unconfirmed_days": "30",
        "question_reminder_days": "14",
        "meeting_reminder_days": "3",
        "audit_retention_months": "36",
    }
    assert client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert (row.quorum_percent, row.quorum_needs_resident) == (60, False)
