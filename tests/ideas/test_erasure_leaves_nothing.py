"""After a resident deletes the account, no table of the database holds their name, e-mail
address, phone number or street: not the audit trail, not admin's own log, not the mail queue
and its log (stored pickled and base64-encoded), not a session or a cache row (pickled too). And
no log line carries an e-mail address.

Zwaantje Hoogendoorn names herself in the title of her idea, so every copy of that title (the
audit trail's and admin's record names, mail subjects, the kept public page) names her too.
"""

import base64
import copy
import io
import logging
import pickle
import re
import runpy
import smtplib
import zlib
from decimal import Decimal
from logging.config import DictConfigurator
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse
from mailer import engine
from mailer.models import DontSendEntry, Message, MessageLog, db_to_email

from ideas import services
from ideas.models import Idea
from smederijen.models import AuditEvent
from smederijen.services import send_contact_message
from teams.models import User
from tests.factories import UserFactory
from tests.ideas import test_transitions
from tests.ideas.conftest import organisations, owner, people  # noqa: F401 (fixtures of world)
from tests.ideas.factories import IdeaFactory, submitted_idea
from tests.ideas.test_admin import change_url, post_data

pytestmark = pytest.mark.django_db

world = test_transitions.world

NAME = "Zwaantje Hoogendoorn"
EMAIL = "zwaantje.h@example.org"
PHONE = "0612398765"
PHONE_AS_WRITTEN = "06-12398765"  # how a staff member noted it down
STREET = "Wolfsbergerweg"
NEEDLES = [NAME, EMAIL, PHONE, PHONE_AS_WRITTEN, STREET]
TITLE = f"Een bankje van {NAME} bij de vijver"

# The caches as production has them: tables in the database (settings.CACHES).
DATABASE_CACHES = {
    alias: {"BACKEND": "smederijen.cache.SharedTableCache", "LOCATION": table}
    for alias, table in (
        ("default", "smederijen_cache"),
        ("pages", "smederijen_page_cache"),
        ("sessions", "smederijen_session_cache"),
    )
}


# Reading every stored text, also what is pickled or signed ----------------------------------


def _flat(value, depth: int = 0) -> str:
    """The readable text in a stored object (a mail, a kept page, a session, a cache value)."""
    if depth > 6:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        try:
            value = zlib.decompress(value)  # a kept page is compressed
        except zlib.error:
            pass
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, EmailMessage):
        parts = [
            value.subject,
            value.body,
            value.from_email,
            *value.to,
            *value.cc,
            *value.bcc,
            *value.reply_to,
            *[f"{k}: {v}" for k, v in value.extra_headers.items()],
            *[_flat(content, depth + 1) for content, _m in getattr(value, "alternatives", [])],
            *[_flat(attachment, depth + 1) for attachment in value.attachments],
        ]
        return "\n".join(str(part) for part in parts)
    if isinstance(value, HttpResponseBase):
        return _flat(getattr(value, "content", b""), depth + 1) + str(dict(value.items()))
    if isinstance(value, dict):
        return "\n".join(_flat(k, depth + 1) + " " + _flat(v, depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return "\n".join(_flat(item, depth + 1) for item in value)
    if hasattr(value, "__dict__"):
        return repr(value) + _flat(vars(value), depth + 1)
    return repr(value)


def readable(table: str, column: str, value: str) -> str:
    """The stored text and what it encodes: a mail (django-mailer: pickled, base64), a cache
    value (pickled, base64), a session (signed JSON, maybe compressed)."""
    texts = [value]
    if table.startswith("mailer_") and column == "message_data":
        texts.append(_flat(db_to_email(value)))
    if table == "django_session" and column == "session_data":
        texts.append(_flat(DatabaseSessionStore().decode(value)))
    if re.fullmatch(r"[A-Za-z0-9+/=\s]{16,}", value):
        try:
            texts.append(_flat(pickle.loads(base64.b64decode(value))))  # noqa: S301 - own rows
        except Exception:  # noqa: BLE001 - base64 that holds no pickle: the text is all there is
            pass
    return "\n".join(texts)


def text_columns_holding(needles: list[str]) -> dict[str, list[str]]:
    """For each needle, every ``table.column`` (of every table in the database) that holds it in
    any case, read as text and decoded where it is stored encoded."""
    found = {needle: [] for needle in needles}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN "
            "('character varying', 'text', 'jsonb', 'json', 'character', 'ARRAY') "
            "ORDER BY table_name, column_name"
        )
        columns = cursor.fetchall()
        for table, column in columns:
            cursor.execute(f'SELECT "{column}"::text FROM "{table}" WHERE "{column}" IS NOT NULL')  # noqa: S608
            for (value,) in cursor.fetchall():
                text = readable(table, column, value).lower()
                for needle in needles:
                    where = f"{table}.{column}"
                    if needle.lower() in text and where not in found[needle]:
                        found[needle].append(where)
    return found


# Zwaantje leaves her traces everywhere --------------------------------------------------------


@pytest.fixture
def zwaantje_everywhere(world, settings, client, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = DATABASE_CACHES
    settings.PAGE_CACHE_SECONDS = 300
    member = world["users"]["wijkteam_a"]
    office = world["users"]["ondersteuning"]
    zwaantje = UserFactory(first_name="Zwaantje", last_name="Hoogendoorn", email=EMAIL)
    EmailAddress.objects.create(user=zwaantje, email=EMAIL, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        idea = IdeaFactory(
            submitted_by=zwaantje,
            smederij=world["krakeel"],
            title=TITLE,
            contact_name=NAME,
            contact_email=EMAIL,
            contact_phone=PHONE,
            contact_address=f"{STREET} 12, 7901 AB Hoogeveen",
            name_is_public=True,
            description=f"Vragen? Bel {NAME} op {PHONE} of kom langs op de {STREET} 12.",
        )
        idea = services.submit_idea(idea, actor=zwaantje)
        idea = services.take_up(idea, actor=member)
        idea = services.ask_question(idea, actor=member, question="Wie zet het bankje neer?")
        idea = services.answer_question(idea, actor=zwaantje, answer=f"Mijn buren. {NAME}")
        services.add_review_note(
            idea, actor=member, text=f"{NAME} belde over de plek, terugbellen: {PHONE_AS_WRITTEN}"
        )
        idea = services.approve(idea, actor=member)
        services.grant(idea, Decimal("500.00"), actor=member)
        idea = services.set_published(idea, actor=member, published=True)
        # She supports another resident's idea.
        other = submitted_idea(
            smederij=world["krakeel"],
            submitted_by=world["users"]["resident"],
            title="Jeu de boules",
        )
        services.set_published(other, actor=member, published=True)
        services.confirm_support(
            services.give_support(other, name=NAME, email=EMAIL, street=STREET)
        )
        send_contact_message(name=NAME, email=EMAIL, message=f"Groet van {NAME}, {PHONE}")
    # The mail so far is sent (and in the mail log); what follows waits in the queue.
    call_command("send_mail")
    assert len(mail.outbox) >= 5 and MessageLog.objects.count() == len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.start_execution(Idea.objects.get(pk=idea.pk), actor=member)
    assert Message.objects.exists()
    DontSendEntry.objects.create(to_address=EMAIL.upper(), when_added=idea.updated_at)

    # Office staff open and change her idea in admin (admin's own log and the audit trail).
    office_client = Client()
    office_client.force_login(office)
    page = office_client.get(change_url(idea))
    assert page.status_code == 200
    data = post_data(page)
    data["summary"] = "Een bankje bij de vijver, voor de hele buurt."
    assert office_client.post(change_url(idea), data).status_code == 302
    # A team member opens the review page (the audit trail: contact details opened).
    staff = Client()
    staff.force_login(member)
    assert staff.get(reverse("ideas:review", args=[idea.public_id])).status_code == 200
    # A visitor reads the public page: it is kept in the page cache.
    assert NAME in Client().get(idea.get_absolute_url()).content.decode()
    # On another device she asked for a sign-in code, and did not use it.
    other_device = Client()
    other_device.post(reverse("account_request_login_code"), {"email": EMAIL})
    client.force_login(zwaantje)
    return {"zwaantje": zwaantje, "idea": idea, "client": client}


def test_after_erasure_no_column_of_any_table_holds_her_name_address_phone_or_street(
    zwaantje_everywhere, django_capture_on_commit_callbacks
):
    before = text_columns_holding(NEEDLES)
    for needle in NEEDLES:
        assert before[needle], needle  # the search does find her before
    for where in (
        "smederijen_auditevent.object_repr",  # the idea's title names her
        "django_admin_log.object_repr",
        "mailer_message.message_data",
        "mailer_messagelog.message_data",
        "smederijen_page_cache.value",
    ):
        assert where in before[NAME], where
    for where in ("django_session.session_data", "smederijen_session_cache.value"):
        assert where in before[EMAIL], where

    client = zwaantje_everywhere["client"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ideas:account-delete"), {"understood": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=zwaantje_everywhere["zwaantje"].pk).exists()

    after = text_columns_holding(NEEDLES)
    assert after == {needle: [] for needle in NEEDLES}
    # Mail to others that named her is kept, without her: her message to the office.
    subjects = [row.email.subject for row in MessageLog.objects.all()]
    assert "Bericht via de website van [verwijderd]" in subjects
    mails = [*Message.objects.all(), *MessageLog.objects.all()]
    assert mails and not [row.pk for row in mails if EMAIL in row.email.to]
    # The idea stays, anonymous, under its reference; the trail still tells what staff did.
    idea = Idea.objects.get(pk=zwaantje_everywhere["idea"].pk)
    assert idea.submitted_by is None and idea.contact_email == ""
    reprs = set(
        AuditEvent.objects.filter(object_id=str(idea.pk), action__startswith="ideas.").values_list(
            "object_repr", flat=True
        )
    )
    assert reprs == {idea.reference}


# Logs ----------------------------------------------------------------------------------------


ADDRESS = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+\.[\w.-]+")


def handler_from(config: dict, name: str, stream) -> logging.Handler:
    """A handler of a logging configuration (its formatter and filters), writing to ``stream``."""
    configurator = DictConfigurator(copy.deepcopy(config))
    handler_config = configurator.config["handlers"][name]
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        configurator.configure_formatter(
            configurator.config["formatters"][handler_config["formatter"]]
        )
    )
    for filter_name in handler_config.get("filters", []):
        handler.addFilter(
            configurator.configure_filter(configurator.config["filters"][filter_name])
        )
    return handler


@pytest.fixture
def stdout_logging():
    """The stdout handler of the portal's logging (settings.LOGGING) on the root logger, writing
    into a buffer."""
    buffer = io.StringIO()
    handler = handler_from(settings.LOGGING, "stdout", buffer)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(level)


class RefusingBackend(BaseEmailBackend):
    """A mail server that says "later" for every recipient."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {address: (450, b"4.2.1 mailbox busy") for m in email_messages for address in m.to}
        )


def test_sending_mail_logs_no_e_mail_address(world, settings, stdout_logging):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_contact_message(name=NAME, email=EMAIL, message="Hallo")
    EmailMessage("Bericht", "Tekst", to=[EMAIL, "Z. Hoogendoorn <zh@example.org>"]).send()
    engine.send_all()
    assert len(mail.outbox) == 2
    # The mail server is busy: the mail waits, and the reason (with the address) is logged.
    settings.MAILER_EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    EmailMessage("Later", "Tekst", to=[EMAIL]).send()
    engine.send_all()
    assert Message.objects.deferred().count() == 1
    logging.getLogger("smederijen").info(
        "a mail for %s", EMAIL, extra={"to": EMAIL, "list": [EMAIL]}
    )
    try:
        raise ValueError(f"refused {EMAIL}")
    except ValueError:
        logging.getLogger("smederijen").exception("mail to %s failed", EMAIL)
    lines = stdout_logging.getvalue()
    assert "sending message" in lines and "deferred" in lines
    assert "a mail for" in lines and "refused" in lines
    assert [line for line in lines.splitlines() if ADDRESS.search(line)] == []
    assert NAME not in lines  # the contact form's subject names the sender


def test_gunicorns_own_lines_carry_no_e_mail_address():
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    buffer = io.StringIO()
    logger = logging.getLogger("tests.gunicorn")
    logger.propagate = False
    for name in ("stdout", "access"):
        logger.addHandler(handler_from(config["logconfig_dict"], name, buffer))
    try:
        logger.error("Error handling request /contact/?email=%s", "zwaantje.h%40example.org")
        logger.info('{"path": "%(U)s"}', {"U": f"/steun/{EMAIL}/"})
    finally:
        logger.handlers.clear()
    lines = buffer.getvalue()
    assert lines.count("/contact/?email=[e-mailadres]") == 2
    assert [line for line in lines.splitlines() if ADDRESS.search(line)] == []
