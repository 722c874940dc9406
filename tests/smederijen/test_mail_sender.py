"""The mail sender (`manage.py run_mail_sender`, the mailer service of deploy/) as it runs in
production: a process of its own on the database, a real SMTP server on the loopback address.

A mail that can never be sent (a header with a line break) is set aside as failed and shown to
support staff in admin; the mails behind it are delivered and the sender keeps running. Mail
queued while the mail server is down is delivered, once each, within a minute of the server
coming back, without cron. A lost database connection does not stop the sender either."""

import json
import sys
import threading
import time
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage, get_connection
from django.db import connection
from mailer.models import RESULT_FAILURE, RESULT_SUCCESS, Message, MessageLog

from smederijen import services
from tests.smederijen.test_mail_queue import free_port
from tests.smederijen.test_rate_limits_across_workers import start_logged
from tests.smederijen.test_settings import production_on_test_database

POISON = "Hallo\r\nBcc: victim@evil.example"


class Inbox:
    """What the SMTP server received; a test can wait until something is there."""

    def __init__(self):
        self.messages = []
        self.envelopes = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.changed:
            self.messages.append(message_from_bytes(envelope.content))
            self.envelopes.append(envelope.rcpt_tos)
            self.changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: len(self.messages) >= count, timeout=timeout)


@pytest.fixture
def smtp():
    """A real SMTP server on a free port of the loopback address; it can be stopped and started
    again on the same port."""
    port = free_port()
    inbox = Inbox()

    class Server:
        def __init__(self):
            self.port, self.inbox, self.controller = port, inbox, None

        def start(self):
            self.controller = Controller(inbox, hostname="127.0.0.1", port=port)
            self.controller.start()

        def stop(self):
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sender(transactional_db, smtp, settings):
    """`manage.py run_mail_sender` under production settings, on the test database."""
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"  # this process queues, as the portal does
    env = production_on_test_database(
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(smtp.port),
    )
    process, log = start_logged([sys.executable, "manage.py", "run_mail_sender"], env)
    assert log.wait_for(lambda lines: any("listening for new mail" in x for x in lines)), log
    process.log = log
    yield process
    process.terminate()
    assert process.wait(timeout=30) == 0, log  # SIGTERM: it stops cleanly


def queue_poisoned_mail() -> None:
    """A mail with a line break in its subject, queued the way it was before the rule in
    smederijen/mail.py (the contact form let it through): straight into django-mailer's queue."""
    EmailMessage(
        subject=POISON,
        body="x",
        to=["info@desmederijen.nl"],
        from_email="a@example.org",
        connection=get_connection("mailer.backend.DbBackend"),
    ).send()


def rounds(lines, what: str) -> int:
    """How many mails the sender says it sent or deferred (``what``): django-mailer logs "Sent"
    after each round, once its mails are committed as sent or deferred."""
    total = 0
    for line in lines:
        if line.startswith("{") and '"message": "Sent"' in line:
            total += json.loads(line).get(what, 0)
    return total


def sent(lines) -> int:
    return rounds(lines, "sent")


def contact(n: int) -> None:
    services.send_contact_message(
        name=f"Bewoner {n}", email=f"bewoner{n}@example.org", message=f"Bericht {n}"
    )


def test_a_poisoned_mail_is_set_aside_and_the_three_behind_it_are_delivered(sender, smtp):
    queue_poisoned_mail()
    for n in range(3):
        contact(n)

    assert smtp.inbox.wait_for(3, timeout=60), sender.log
    assert sorted(m.get_payload().strip() for m in smtp.inbox.messages) == [
        "Bericht 0",
        "Bericht 1",
        "Bericht 2",
    ]
    assert all("victim@evil.example" not in rcpts for rcpts in smtp.inbox.envelopes)
    assert sender.log.wait_for(lambda lines: any("undeliverable" in x for x in lines)), sender.log
    assert sender.log.wait_for(lambda lines: sent(lines) >= 3), sender.log
    assert Message.objects.count() == 0
    [failed] = MessageLog.objects.filter(result=RESULT_FAILURE)
    assert failed.email.subject == POISON
    assert "BadHeaderError" in failed.log_message
    assert MessageLog.objects.filter(result=RESULT_SUCCESS).count() == 3
    assert sender.poll() is None  # still running

    # After the poisoned one, mail still goes out at once.
    contact(3)
    assert smtp.inbox.wait_for(4, timeout=60), sender.log
    assert sender.poll() is None


def test_mail_queued_while_the_server_is_down_arrives_once_within_a_minute_of_it_coming_back(
    sender, smtp
):
    smtp.stop()
    for n in range(3):
        contact(n)

    assert sender.log.wait_for(lambda lines: rounds(lines, "deferred") >= 3), sender.log
    assert Message.objects.deferred().count() == 3

    smtp.start()
    back = time.monotonic()
    assert smtp.inbox.wait_for(3, timeout=120), sender.log
    waited = time.monotonic() - back
    assert waited < 65, waited  # SMEDERIJEN_MAIL_RETRY_SECONDS is 60, no cron involved
    assert sender.log.wait_for(lambda lines: sent(lines) >= 3), sender.log
    assert Message.objects.count() == 0
    ids = [m["Message-ID"] for m in smtp.inbox.messages]
    assert len(set(ids)) == 3 == len(ids)  # each mail once
    assert sorted(m.get_payload().strip() for m in smtp.inbox.messages) == [
        "Bericht 0",
        "Bericht 1",
        "Bericht 2",
    ]


def test_the_sender_recovers_when_its_database_connections_are_lost(sender, smtp):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchall(), "the sender had connections"

    assert sender.log.wait_for(lambda lines: any("a round failed" in x for x in lines)), sender.log
    contact(1)
    assert smtp.inbox.wait_for(1, timeout=60), sender.log
    assert sender.poll() is None
