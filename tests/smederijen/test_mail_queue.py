"""Mail is queued in the database and survives a mail server that is down.

A real SMTP server (aiosmtpd) listens on a free port of the loopback address. While it is down,
three steps of an idea queue three mails; sending fails and they wait. When the server is up, the
queue is sent: each mail arrives exactly once, in Dutch.
"""

import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import translation
from mailer.models import Message

from ideas import services
from ideas.workflow import Status
from tests.ideas.factories import submitted_idea
from tests.teams.conftest import organisations, people  # noqa: F401 (fixtures used here)

__all__ = ["organisations", "people"]

pytestmark = pytest.mark.django_db


class Inbox:
    """What the SMTP server received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def queued_mail(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return port


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_mails_wait_while_the_server_is_down_and_arrive_once_when_it_is_up(
    people, queued_mail, django_capture_on_commit_callbacks
):
    team = people["users"]["wijkteam_a"]
    idea = submitted_idea(smederij=people["krakeel"], contact_email="rita@example.org")
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        services.take_up(idea, actor=team)
        services.transition(
            idea, Status.AANVULLING_GEVRAAGD, actor=team, public_text="Wie doen er mee?"
        )
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        services.reject(idea, actor=team, reason="Het past niet in de voorwaarden.")
    assert Message.objects.count() == 3  # three steps, three mails in the queue
    assert idea.history.filter(mail_queued=True).count() == 3

    call_command("send_mail", verbosity=0)  # the server is down: nothing is lost
    assert Message.objects.count() == 3
    assert Message.objects.deferred().count() == 3

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=queued_mail)
    server.start()
    try:
        call_command("retry_deferred", verbosity=0)
        call_command("send_mail", verbosity=0)
        call_command("send_mail", verbosity=0)  # a second round sends nothing twice
    finally:
        server.stop()

    assert Message.objects.count() == 0
    assert len(inbox.messages) == 3
    assert {m["To"] for m in inbox.messages} == {"rita@example.org"}
    subjects = sorted(subject(m) for m in inbox.messages)
    assert subjects == sorted(  # each names the step and the idea
        [
            f"De Smederijen: het wijkteam bekijkt je idee {idea.reference}",
            f"De Smederijen: we hebben een vraag over je idee {idea.reference}",
            f"De Smederijen: je idee {idea.reference} is afgewezen",
        ]
    )
    bodies = [m.get_payload(decode=True).decode("utf-8") for m in inbox.messages]
    assert any("Wie doen er mee?" in body for body in bodies)
    assert any("Het past niet in de voorwaarden." in body for body in bodies)
    assert all("Er is nieuws over je idee" in body for body in bodies)
