"""Reminders with a frozen clock (issue 20, item 3): the daily overview for reviewers only when
something waits and never twice on one day; one reminder of an open question after the term in
the programme settings; one reminder before a meeting of the plans a member has not assessed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from ideas import services
from ideas.models import Recommendation, Reminder
from ideas.reminders import send_reminders
from smederijen.models import ProgrammeSettings
from tests.ideas.test_transitions import idea_in, world

__all__ = ["world"]  # a fixture

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY0 = dt.datetime(2026, 11, 2, 7, 0, tzinfo=AMSTERDAM)  # a Monday, 07:00 as in the cron


@pytest.fixture
def clock():
    with time_machine.travel(DAY0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def scene(clock, world):
    return world


def run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return send_reminders()


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def test_nothing_waits_no_overview(clock, people, django_capture_on_commit_callbacks):
    sent = run(django_capture_on_commit_callbacks)
    assert (sent.digests, sent.questions, sent.meetings) == (0, 0, 0)
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_the_overview_goes_to_the_areas_staff_once_a_day(
    clock, scene, django_capture_on_commit_callbacks
):
    users = scene["users"]
    new = idea_in(scene, "ingediend")
    mail.outbox.clear()

    run(django_capture_on_commit_callbacks)
    # Krakeel's wijkteam member and its gebiedsregisseur; not Elim's team, not the stuurgroep.
    [to_sanne] = mails_to(users["wijkteam_a"].email)
    assert len(mails_to(users["gebiedsregisseur"].email)) == 1
    assert mails_to(users["wijkteam_b"].email) == []
    assert mails_to(users["stuurgroep_member"].email) == []
    assert to_sanne.subject == "De Smederijen: 1 ding wacht op je (2 november)"
    assert "Nieuwe ideeën: 1" in to_sanne.body
    assert f"{new.reference} {new.title}" in to_sanne.body
    assert f"/werkvoorraad/{new.public_id}/" in to_sanne.body
    assert "/account/mijn-werk/" in to_sanne.body

    # A second run on the same day (or the cron twice) sends nothing more.
    mail.outbox.clear()
    clock.shift(dt.timedelta(hours=3))
    sent = run(django_capture_on_commit_callbacks)
    assert mail.outbox == [] and sent.digests == 0 and len(sent.skipped) == 2

    # The next morning it still waits: a new overview.
    clock.shift(dt.timedelta(hours=21))
    run(django_capture_on_commit_callbacks)
    assert [m.subject for m in mails_to(users["wijkteam_a"].email)] == [
        "De Smederijen: 1 ding wacht op je (3 november)"
    ]


def test_overdue_and_answered_are_in_the_overview_and_taking_it_up_ends_it(
    clock, scene, django_capture_on_commit_callbacks
):
    users = scene["users"]
    asked = idea_in(scene, "aanvulling_gevraagd")
    services.answer_question(asked, actor=users["submitter"], answer="Twintig buren.")
    mail.outbox.clear()
    run(django_capture_on_commit_callbacks)
    [overview] = mails_to(users["wijkteam_a"].email)
    assert "Vragen die de indiener heeft beantwoord: 1" in overview.body

    # Nine weeks later the decision is overdue.
    clock.shift(dt.timedelta(weeks=9))
    mail.outbox.clear()
    run(django_capture_on_commit_callbacks)
    [overview] = mails_to(users["wijkteam_a"].email)
    assert "Besluiten die te laat zijn: 1" in overview.body and "te laat)" in overview.body

    # Once decided, nothing waits: no overview.
    services.reject(asked, actor=users["wijkteam_a"], reason="Past niet.")
    clock.shift(dt.timedelta(days=1))
    mail.outbox.clear()
    run(django_capture_on_commit_callbacks)
    assert mails_to(users["wijkteam_a"].email) == []


def test_an_open_question_is_remembered_once_after_the_term(
    clock, scene, django_capture_on_commit_callbacks
):
    settings = ProgrammeSettings.load()
    settings.question_reminder_days = 10
    settings.save()
    idea = idea_in(scene, "aanvulling_gevraagd")
    submitter = scene["users"]["submitter"]

    clock.shift(dt.timedelta(days=9))
    mail.outbox.clear()
    run(django_capture_on_commit_callbacks)
    assert mails_to(idea.contact_email) == []

    clock.shift(dt.timedelta(days=2))
    run(django_capture_on_commit_callbacks)
    [reminder] = mails_to(idea.contact_email)
    assert (
        reminder.subject == f"De Smederijen: we wachten op je antwoord over idee {idea.reference}"
    )
    assert "Op 2 november 2026 stelde het wijkteam je een vraag" in reminder.body
    assert "Wie helpt mee?" in reminder.body
    assert f"/account/mijn-ideeen/{idea.public_id}/" in reminder.body

    # Not again the next days.
    for _day in range(3):
        clock.shift(dt.timedelta(days=1))
        run(django_capture_on_commit_callbacks)
    assert len(mails_to(idea.contact_email)) == 1

    # Answered, and asked again: a new question gets its own reminder after the term.
    services.answer_question(idea, actor=submitter, answer="De buren.")
    services.ask_question(idea, actor=scene["users"]["wijkteam_a"], question="Wanneer?")
    mail.outbox.clear()
    clock.shift(dt.timedelta(days=11))
    run(django_capture_on_commit_callbacks)
    [reminder] = mails_to(idea.contact_email)
    assert "Wanneer?" in reminder.body


def test_stuurgroep_members_are_reminded_of_plans_not_assessed_before_a_meeting(
    clock, scene, django_capture_on_commit_callbacks
):
    board = scene["board"]
    chair = scene["users"]["chair"]
    member = scene["users"]["stuurgroep_member"]
    plan = idea_in(scene, "bij_stuurgroep")
    services.plan_meeting(
        board["stuurgroep"],
        actor=chair,
        starts_at=DAY0 + dt.timedelta(days=10, hours=12),  # 12 November, 19:00
        place="Raadhuis",
        ideas=[plan],
    )
    # The chair assessed it already; Ingrid has not.
    services.assess(
        plan,
        actor=chair,
        residents_support=4,
        professionals_support=4,
        recommendation=Recommendation.values[0],
        remark="Goed plan.",
    )
    mail.outbox.clear()

    clock.shift(dt.timedelta(days=6))  # 4.5 days before: not yet (the term is 3 days)
    run(django_capture_on_commit_callbacks)
    assert mails_to(member.email) == [] and mails_to(chair.email) == []

    clock.shift(dt.timedelta(days=2))
    run(django_capture_on_commit_callbacks)
    [reminder] = mails_to(member.email)
    assert mails_to(chair.email) == []
    assert reminder.subject == "De Smederijen: beoordeel 1 plan voor de vergadering van 12 november"
    assert "donderdag 12 november 2026 om 19:00 in Raadhuis" in reminder.body
    assert f"/stuurgroep/dossiers/{plan.public_id}/" in reminder.body

    clock.shift(dt.timedelta(hours=24))
    run(django_capture_on_commit_callbacks)
    assert len(mails_to(member.email)) == 1


def test_the_command_runs_from_cron_and_says_what_it_sent(clock, scene, capsys):
    idea_in(scene, "ingediend")
    call_command("send_reminders")
    assert "2 daily overviews" in capsys.readouterr().out
    call_command("send_reminders")
    assert "0 daily overviews" in capsys.readouterr().out
