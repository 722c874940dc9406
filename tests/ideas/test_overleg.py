"""Het wijkoverleg: planned with an agenda from the inventory, the invitation with its calendar
file, a change and a cancellation, the answer through the link, the initiatiefgroep's remarks, and
what each role sees."""

import re
import zoneinfo
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ideas import services
from ideas.models import Invitation, ItemRemark, Overleg, ReviewNote
from ideas.workflow import Status
from teams import services as team_services
from teams.models import TeamArea
from tests.factories import InitiatiefgroepFactory, SmederijFactory, UserFactory
from tests.ideas.conftest import assert_error_next_to
from tests.ideas.factories import IdeaFactory, move, submitted_idea
from tests.smederijen.dates import in_dutch

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
CONTACT = {"contact_email": "olga.prive@example.org", "contact_phone": "06 55544433"}


def moment(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def waiting(people):
    """Three ideas of Krakeel that wait to be discussed (sent in order), one decided already, one
    of Elim, one concept."""
    krakeel = people["krakeel"]
    ideas = [
        submitted_idea(smederij=krakeel, title=title, **CONTACT)
        for title in ("Bankjes bij de vijver", "Jeu de boules-baan", "Moestuin aan de Kaap")
    ]
    decided = submitted_idea(smederij=krakeel, title="Al besloten")
    move(decided, Status.IN_BEHANDELING, Status.AFGEWEZEN, actor=people["users"]["wijkteam_a"])
    submitted_idea(smederij=people["elim"], title="Dorpsfeest Elim")
    IdeaFactory(smederij=krakeel, title="Half plan")
    return ideas


def plan(people, ideas, **kwargs):
    return services.plan_overleg(
        actor=kwargs.pop("actor", people["users"]["gebiedsregisseur"]),
        smederijen=[people["krakeel"]],
        starts_at=kwargs.pop("starts_at", moment(10, 19, 30)),
        ends_at=kwargs.pop("ends_at", moment(10, 21)),
        place=kwargs.pop("place", "Buurthuis De Kaap, Hoogeveen"),
        online_link=kwargs.pop("online_link", "https://meet.example.org/krakeel"),
        ideas=ideas,
        **kwargs,
    )


def calendar_of(message) -> Calendar:
    (name, content, kind), *_rest = message.attachments
    assert name == "wijkoverleg.ics" and kind.startswith("text/calendar")
    return Calendar.from_ical(content)


def event_of(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def test_the_agenda_proposes_the_waiting_ideas_of_the_area_oldest_first(people, waiting):
    proposed = services.ideas_to_discuss([people["krakeel"].pk])
    assert [idea.title for idea in proposed] == [idea.title for idea in waiting]
    # Once on the agenda of an overleg still to come, an idea is not proposed again.
    plan(people, waiting[:1])
    assert [i.title for i in services.ideas_to_discuss([people["krakeel"].pk])] == [
        "Jeu de boules-baan",
        "Moestuin aan de Kaap",
    ]


def test_the_invitation_carries_a_calendar_file_in_amsterdam_time(
    people, waiting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        overleg = plan(people, waiting[:2], points=["Buurtfeest in juni"])
    # The initiatiefgroep member, Krakeel's team member and its gebiedsregisseur; not Elim's.
    invited = {message.to[0] for message in mail.outbox}
    assert invited == {
        people["users"]["initiatiefgroep_member"].email,
        people["users"]["wijkteam_a"].email,
        people["users"]["gebiedsregisseur"].email,
    }
    message = next(m for m in mail.outbox if m.to == ["fatima@example.org"])
    assert "uitnodiging voor het wijkoverleg van Krakeel" in message.subject
    assert "Buurthuis De Kaap" in message.body and "1. Bankjes bij de vijver" in message.body
    assert "3. Buurtfeest in juni" in message.body
    token = Invitation.objects.get(overleg=overleg, user__email="fatima@example.org").token
    assert reverse("ideas:overleg-answer", args=[token]) in message.body

    calendar = calendar_of(message)
    assert str(calendar["method"]) == "PUBLISH"
    event = event_of(calendar)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == moment(10, 19, 30) and end == moment(10, 21)
    assert str(start.tzinfo) == "Europe/Amsterdam" and start.hour == 19 and start.minute == 30
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert str(event["location"]) == "Buurthuis De Kaap, Hoogeveen"
    assert str(event["summary"]) == "Wijkoverleg Krakeel"
    assert str(event["uid"]) == f"wijkoverleg-{overleg.public_id}@desmederijen.nl"
    assert event.decoded("sequence") == 0 and str(event["status"]) == "CONFIRMED"


def test_a_change_replaces_the_appointment_and_a_cancellation_removes_it(
    people, waiting, django_capture_on_commit_callbacks
):
    regisseur = people["users"]["gebiedsregisseur"]
    overleg = plan(people, waiting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.change_overleg(
            overleg,
            actor=regisseur,
            starts_at=moment(11, 20),
            ends_at=moment(11, 22),
            place="Raadhuis Hoogeveen",
        )
    assert len(mail.outbox) == 3
    assert all(m.subject.endswith(" is gewijzigd") for m in mail.outbox)
    changed = event_of(calendar_of(mail.outbox[0]))
    assert changed.decoded("dtstart") == moment(11, 20)
    assert str(changed["location"]) == "Raadhuis Hoogeveen" and changed.decoded("sequence") == 1
    uid = str(changed["uid"])

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_overleg(overleg, actor=regisseur)
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.subject.startswith("De Smederijen: het wijkoverleg van Krakeel op ")
    assert message.subject.endswith(" is afgelast")
    assert "is afgelast" in message.body
    calendar = calendar_of(message)
    cancelled = event_of(calendar)
    assert str(calendar["method"]) == "CANCEL" and str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["uid"]) == uid and cancelled.decoded("sequence") == 2
    # A cancelled overleg takes no changes, and its ideas are free for another agenda.
    with pytest.raises(ValidationError):
        services.cancel_overleg(overleg, actor=regisseur)
    assert len(services.ideas_to_discuss([people["krakeel"].pk])) == 3


def test_only_who_acts_for_the_area_plans_and_changes(people, waiting):
    users = people["users"]
    for role in ("initiatiefgroep_member", "wijkteam_b", "resident", "ondersteuning"):
        with pytest.raises(PermissionDenied):
            plan(people, waiting, actor=users[role])
    overleg = plan(people, waiting, actor=users["wijkteam_a"])
    with pytest.raises(PermissionDenied):
        services.cancel_overleg(overleg, actor=users["wijkteam_b"])
    elim_idea = services.ideas_to_discuss([people["elim"].pk])[0]
    with pytest.raises(ValidationError):
        plan(people, [elim_idea])


def test_the_invited_answer_with_one_button_behind_the_link(client, people, waiting):
    overleg = plan(people, waiting)
    invitation = Invitation.objects.get(
        overleg=overleg, user=people["users"]["initiatiefgroep_member"]
    )
    url = reverse("ideas:overleg-answer", args=[invitation.token])
    html = client.get(url).content.decode()  # opening the link (or a mail scanner) answers nothing
    assert "Kom je naar het wijkoverleg?" in html and "Je hebt nog niet geantwoord." in html
    invitation.refresh_from_db()
    assert invitation.answer == ""

    response = client.post(url, {"answer": "ja"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == "ja" and invitation.answered_at is not None
    assert "Je hebt gezegd dat je komt." in client.get(url).content.decode()

    services.cancel_overleg(overleg, actor=people["users"]["gebiedsregisseur"])
    client.post(url, {"answer": "nee"})
    invitation.refresh_from_db()
    assert invitation.answer == "ja"
    assert "Dit overleg is afgelast" in client.get(url).content.decode()
    assert client.get(reverse("ideas:overleg-answer", args=[overleg.public_id])).status_code == 404


def test_the_initiatiefgroep_prepares_and_never_sees_contact_details_or_team_notes(
    client, people, waiting
):
    users = people["users"]
    member = users["initiatiefgroep_member"]
    ReviewNote.objects.create(
        idea=waiting[0], author=users["wijkteam_a"], text="Intern: budget krap"
    )
    overleg = plan(people, waiting[:2])
    item = overleg.items.get(idea=waiting[0])
    client.force_login(member)
    url = reverse("ideas:overleg", args=[overleg.public_id])
    html = client.get(url).content.decode()
    assert "Bankjes bij de vijver" in html and "Jeu de boules-baan" in html
    for secret in ("olga.prive@example.org", "06 55544433", "Intern: budget krap"):
        assert secret not in html
    # The idea leads the member to the group's inventory, not to the review page.
    assert reverse("ideas:inventory-detail", args=[waiting[0].public_id]) in html
    assert reverse("ideas:review", args=[waiting[0].public_id]) not in html

    prefix = f"punt{item.pk}"
    data = {"remark": "1", "item": item.pk, f"{prefix}-advice": "positief"}
    response = client.post(url, {**data, f"{prefix}-text": ""})
    assert response.status_code == 200
    assert "Schrijf je opmerking." in response.content.decode()
    response = client.post(url, {**data, f"{prefix}-text": "Veel buren willen dit."})
    assert response.status_code == 302
    remark = ItemRemark.objects.get(item=item)
    assert remark.author == member and remark.advice == "positief"
    client.force_login(users["wijkteam_a"])
    html = client.get(url).content.decode()
    assert "Veel buren willen dit." in html and "advies: positief" in html
    # The review page says the idea is on the agenda, and shows the remark with the group's.
    review = client.get(reverse("ideas:review", args=[waiting[0].public_id])).content.decode()
    assert f"Op de agenda van het wijkoverleg van {in_dutch(moment(10, 19))}" in review
    assert url in review
    assert "Voor het wijkoverleg (advies: positief): Veel buren willen dit." in review


def test_the_planner_orders_the_agenda_and_adds_a_topic(client, people, waiting):
    overleg = plan(people, waiting)
    first, second, third = overleg.items.order_by("position")
    client.force_login(people["users"]["wijkteam_a"])
    url = reverse("ideas:overleg", args=[overleg.public_id])
    client.post(url, {"item": third.pk, "up": "1"})
    client.post(url, {"item": first.pk, "remove": "1"})
    client.post(url, {"point": "1", "title": "Rondvraag"})
    items = list(Overleg.objects.get(pk=overleg.pk).items.all())
    assert [item.idea_id for item in items] == [third.idea_id, second.idea_id, None]
    assert items[2].title == "Rondvraag"
    html = client.get(url).content.decode()
    order = [
        html.index(title) for title in ("Moestuin aan de Kaap", "Jeu de boules-baan", "Rondvraag")
    ]
    assert order == sorted(order)


def test_the_plan_form_proposes_the_waiting_ideas_and_keeps_what_was_typed(client, people, waiting):
    client.force_login(people["users"]["wijkteam_a"])
    html = client.get(reverse("ideas:overleg-new")).content.decode()  # one area: chosen already
    boxes = re.findall(r'name="ideas" value="(\d+)"[^>]*checked', html)
    assert boxes == [str(idea.pk) for idea in waiting]
    # Drawn as check boxes, not as radio buttons (Django's checkbox list is a kind of radio list).
    tags = re.findall(r'<input[^>]*name="ideas"[^>]*>', html)
    assert tags and all("utrecht-checkbox" in t and "radio" not in t for t in tags)
    assert "Al besloten" not in html and "Dorpsfeest Elim" not in html and "Half plan" not in html
    day = (timezone.localdate() + timedelta(days=9)).isoformat()
    data = {
        "smederij": "krakeel",
        "date": day,
        "start": "21:00",
        "end": "19:00",
        "place": "Buurthuis\x07 De Kaap",
        "online_link": "http://meet.example.org/x",
        "ideas": [waiting[1].pk],
        "points": "Rondvraag",
    }
    response = client.post(reverse("ideas:overleg-new") + "?smederij=krakeel", data)
    html = response.content.decode()
    assert response.status_code == 200 and not Overleg.objects.exists()
    assert "Het overleg moet eindigen nadat het begint." in html
    assert "andere onzichtbare tekens" in html and "begint met https://" in html
    assert re.search(r">\s*Rondvraag</textarea>", html)  # nothing typed is lost
    assert 'value="Buurthuis' in html

    data.update(start="19:30", end="21:00", place="Buurthuis De Kaap", online_link="")
    response = client.post(reverse("ideas:overleg-new") + "?smederij=krakeel", data)
    overleg = Overleg.objects.get()
    assert response.headers["Location"] == reverse("ideas:overleg", args=[overleg.public_id])
    assert [str(item) for item in overleg.items.all()][1] == "Rondvraag"
    assert overleg.items.first().idea == waiting[1]
    assert timezone.localtime(overleg.starts_at).strftime("%H:%M") == "19:30"


@pytest.mark.parametrize("count", [2, 20])
def test_the_overleg_page_needs_the_same_queries_for_2_or_20_points(
    client, people, count, django_assert_max_num_queries
):
    krakeel = people["krakeel"]
    ideas = [submitted_idea(smederij=krakeel, title=f"Idee {n}") for n in range(count)]
    overleg = plan(people, ideas, points=[f"Punt {n}" for n in range(count)])
    for n in range(count):
        member = UserFactory()
        services.prepare_item(
            overleg.items.get(idea=ideas[n]),
            actor=people["users"]["initiatiefgroep_member"],
            text=f"Opmerking {n}",
        ) if n == 0 else None
        Invitation.objects.create(overleg=overleg, user=member, role="initiatiefgroep")
    for role in ("gebiedsregisseur", "initiatiefgroep_member"):
        client.force_login(people["users"][role])
        url = reverse("ideas:overleg", args=[overleg.public_id])
        client.get(url)
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200 and f"Idee {count - 1}" in response.content.decode()
    with django_assert_max_num_queries(8):
        assert client.get(reverse("ideas:overleg-list")).status_code == 200


# The minutes, and the discussion in the idea's way ---------------------------------------------


SUMMARY = "De initiatiefgroep steunt het plan; het wijkteam vraagt een offerte."


def held(people, ideas, **kwargs):
    """An overleg planned for yesterday evening (as if planned in advance) and begun."""
    overleg = plan(people, ideas, starts_at=moment(-1, 19, 30), ends_at=moment(-1, 21), **kwargs)
    return services.start_minutes(overleg, actor=people["users"]["gebiedsregisseur"])


def test_the_minutes_start_only_once_the_overleg_has_begun(people, waiting):
    overleg = plan(people, waiting)
    with pytest.raises(ValidationError):
        services.start_minutes(overleg, actor=people["users"]["gebiedsregisseur"])
    with pytest.raises(PermissionDenied):
        held(people, [], actor=people["users"]["wijkteam_b"])


def test_the_chair_records_the_advice_closes_the_minutes_and_the_idea_shows_it(
    client, people, waiting, django_capture_on_commit_callbacks
):
    users = people["users"]
    regisseur, member = users["gebiedsregisseur"], users["initiatiefgroep_member"]
    bankjes = services.set_published(waiting[0], actor=regisseur, published=True)
    overleg = held(people, waiting[:2], points=["Rondvraag"])
    items = list(overleg.items.all())
    client.force_login(regisseur)
    url = reverse("ideas:overleg", args=[overleg.public_id])
    prefix = f"verslag{items[0].pk}"
    base = {"record": "1", "item": items[0].pk, f"{prefix}-discussion": "Iedereen enthousiast."}
    response = client.post(url, {**base, f"{prefix}-advice": "positief"})
    assert response.status_code == 200  # an advice needs its reason, next to the field
    assert_error_next_to(
        response.content.decode(), f"id_{prefix}-advice_reason", "Schrijf de reden van het advies."
    )
    response = client.post(
        url,
        {
            **base,
            f"{prefix}-advice": "positief",
            f"{prefix}-advice_reason": "Veel steun in de straat.",
            f"{prefix}-next_step_what": "Offerte opvragen",
            f"{prefix}-next_step_who": "Sanne",
            f"{prefix}-next_step_by": (timezone.localdate() + timedelta(days=14)).isoformat(),
            f"{prefix}-public_summary": SUMMARY,
        },
    )
    assert response.status_code == 302
    second = f"verslag{items[1].pk}"
    client.post(
        url,
        {
            "record": "1",
            "item": items[1].pk,
            f"{second}-advice": "aanhouden",
            f"{second}-advice_reason": "Eerst met de buren praten.",
            f"{second}-public_summary": "Besproken; eerst overleg met de buren.",
        },
    )
    client.post(url, {"presence": "1", "present": [member.pk, regisseur.pk]})
    assert set(overleg.invitations.filter(present=True).values_list("user", flat=True)) == {
        member.pk,
        regisseur.pk,
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"send_draft": "1"})
    (draft,) = mail.outbox
    assert "concept-verslag" in draft.subject and sorted(draft.to) == sorted(
        [member.email, regisseur.email]
    )
    assert "Veel steun in de straat." in draft.body and "Offerte opvragen (Sanne" in draft.body

    # The initiatiefgroep member reads the draft and cannot close it.
    client.force_login(member)
    assert "Iedereen enthousiast." in client.get(url).content.decode()
    assert client.post(url, {"close": "1"}).status_code == 403

    mail.outbox.clear()
    client.force_login(regisseur)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"close": "1"})
    assert response.status_code == 302
    overleg.refresh_from_db()
    assert overleg.state == Overleg.State.AFGESLOTEN and overleg.closed_at is not None
    # The submitter: the public summary only, never the discussion or the advice's reason.
    to_submitter = [m for m in mail.outbox if m.to == ["olga.prive@example.org"]]
    assert len(to_submitter) == 2
    body = next(m.body for m in to_submitter if "offerte" in m.body)
    assert f"Besproken in het wijkoverleg van {in_dutch(moment(-1, 19, 30))}" in body
    assert "Iedereen enthousiast" not in body and "Veel steun in de straat" not in body
    final = [m for m in mail.outbox if "verslag van het wijkoverleg" in m.subject]
    assert len(final) == 1 and "concept" not in final[0].subject

    # The idea's public page shows the discussion with its summary.
    client.logout()
    html = client.get(bankjes.get_absolute_url()).content.decode()
    assert f"Besproken in het wijkoverleg van {in_dutch(moment(-1, 19, 30))}" in html
    assert SUMMARY in html
    # The Smederij page and the initiatiefgroep page show it among the ideas discussed lately.
    for page in (people["krakeel"].get_absolute_url(), people["group"].get_absolute_url()):
        html = client.get(page).content.decode()
        assert "Bankjes bij de vijver" in html and "het wijkteam vraagt een offerte" in html
        assert "Jeu de boules-baan" not in html  # not on the website

    # The review page shows the advice next to the conditions; the werkvoorraad marks both.
    client.force_login(users["wijkteam_a"])
    html = client.get(reverse("ideas:review", args=[bankjes.public_id])).content.decode()
    assert "Advies van het wijkoverleg van" in html and "Veel steun in de straat." in html
    queue = client.get(reverse("ideas:review-queue")).content.decode()
    assert queue.count("Besproken in het wijkoverleg van") == 2
    assert "advies: positief" in queue and "advies: aanhouden" in queue


def test_a_decision_against_the_advice_asks_for_a_reason(client, people, waiting):
    users = people["users"]
    team = users["wijkteam_a"]
    overleg = held(people, waiting[:1])
    item = overleg.items.get()
    services.record_item(
        item,
        actor=users["gebiedsregisseur"],
        advice="negatief",
        advice_reason="Past niet bij de wijk.",
        public_summary="Besproken.",
    )
    idea = services.take_up(waiting[0], actor=team)
    # Before the minutes are final the advice does not count yet.
    assert services.advice_against(idea, Status.GOEDGEKEURD) is None
    services.close_minutes(overleg, actor=users["gebiedsregisseur"])
    assert services.advice_against(idea, Status.AFGEWEZEN) is None  # rejecting follows it
    with pytest.raises(ValidationError):
        services.approve(idea, actor=team)

    client.force_login(team)
    url = reverse("ideas:review-action", args=[idea.public_id, "goedkeuren"])
    html = client.get(url).content.decode()
    assert "Waarom besluit je anders dan het advies van het wijkoverleg?" in html
    assert "negatief (Past niet bij de wijk.)" in html
    response = client.post(url, {"public_text": "", "against_advice": ""})
    assert response.status_code == 200
    assert_error_next_to(
        response.content.decode(), "id_against_advice", "Schrijf waarom je anders besluit"
    )
    response = client.post(url, {"against_advice": "De buren zijn nu wel voor."})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == Status.GOEDGEKEURD
    note = idea.history.get(to_status=Status.GOEDGEKEURD).internal_note
    assert "Tegen het advies in" in note and "De buren zijn nu wel voor." in note


def test_the_list_shows_each_person_the_overleggen_they_may_open(client, people, waiting):
    overleg = plan(people, waiting[:1])
    address = reverse("ideas:overleg", args=[overleg.public_id])
    seen = {}
    for role in ("initiatiefgroep_member", "wijkteam_a", "wijkteam_b", "resident", "ondersteuning"):
        client.force_login(people["users"][role])
        html = client.get(reverse("ideas:overleg-list")).content.decode()
        seen[role] = address in html
        assert client.get(address).status_code == (200 if seen[role] else 404), role
    assert seen == {
        "initiatiefgroep_member": True,
        "wijkteam_a": True,
        "wijkteam_b": False,
        "resident": False,
        "ondersteuning": True,
    }


@pytest.mark.parametrize("count", [2, 20])
def test_the_plan_and_answer_pages_need_the_same_queries_for_2_or_20_ideas(
    client, people, count, django_assert_max_num_queries
):
    for n in range(count):
        submitted_idea(smederij=people["krakeel"], title=f"Wacht {n}")
    client.force_login(people["users"]["gebiedsregisseur"])
    url = reverse("ideas:overleg-new") + "?smederij=krakeel"
    client.get(url)
    with django_assert_max_num_queries(9):
        html = client.get(url).content.decode()
    assert html.count('name="ideas"') == count
    overleg = plan(people, services.ideas_to_discuss([people["krakeel"].pk]))
    token = overleg.invitations.first().token
    client.logout()
    with django_assert_max_num_queries(3):
        assert client.get(reverse("ideas:overleg-answer", args=[token])).status_code == 200


def test_an_overleg_for_all_areas_of_one_team(
    client, people, waiting, django_capture_on_commit_callbacks
):
    """A team that serves two areas plans one overleg for both: the ideas of both wait, and the
    initiatiefgroepen of both are invited."""
    zuid = SmederijFactory(name="Zuid", slug="zuid")
    TeamArea.objects.create(team=people["team_a"], smederij=zuid)
    zuid_idea = submitted_idea(smederij=zuid, title="Speeltuin Zuid")
    neighbour = UserFactory(first_name="Nico", email="nico@example.org")
    group = InitiatiefgroepFactory(smederij=zuid, name="Initiatiefgroep Zuid", slug="ig-zuid")
    team_services.join_initiatiefgroep(group, neighbour)
    client.force_login(people["users"]["wijkteam_a"])
    html = client.get(reverse("ideas:overleg-new")).content.decode()
    assert 'value="team-krakeel"' in html and "Wijkteam Krakeel: Krakeel, Zuid" in html
    url = reverse("ideas:overleg-new") + "?smederij=team-krakeel"
    html = client.get(url).content.decode()
    assert "Speeltuin Zuid" in html and "Bankjes bij de vijver" in html
    day = (timezone.localdate() + timedelta(days=9)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "smederij": "team-krakeel",
                "date": day,
                "start": "19:30",
                "end": "21:00",
                "place": "Wijkcentrum",
                "ideas": [waiting[0].pk, zuid_idea.pk],
            },
        )
    assert response.status_code == 302
    overleg = Overleg.objects.get()
    assert {area.slug for area in overleg.smederijen.all()} == {"krakeel", "zuid"}
    assert "nico@example.org" in {m.to[0] for m in mail.outbox}
    assert "Krakeel, Zuid" in mail.outbox[0].subject


def test_cancelling_and_taking_off_a_point_with_remarks_ask_first(client, people, waiting):
    overleg = plan(people, waiting[:2])
    item = overleg.items.first()
    services.prepare_item(item, actor=people["users"]["initiatiefgroep_member"], text="Goed idee.")
    client.force_login(people["users"]["wijkteam_a"])
    url = reverse("ideas:overleg", args=[overleg.public_id])
    response = client.post(url, {"cancel": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "Overleg afgelasten?" in html
    assert "3 genodigden krijgen een mail" in html
    assert Overleg.objects.get(pk=overleg.pk).state == Overleg.State.GEPLAND
    response = client.post(url, {"remove": "1", "item": item.pk})
    assert "1 opmerking van de initiatiefgroep" in response.content.decode()
    assert overleg.items.count() == 2
    assert client.post(url, {"remove": "1", "item": item.pk, "confirmed": "1"}).status_code == 302
    assert overleg.items.count() == 1
    assert client.post(url, {"cancel": "1", "confirmed": "1"}).status_code == 302
    assert Overleg.objects.get(pk=overleg.pk).state == Overleg.State.AFGELAST


def test_mijn_werk_lists_the_coming_overleg_and_the_minutes_to_make_final(client, people, waiting):
    coming = plan(people, waiting[:2])
    begun = held(people, waiting[2:])
    client.force_login(people["users"]["wijkteam_a"])
    html = client.get(reverse("ideas:my-work")).content.decode()
    start = html.index('data-work="overleggen"')
    block = html[start : html.index("</section>", start)]
    assert reverse("ideas:overleg", args=[coming.public_id]) in block
    assert reverse("ideas:overleg", args=[begun.public_id]) in block
    assert "2 punten" in block and "verslag nog vaststellen" in block
    client.force_login(people["users"]["initiatiefgroep_member"])
    assert client.get(reverse("ideas:my-work")).status_code == 403  # not staff
