"""Every mail the portal sends, and the sender that empties the queue.

Making a mail: ``send()`` is the one way the portal's own code makes a mail. Person-typed text
(a name, an idea's title) often reaches the subject; ``header_text()`` makes any text fit for a
header: control characters (a line break could add a ``Bcc:`` header) become spaces. The sign-in
mails of django-allauth go through the same function (teams.adapters).

Sending: mail waits in django-mailer's queue in the database. ``handle_delivery_exception`` is
django-mailer's error handler (settings.MAILER_ERROR_HANDLER), used by every sender: a mail that
can wait (the mail server is down or says "later") is deferred and tried again; a mail that can
never be sent (a broken header, a mail server that refuses it for good, or one that waited
longer than SMEDERIJEN_MAIL_GIVE_UP_HOURS) is set aside in the mail log as failed, where support
staff see it in admin (``UndeliverableMail``), and the rest of the queue goes on.
``MailSender`` is the long-running sender (``manage.py run_mail_sender``).
"""

import logging
import signal
import smtplib
import threading
import time
import unicodedata
from datetime import timedelta

import psycopg
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from mailer import engine
from mailer.models import PRIORITY_MEDIUM, RESULT_FAILURE, Message, MessageLog
from mailer.postgres import install_trigger

logger = logging.getLogger(__name__)

# Line and paragraph separators that are no control characters (category Zl/Zp) but still break
# a header line in some mail programs.
_LINE_BREAKING = {"\u2028", "\u2029"}


def is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" or char in _LINE_BREAKING


def header_text(text) -> str:
    """The text on one line: each run of control characters and spaces becomes one space."""
    cleaned = "".join(" " if is_control(char) else char for char in str(text))
    return " ".join(cleaned.split())


def send(
    *,
    subject: str,
    body: str,
    to: list[str],
    reply_to: list[str] | None = None,
    attachments: tuple = (),
) -> None:
    """Queue (or send) one mail from the portal. The subject is made safe for its header.
    ``attachments``: (file name, content, content type) each, such as a calendar file."""
    EmailMessage(
        subject=header_text(subject),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to or None,
        attachments=list(attachments),
    ).send()


# Sending ----------------------------------------------------------------------------------------

# SMTP answers that say nothing about this one mail but about the connection or the account:
# every mail would get them, so each mail waits instead of being set aside.
_SERVER_TROUBLE = (
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPNotSupportedError,
)


def can_wait(exc: BaseException) -> bool:
    """True when sending may work later; False when this mail can never be sent."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        return not codes or any(code < 500 for code in codes)
    if isinstance(exc, _SERVER_TROUBLE):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code < 500  # 4xx: "try again later"; 5xx: refused for good
    # Other SMTP errors and network errors (refused, timed out, name not found): the mail server
    # cannot be reached now. Anything else (a header with a line break, an address that is not
    # one, text that cannot be encoded) lies in the mail itself.
    return isinstance(exc, OSError)


def handle_delivery_exception(connection, message: Message, exc: Exception):
    """django-mailer's error handler: defer the mail or set it aside; never stop the queue.

    Runs inside the transaction that holds the mail's row lock. A database error is not the
    mail's fault: it is raised again so the sender starts afresh (``MailSender``)."""
    if isinstance(exc, DatabaseError):
        raise exc
    if connection is not None:
        try:
            connection.close()
        except Exception:  # the connection is of no use any more either way
            pass
    give_up = timezone.now() - timedelta(hours=settings.SMEDERIJEN_MAIL_GIVE_UP_HOURS)
    if can_wait(exc) and message.when_added >= give_up:
        message.defer()
        logger.warning("mail deferred", extra={"mail": message.pk, "reason": _reason(exc)})
        return None, "deferred"
    if can_wait(exc):
        reason = GAVE_UP.format(hours=settings.SMEDERIJEN_MAIL_GIVE_UP_HOURS)
    else:
        reason = NEVER
    set_aside(message, reason + _reason(exc))
    return None, "deferred"


def _reason(exc: Exception) -> str:
    return header_text(f"{type(exc).__name__}: {exc}")[:500]


# The reason is stored as the technical text (English, for whoever looks into the server) with one
# of these openings; admin says it in the reader's language (``undeliverable_reason``).
NEVER = "Can never be sent: "
GAVE_UP = "Not delivered within {hours} hours: "


def undeliverable_reason(log_message: str) -> str:
    """Why a mail was set aside, in plain words, with the mail server's or Python's own words."""
    if log_message.startswith(NEVER):
        return _("It can never be sent: %(error)s") % {"error": log_message[len(NEVER) :]}
    opening, sep, error = log_message.partition(" hours: ")
    if sep and opening.startswith("Not delivered within "):
        hours = opening.removeprefix("Not delivered within ")
        return _("Still not sent after %(hours)s hours: %(error)s") % {
            "hours": hours,
            "error": error,
        }
    return log_message


def set_aside(message: Message, reason: str) -> MessageLog:
    """Move the mail from the queue to the mail log as failed (admin: undeliverable mail)."""
    logged = MessageLog.objects.log(message, RESULT_FAILURE, log_message=reason)
    message.delete()
    logger.error("mail set aside as undeliverable", extra={"mail_log": logged.pk})
    return logged


def requeue(logged: MessageLog) -> Message:
    """Put a mail that was set aside back in the queue (after the cause has been mended)."""
    with transaction.atomic():
        message = Message.objects.create(message_data=logged.message_data, priority=PRIORITY_MEDIUM)
        logged.delete()
    return message


class MailSender:
    """Sends the queue as soon as a mail is queued, and what waits again every
    SMEDERIJEN_MAIL_RETRY_SECONDS, in one thread: there is no second thread that could die
    unseen. When the database connection is lost (or anything else goes wrong in a round) it
    logs the error, closes its connections and starts again; systemd restarts the process if
    it ever ends."""

    CHANNEL = "django_mailer_new_message"  # the channel of django-mailer's trigger

    def __init__(self, *, retry_seconds: float | None = None, poll_seconds: float = 5.0):
        self.retry_seconds = (
            settings.SMEDERIJEN_MAIL_RETRY_SECONDS if retry_seconds is None else retry_seconds
        )
        self.poll_seconds = poll_seconds
        self.listener = None  # a connection of its own that LISTENs (PostgreSQL only)
        self.next_retry = 0.0
        self.stopped = threading.Event()  # set by SIGTERM/SIGINT
        self.waiting = False

    # The loop ----------------------------------------------------------------------------------

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        logger.info("mail sender started", extra={"retry_seconds": self.retry_seconds})
        failures = 0
        while not self.stopped.is_set():
            try:
                self.round()
                failures = 0
                self.wait(max(0.0, self.next_retry - time.monotonic()))
            except SystemExit:
                raise
            except Exception:
                failures += 1
                logger.exception("mail sender: a round failed; starting again")
                self.reset()
                self.stopped.wait(min(30.0, 2.0**failures))  # back off, unless told to stop
        self.reset()
        logger.info("mail sender stopped")

    def round(self) -> None:
        close_old_connections()
        self.listen()  # first, so that no mail queued during the round is missed
        if time.monotonic() >= self.next_retry:
            if self.listener is not None:
                self.listener.execute("SELECT 1")  # a listener that lost its server says so
            Message.objects.retry_deferred()
            self.next_retry = time.monotonic() + self.retry_seconds
        engine.send_all()

    def wait(self, seconds: float) -> None:
        """Until a mail is queued (PostgreSQL's NOTIFY) or ``seconds`` have passed."""
        if self.listener is None:  # not PostgreSQL: look again every few seconds
            self.stopped.wait(min(seconds, self.poll_seconds))
            return
        self.waiting = True
        try:
            if self.stopped.is_set():
                return
            for _notify in self.listener.notifies(timeout=seconds, stop_after=1):
                break
        finally:
            self.waiting = False

    def listen(self) -> None:
        """On PostgreSQL: a connection of its own that hears django-mailer's trigger."""
        connection = connections[Message.objects.db]
        if self.listener is not None or connection.vendor != "postgresql":
            return
        connection.ensure_connection()
        with connection.cursor() as cursor:
            install_trigger(cursor, connection)  # NOTIFY on every new mail (django-mailer)
        self.listener = psycopg.connect(**connection.get_connection_params(), autocommit=True)
        self.listener.execute(f"LISTEN {self.CHANNEL}")
        logger.info("mail sender listening for new mail")

    def reset(self) -> None:
        if self.listener is not None:
            try:
                self.listener.close()
            except Exception:
                pass
            self.listener = None
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except Exception:  # a lost connection may fail to close; it is gone either way
                pass

    def _stop(self, signum, frame) -> None:
        """SIGTERM/SIGINT: stop between mails, never in the middle of one. A wait on the stop event
        ends at once; a wait for PostgreSQL's NOTIFY is left by ending the process."""
        self.stopped.set()
        if self.waiting:
            raise SystemExit(0)
