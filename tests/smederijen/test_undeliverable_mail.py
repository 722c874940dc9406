"""One mail that can never be sent never stops the queue: django-mailer's senders (the
mailer service and `manage.py send_mail`) set it aside as undeliverable, send the rest, and
support staff see it in admin, where they can queue it again once the cause is mended."""

import smtplib
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from mailer.models import Message

from smederijen import services
from smederijen.mail import can_wait
from smederijen.models import UndeliverableMail
from tests.smederijen.test_mail_queue import Inbox, free_port
from tests.teams.conftest import organisations, people  # noqa: F401 (fixtures used here)

__all__ = ["organisations", "people"]

pytestmark = pytest.mark.django_db

POISON = "Hallo\r\nBcc: victim@evil.example"
CHANGELIST = reverse("admin:smederijen_undeliverablemail_changelist")


@pytest.fixture
def queue(settings, mailoutbox):
    """Mail goes into django-mailer's queue; its sender delivers to the test outbox."""
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mailoutbox


def queue_poisoned_mail(to="info@desmederijen.nl") -> None:
    EmailMessage(
        subject=POISON,
        body="x",
        to=[to],
        connection=get_connection("mailer.backend.DbBackend"),
    ).send()


def contact(n: int) -> None:
    services.send_contact_message(
        name=f"Bewoner {n}", email=f"bewoner{n}@example.org", message=f"Bericht {n}"
    )


def test_send_mail_sets_a_poisoned_mail_aside_and_sends_the_rest(queue):
    contact(0)
    queue_poisoned_mail()
    contact(1)
    contact(2)

    call_command("send_mail", verbosity=0)  # no exception: the queue goes on

    assert sorted(m.body for m in queue) == ["Bericht 0", "Bericht 1", "Bericht 2"]
    assert Message.objects.count() == 0
    [failed] = UndeliverableMail.objects.all()
    assert failed.email.subject == POISON
    assert failed.log_message.startswith("Can never be sent: BadHeaderError")


class RefusingInbox(Inbox):
    """A mail server that does not know one address (550) and is busy for another (450)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("onbekend@"):
            return "550 5.1.1 No such user"
        if address.startswith("later@"):
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_permanent_refusal_is_set_aside_and_a_temporary_one_waits(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    inbox = RefusingInbox()
    server = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    server.start()
    try:
        for to in ("onbekend@example.org", "later@example.org", "rita@example.org"):
            EmailMessage(subject=f"Voor {to}", body="x", to=[to]).send()
        call_command("send_mail", verbosity=0)
    finally:
        server.stop()

    assert [m["To"] for m in inbox.messages] == ["rita@example.org"]
    [failed] = UndeliverableMail.objects.all()
    assert failed.to_addresses == ["onbekend@example.org"]
    assert "550" in failed.log_message
    [waiting] = Message.objects.deferred()
    assert waiting.to_addresses == ["later@example.org"]


def test_a_mail_that_waited_too_long_is_set_aside(queue, settings):
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    contact(1)
    contact(2)
    Message.objects.filter(message_data__isnull=False).update(
        when_added=timezone.now() - timedelta(hours=settings.SMEDERIJEN_MAIL_GIVE_UP_HOURS + 1)
    )
    contact(3)  # new: it may still wait

    call_command("send_mail", verbosity=0)

    assert UndeliverableMail.objects.count() == 2
    assert all(
        m.log_message.startswith("Not delivered within 72 hours")
        for m in UndeliverableMail.objects.all()
    )
    assert Message.objects.deferred().count() == 1


@pytest.mark.parametrize(
    "error, waits",
    [
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}), False),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (452, b"Too many")}), True),
        (smtplib.SMTPDataError(554, b"Rejected as spam"), False),
        (smtplib.SMTPDataError(451, b"Try later"), True),
        (smtplib.SMTPSenderRefused(553, b"Not allowed", "a@example.org"), False),
        (smtplib.SMTPAuthenticationError(535, b"Bad password"), True),  # every mail would fail
        (smtplib.SMTPServerDisconnected("gone"), True),
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError("timed out"), True),
        (BadHeaderError("Header values can't contain newlines"), False),
        (UnicodeEncodeError("ascii", "é", 0, 1, "no"), False),
    ],
)
def test_which_errors_wait_and_which_set_a_mail_aside(error, waits):
    assert can_wait(error) is waits


@pytest.fixture
def undeliverable(queue):
    queue_poisoned_mail()
    call_command("send_mail", verbosity=0)
    return UndeliverableMail.objects.get()


@pytest.mark.parametrize(
    "role, status",
    [
        ("ondersteuning", 200),
        ("superuser", 200),
        ("gebiedsregisseur", 403),  # mail is not kept per area: only support staff see it
        ("wijkteam_a", 302),  # no admin access at all: to admin's sign-in
        ("resident", 302),
        ("anonymous", 302),
    ],
)
def test_who_sees_undeliverable_mail_in_admin(client, people, undeliverable, role, status):
    user = people["users"][role]
    if user:
        client.force_login(user)
    for url in (
        CHANGELIST,
        reverse("admin:smederijen_undeliverablemail_change", args=[undeliverable.pk]),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        if status != 200:
            assert "victim@evil.example" not in response.content.decode()


def test_support_staff_read_why_and_queue_the_mail_again(client, people, undeliverable):
    client.force_login(people["users"]["ondersteuning"])
    html = client.get(CHANGELIST).content.decode()
    assert "Onbestelbare mail" in html
    assert "Hallo Bcc: victim@evil.example" in html  # the subject, shown on one line
    assert "Deze mail kan nooit worden verstuurd: BadHeaderError" in html  # why, in Dutch
    assert "Apart gezet" in html and "Waarom" in html
    detail = client.get(
        reverse("admin:smederijen_undeliverablemail_change", args=[undeliverable.pk])
    ).content.decode()
    assert "<title>Hallo Bcc: victim@evil.example |" in detail  # named by its subject
    index = client.get(reverse("admin:index")).content.decode()
    assert CHANGELIST in index  # found by clicking, under accounts and privacy

    response = client.post(
        CHANGELIST, {"action": "queue_again", "_selected_action": [undeliverable.pk]}
    )
    assert response.status_code == 302
    assert UndeliverableMail.objects.count() == 0
    assert Message.objects.count() == 1
