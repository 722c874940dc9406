"""The mail the portal sent to a person or about them, in django-mailer's queue and log: found
for the download, and on erasure deleted (mail to them alone) or kept for the others without
them."""

from email.utils import getaddresses, parseaddr

from django.db.models import Q
from mailer.models import DontSendEntry, Message, MessageLog, email_to_db

from .redaction import _pattern, _redact, _sql_regex


def _recipients(email) -> set[str]:
    """The bare addresses a mail goes to ("Name <address>" included), in lower case."""
    return {
        address.lower()
        for _name, address in getaddresses([*email.to, *email.cc, *email.bcc])
        if address
    }


def _mail_texts(email) -> list[str]:
    alternatives = [content for content, *_rest in getattr(email, "alternatives", [])]
    return [
        email.subject,
        email.body,
        *email.reply_to,
        *[str(value) for value in email.extra_headers.values()],
        *[content for content in alternatives if isinstance(content, str)],
    ]


def _mails_to(addresses: set[str], needles: list[str] = ()):
    """The mail the portal sent (or will send) to these addresses, or that names the person
    (``needles``), from django-mailer's queue and log. Their text is stored encoded, so every row
    is read here."""
    pattern = _pattern(needles)
    for row in [*Message.objects.all(), *MessageLog.objects.all()]:
        email = row.email
        if email is None:
            continue
        to_them = bool(_recipients(email) & addresses) or any(
            a.lower() in addresses for _n, a in getaddresses(email.reply_to)
        )
        if to_them or (pattern and any(pattern.search(text) for text in _mail_texts(email))):
            yield row, email


def _without(addresses: list[str], gone: set[str]) -> list[str]:
    return [a for a in addresses if parseaddr(a)[1].lower() not in gone]


def _scrub_mail(row, email, addresses: set[str], needles: list[str]) -> None:
    """Keep a mail to others that names the person (the team's mail about her idea, her message
    to the office), without her: her addresses out of its recipients and reply-to, her name
    and numbers out of its text."""
    email.to, email.cc, email.bcc = (
        _without(email.to, addresses),
        _without(email.cc, addresses),
        _without(email.bcc, addresses),
    )
    email.reply_to = _without(email.reply_to, addresses)
    email.subject = _redact(email.subject, needles)
    email.body = _redact(email.body, needles)
    email.extra_headers = {k: _redact(str(v), needles) for k, v in email.extra_headers.items()}
    if getattr(email, "alternatives", None):
        email.alternatives = [
            alternative._replace(content=_redact(alternative[0], needles))
            if isinstance(alternative[0], str) and hasattr(alternative, "_replace")
            else alternative
            for alternative in email.alternatives
        ]
    row.message_data = email_to_db(email)
    fields = ["message_data"]
    if isinstance(row, MessageLog):
        row.log_message = _redact(row.log_message, needles)
        fields.append("log_message")
    row.save(update_fields=fields)


def _forget_mail(addresses: set[str], needles: list[str]) -> int:
    """Mail to the person goes from the queue and the log; mail to others that names them
    is kept without their name and addresses."""
    # A sender holds the row of the mail it is sending until that mail is in the log: wait for
    # it, so that log row is read here too.
    list(Message.objects.select_for_update().values_list("pk", flat=True))
    rows = list(_mails_to(addresses, needles))
    for row, email in rows:
        if _recipients(email) and _recipients(email) <= addresses:
            row.delete()
        else:
            _scrub_mail(row, email, addresses, needles)
    # The log's own text (why a mail failed) may hold an address, also of a mail it cannot read.
    regex = _sql_regex([*needles, *addresses])
    for logged in MessageLog.objects.filter(log_message__iregex=regex):
        logged.log_message = _redact(logged.log_message, [*needles, *addresses])
        logged.save(update_fields=["log_message"])
    DontSendEntry.objects.filter(
        Q(*[Q(to_address__iexact=a) for a in addresses], _connector=Q.OR)
    ).delete()
    return len(rows)
