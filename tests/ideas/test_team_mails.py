"""The mails to the area's team say what happened in their subject (issue 20, item 5), in Dutch
whatever language the resident used."""

from django.core import mail
from django.utils import translation

from ideas import services
from tests.ideas.test_transitions import idea_in, world

__all__ = ["world"]  # a fixture


def subjects_to(address: str) -> list[str]:
    return [m.subject for m in mail.outbox if address in m.to]


def test_team_mails_name_the_step_and_the_idea(world, django_capture_on_commit_callbacks):
    member = world["users"]["wijkteam_a"]
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        idea = idea_in(world, "ingediend")
    assert subjects_to(member.email) == [f"De Smederijen: nieuw idee {idea.reference} voor Krakeel"]
    services.take_up(idea, actor=member)
    services.ask_question(idea, actor=member, question="Wie helpt mee?")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.answer_question(idea, actor=world["users"]["submitter"], answer="De buren.")
    assert subjects_to(member.email) == [
        f"De Smederijen: de indiener heeft je vraag over idee {idea.reference} beantwoord"
    ]
