"""A person's data under the AVG: what the portal holds about them (inzage), erasing an account,
and the retention periods that anonymise old personal data by themselves.

Personal data of a resident lives in: the account (name, e-mail address, allauth's addresses and
sessions), the ideas they sent (contact details, and whatever they or staff wrote in the idea's
texts), supports (name, e-mail, street), memberships of initiatiefgroepen, remarks in an
inventory, and the mail the portal sent them (django-mailer's queue and log). Erasure and
retention remove it there; ideas, their history and all money stay, as anonymous contributions.
"""

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import getaddresses, parseaddr
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from mailer.models import DontSendEntry, Message, MessageLog, email_to_db

from ideas.models import Attachment, Idea, InventoryRemark, StatusChange, Support
from ideas.workflow import Status
from smederijen import audit, pagecache
from smederijen.models import AuditEvent, ProgrammeSettings, Smederij

from . import permissions
from .models import Membership, StuurgroepMember, TeamMember, User

CLOSED = (Status.AFGEROND, Status.AFGEWEZEN, Status.INGETROKKEN)
REDACTED = "[verwijderd]"


# Inzage: everything the portal holds about one person ---------------------------------------


def _when(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


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


def _supports_of(addresses: set[str]) -> models.QuerySet:
    return Support.objects.filter(Q(*[Q(email__iexact=a) for a in addresses], _connector=Q.OR))


def _ideas_of(user) -> models.QuerySet:
    return Idea.objects.filter(Q(submitted_by=user) | Q(contact_email__iexact=user.email))


def personal_data_of(user: User) -> dict:
    """What the portal holds about this person, in their language, for the download."""
    ideas = (
        _ideas_of(user)
        .select_related("smederij", "accounting", "satisfaction")
        .prefetch_related("budget_lines", "history", "attachments")
        .order_by("created_at")
    )
    addresses = {user.email.lower()} | {i.contact_email.lower() for i in ideas if i.contact_email}
    supports = _supports_of(addresses).select_related("idea", "smederij")
    data = {
        _("about this file"): _(
            "Everything De Smederijen holds about you on %(date)s. Internal notes of staff "
            "about an idea are not personal data about you and are not in this file."
        )
        % {"date": timezone.localdate().isoformat()},
        _("account"): {
            _("e-mail address"): user.email,
            _("first name"): user.first_name,
            _("last name"): user.last_name,
            _("account made"): _when(user.date_joined),
            _("last signed in"): _when(user.last_login),
            _("e-mail addresses"): [
                {_("address"): a.email, _("confirmed"): a.verified}
                for a in EmailAddress.objects.filter(user=user)
            ],
        },
        _("ideas"): [_idea_data(idea) for idea in ideas],
        _("supports"): [
            {
                _("idea"): s.idea.reference or s.idea.title,
                _("name"): s.name,
                _("e-mail address"): s.email,
                _("street or postcode"): s.street,
                _("lives in"): s.smederij.name if s.smederij else None,
                _("given"): _when(s.created_at),
                _("confirmed"): _when(s.confirmed_at),
            }
            for s in supports.order_by("created_at")
        ],
        _("initiatiefgroepen"): [
            {_("name"): m.initiatiefgroep.name, _("member since"): _when(m.joined_at)}
            for m in Membership.objects.filter(user=user).select_related("initiatiefgroep")
        ],
        _("remarks in an inventory"): [
            {_("idea"): r.idea.reference, _("remark"): r.text, _("written"): _when(r.created_at)}
            for r in InventoryRemark.objects.filter(author=user).select_related("idea")
        ],
        _("stuurgroep seats"): [
            {_("seat"): m.get_seat_type_display(), _("name"): m.name}
            for m in StuurgroepMember.objects.filter(user=user)
        ],
        _("messages we sent you"): [
            {
                _("subject"): email.subject,
                _("to"): ", ".join(email.to),
                _("when"): _when(row.when_added),
                _("text"): email.body,
            }
            for row, email in _mails_to(addresses)
        ],
    }
    return data


def _idea_data(idea: Idea) -> dict:
    accounting = getattr(idea, "accounting", None) if hasattr(idea, "accounting") else None
    survey = getattr(idea, "satisfaction", None) if hasattr(idea, "satisfaction") else None
    return {
        _("reference"): idea.reference,
        _("status"): idea.get_status_display(),
        _("Smederij"): idea.smederij.name if idea.smederij else None,
        _("kind of idea"): idea.get_kind_display(),
        _("title"): idea.title,
        _("summary"): idea.summary,
        _("description"): idea.description,
        _("where"): idea.location,
        _("for whom"): idea.target_group,
        _("how it serves them"): idea.notions_explanation,
        _("who supports it"): idea.support_description,
        _("how neighbours were involved"): idea.neighbours_involvement,
        _("what the submitters do themselves"): idea.own_effort,
        _("amount asked"): _money(idea.amount_requested),
        _("own contribution"): _money(idea.own_contribution),
        _("other money"): _money(idea.other_funding),
        _("planned start"): _when(idea.start_date),
        _("planned end"): _when(idea.end_date),
        _("submitted by"): idea.get_submitter_kind_display(),
        _("name of the organisation"): idea.organisation_name,
        _("name"): idea.contact_name,
        _("e-mail address"): idea.contact_email,
        _("phone number"): idea.contact_phone,
        _("address"): idea.contact_address,
        _("name may be shown with the idea"): idea.name_is_public,
        _("started"): _when(idea.created_at),
        _("submitted"): _when(idea.submitted_at),
        _("begroting"): [
            {_("what"): line.item, _("amount"): _money(line.amount)}
            for line in idea.budget_lines.all()
        ],
        _("history"): [
            {
                _("when"): _when(change.at),
                _("status"): change.get_to_status_display(),
                _("explanation"): change.public_text,
            }
            for change in idea.history.all()
        ],
        _("files"): [
            {
                _("file name"): a.original_name,
                _("what it is"): a.get_purpose_display(),
                _("in this download"): _file_in_zip(a),
            }
            for a in idea.attachments.all()
        ],
        _("verantwoording"): None
        if accounting is None
        else {
            _("what it really cost"): _money(accounting.actual_cost),
            _("how it went"): accounting.story,
            _("the photos may be shown on the website"): accounting.photos_public,
            _("sent"): _when(accounting.sent_at),
        },
        _("satisfaction question"): None
        if survey is None or survey.answered_at is None
        else {
            _("how satisfied"): survey.get_score_display(),
            _("why"): survey.reason,
            _("answered"): _when(survey.answered_at),
        },
    }


def _file_in_zip(attachment: Attachment) -> str:
    return (
        f"bestanden/{attachment.idea.reference or 'concept'}/{attachment.public_id.hex[:8]}-"
        + (re.sub(r"[^\w.\-]+", "_", attachment.original_name)[:80])
    )


def personal_data_zip(user: User) -> bytes:
    """The download: the data as JSON (readable, and for another program), and the files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mijn-gegevens.json",
            json.dumps(personal_data_of(user), ensure_ascii=False, indent=2),
        )
        for attachment in Attachment.objects.filter(idea__in=_ideas_of(user)).select_related(
            "idea"
        ):
            try:
                with attachment.file.open("rb") as handle:
                    archive.writestr(_file_in_zip(attachment), handle.read())
            except FileNotFoundError:
                continue
    return buffer.getvalue()


# Erasure ---------------------------------------------------------------------------------------


def erasure_refusal(user: User) -> str:
    """Why this account cannot delete itself (staff and stuurgroep seats leave through the office),
    or "" when it can."""
    if (
        permissions.is_staff_member(user)
        or TeamMember.objects.filter(user=user).exists()
        or StuurgroepMember.objects.filter(user=user).exists()
        or Smederij.objects.filter(gebiedsregisseur=user).exists()
    ):
        return _(
            "You have a role in the programme. Ask the support staff of De Smederijen to end "
            "your role first; then you can delete your account."
        )
    return ""


def _needles(*values: str) -> list[str]:
    """Texts to take out of free text: long enough that they are not an ordinary word."""
    found = {value.strip() for value in values if value and len(value.strip()) >= 5}
    return sorted(found, key=len, reverse=True)


def _address_needles(*addresses: str) -> list[str]:
    """A postal address, and each part of it with a number ("Wolfsbergerweg 12", "7901 AB"): a
    text may name the house without the rest. A street or place alone names nobody."""
    parts = [
        part
        for address in addresses
        if address
        for part in [address, *re.split(r"[,;\n]+", address)]
        if re.search(r"\d", part)
    ]
    return _needles(*parts)


def _houses(needles: list[str]) -> list[str]:
    """Of these address needles, the ones that name a house: a street and its number."""
    return [n for n in needles if re.match(r"\D+\s\d", n)]


def _needle_regex(needle: str) -> str:
    """A needle as a regular expression (the same in Python and PostgreSQL). A phone number
    matches with or without spaces, dots or dashes, and with +31 or 0031 for the 0."""
    if re.fullmatch(r"[\d\s().+/-]+", needle):
        digits = re.sub(r"\D", "", needle)
        if len(digits) >= 8:
            if digits.startswith("0031"):
                digits = "0" + digits[4:]
            elif digits.startswith("31") and needle.lstrip().startswith("+"):
                digits = "0" + digits[2:]
            rest = "[ ./-]?".join(digits[1:])
            first = "(0|[+]31[ ./-]?(\\(0\\))?|0031[ ./-]?)" if digits[0] == "0" else digits[0]
            return f"{first}[ ./-]?{rest}"
    return re.escape(needle).replace("\\ ", " ")


def _pattern(needles: list[str]) -> re.Pattern | None:
    if not needles:
        return None
    return re.compile("|".join(f"({_needle_regex(n)})" for n in needles), re.IGNORECASE)


def _redact(text: str, needles: list[str]) -> str:
    pattern = _pattern(needles)
    return pattern.sub(REDACTED, text) if pattern else text


def _is_free_text(model_field) -> bool:
    """A text anyone may have written in: not a choice, an address or a part of a link."""
    return (
        isinstance(model_field, models.CharField | models.TextField)
        and not model_field.choices
        and not isinstance(model_field, models.EmailField | models.SlugField | models.URLField)
    )


def _redact_row(obj, needles: list[str], fields=None) -> None:
    changed = []
    for model_field in fields or obj._meta.concrete_fields:
        if isinstance(model_field, models.CharField | models.TextField) and not (
            model_field.choices
        ):
            value = getattr(obj, model_field.attname)
            if value:
                new = _redact(value, needles)
                if new != value:
                    setattr(obj, model_field.attname, new)
                    changed.append(model_field.attname)
    if changed:
        obj.save(update_fields=changed)


def _related_rows(obj, depth: int = 2):
    """The rows that point at this one (its history, notes, money, …), and at those in turn."""
    if depth == 0:
        return
    for relation in obj._meta.related_objects:
        if relation.many_to_many:
            continue
        accessor = relation.get_accessor_name()
        if relation.one_to_one:
            related = getattr(obj, accessor, None) if hasattr(obj, accessor) else None
            rows = [related] if related is not None else []
        else:
            rows = list(getattr(obj, accessor).all())
        for row in rows:
            yield row
            yield from _related_rows(row, depth - 1)


def _record(obj) -> tuple[int, str]:
    """A record as the audit trail and admin's own log point at it."""
    return ContentType.objects.get_for_model(obj).pk, str(obj.pk)


def _anonymous_name(obj) -> str:
    """A record's name in the audit trail and admin's own log once the person is gone: what it
    is, its number and the reference of its idea; never a text someone typed (a title, a name,
    the first words of a remark)."""
    if isinstance(obj, User):
        return audit.describe(obj)
    if isinstance(obj, Idea) and obj.reference:
        return obj.reference
    with translation.override(settings.LANGUAGE_CODE):
        name = f"{obj._meta.verbose_name} {obj.pk}"
    idea = getattr(obj, "idea", None) if getattr(obj, "idea_id", None) else None
    return f"{name} ({idea.reference})" if idea is not None and idea.reference else name


def _rename_in_trail(rows) -> None:
    audit.rename_records({_record(row): _anonymous_name(row) for row in rows})


def _anonymise_idea(idea: Idea, *, needles: list[str], now, note: str) -> None:
    needles = _needles(
        *needles,
        idea.contact_name,
        idea.contact_email,
        idea.contact_phone,
        *_address_needles(idea.contact_address),
    )
    idea.contact_name = idea.contact_email = idea.contact_phone = idea.contact_address = ""
    idea.name_is_public = False
    idea.submitted_by = None
    idea.personal_data_removed_at = now
    idea.save(
        update_fields=[
            "contact_name",
            "contact_email",
            "contact_phone",
            "contact_address",
            "name_is_public",
            "submitted_by",
            "personal_data_removed_at",
            "updated_at",
        ]
    )
    _redact_row(idea, needles)
    related = list(_related_rows(idea))
    for row in related:
        if isinstance(row, Support):
            continue  # supports have a period of their own
        _redact_row(row, needles)
    for attachment in idea.attachments.all():
        # A file's own name may hold a name ("offerte-jansen.pdf"); the file itself stays.
        attachment.original_name = f"{attachment.get_purpose_display()} {attachment.pk}"
        attachment.save(update_fields=["original_name"])
    # The trail and admin's log named the idea and its rows by their text when they were written
    # (the title may name the submitter): from now on by reference and number.
    _rename_in_trail([idea, *related])
    with translation.override(settings.LANGUAGE_CODE):
        StatusChange.objects.create(
            idea=idea,
            from_status=idea.status,
            to_status=idea.status,
            actor=None,
            at=now,
            public_text=_("The contact details of the people who sent in the idea are removed."),
            internal_note=note,
        )


def _anonymise_support(support: Support, now) -> None:
    support.name = ""
    support.email = f"{support.token.hex}@verwijderd.invalid"
    support.street = ""
    support.anonymised_at = now
    support.save(update_fields=["name", "email", "street", "anonymised_at"])


def _delete_concept(idea: Idea) -> None:
    files = [a.file.name for a in idea.attachments.all()]
    _rename_in_trail([idea, *_related_rows(idea)])
    idea.delete()
    transaction.on_commit(lambda: [Attachment.file.field.storage.delete(f) for f in files])


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


def _end_sessions(user: User, needles: list[str]) -> None:
    """Sign the person out everywhere, and end any session that holds their address (a sign-in
    code asked for and not used keeps the address in its session)."""
    pattern = _pattern(needles)
    # Through the session engine: it removes the row and the copy in the sessions cache.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.all():  # expired ones too: they stay until the night
        data = session.get_decoded()
        text = json.dumps(data, ensure_ascii=False, default=str)
        if data.get("_auth_user_id") == str(user.pk) or (pattern and pattern.search(text)):
            store(session_key=session.session_key).delete()


def _sql_regex(needles: list[str]) -> str:
    return "|".join(f"({_needle_regex(n)})" for n in needles)


# Columns that say who someone is in their own record (an account, a team member, a supporter,
# the submitter of an idea): a namesake's record is not the person's, and stays.
_OWN_COLUMNS = {
    "teams.user": None,  # the whole row
    "teams.teammember": {"name", "email", "phone"},
    "teams.stuurgroepmember": {"name"},
    "teams.team": {"email", "phone"},
    "ideas.support": {"name", "email", "street"},
    "ideas.idea": {"contact_name", "contact_email", "contact_phone", "contact_address"},
}
# The apps whose free texts are searched: the portal's own, and admin's own log.
_SEARCHED_APPS = {"admin", "smederijen", "teams", "ideas", "budgets"}


def _erase_from_every_text(needles: list[str]) -> None:
    """Take the person's name, addresses and phone number out of every free text of the portal
    and of admin's own log, whoever wrote it: a note of staff, the minutes of a meeting, a row
    of the audit trail, another resident's idea. One query a table."""
    if not needles:
        return
    regex = _sql_regex(needles)
    for model in django_apps.get_models():
        meta = model._meta
        if meta.app_label not in _SEARCHED_APPS or meta.proxy:
            continue
        own = _OWN_COLUMNS.get(meta.label_lower, set())
        if own is None:
            continue
        fields = [f for f in meta.concrete_fields if _is_free_text(f) and f.name not in own]
        if not fields:
            continue
        found = Q(*[Q(**{f"{f.name}__iregex": regex}) for f in fields], _connector=Q.OR)
        for row in model._base_manager.filter(found):
            _redact_row(row, needles, fields)


@transaction.atomic
def erase_account(*, user: User, by: User | None = None) -> None:
    """Delete an account and the personal data that hangs on it (the resident's own request,
    ``by`` is None, or the office's). Sent ideas stay as anonymous contributions with their
    history and money; concepts, unconfirmed supports and memberships go. Afterwards no table
    holds the person's name, e-mail address, phone number or address: not the audit trail or
    admin's log (records are named by number), not the mail queue and log, not a session or a
    kept page."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    refusal = erasure_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    # Kept pages may show the person's data (smederijen/pagecache.py): none may stay behind.
    transaction.on_commit(pagecache.forget_all)
    now = timezone.now()
    ideas = list(_ideas_of(locked).select_for_update())
    addresses = (
        {locked.email.lower()}
        | {e.email.lower() for e in EmailAddress.objects.filter(user=locked)}
        | {i.contact_email.lower() for i in ideas if i.contact_email}
    )
    supports = list(_supports_of(addresses))
    names = [locked.get_full_name(), *[i.contact_name for i in ideas], *[s.name for s in supports]]
    places = _address_needles(
        *[i.contact_address for i in ideas], *[s.street for s in supports if s.street]
    )
    phones = _needles(*[i.contact_phone for i in ideas])
    needles = _needles(*names, *addresses, *phones, *places)
    # Out of every other text too: what names her alone. A first name ("Zwaantje") or a
    # postcode is taken out of her own records only; elsewhere it may be someone else's.
    everywhere = _needles(
        *[n for n in names if len(n.split()) > 1], *addresses, *phones, *_houses(places)
    )
    with translation.override(settings.LANGUAGE_CODE):
        note = _("The account was deleted at the request of the person who sent it in.")
    for idea in ideas:
        if idea.status == Status.CONCEPT:
            _delete_concept(idea)
        else:
            _anonymise_idea(idea, needles=needles, now=now, note=note)
    remarks = list(InventoryRemark.objects.filter(author=locked))
    memberships = list(Membership.objects.filter(user=locked))
    _rename_in_trail(
        [
            locked,
            *supports,
            *remarks,
            *memberships,
            *EmailAddress.objects.filter(user=locked),
            *Authenticator.objects.filter(user=locked),
        ]
    )
    for support in supports:
        if support.confirmed_at is None:
            support.delete()
        else:
            _anonymise_support(support, now)
    for remark in remarks:
        _redact_row(remark, needles)
    Membership.objects.filter(user=locked).delete()
    _forget_mail(addresses, needles)
    _end_sessions(locked, [*addresses])
    _erase_from_every_text(everywhere)
    audit.record(
        actor=by,
        action="privacy.erase_account",
        obj=locked,
        kind=AuditEvent.Kind.PRIVACY,
        source=AuditEvent.Source.PORTAL,
        detail=_("%(ideas)s ideas anonymised") % {"ideas": len(ideas)},
    )
    locked.delete()


# Retention -------------------------------------------------------------------------------------


@dataclass
class RetentionReport:
    ideas: list[str] = field(default_factory=list)
    supports_anonymised: int = 0
    supports_deleted: int = 0
    concepts_deleted: int = 0
    audit_rows_deleted: int = 0

    def __str__(self) -> str:
        return (
            f"{len(self.ideas)} ideas anonymised, {self.supports_anonymised} supports "
            f"anonymised, {self.supports_deleted} unconfirmed supports and "
            f"{self.concepts_deleted} concepts deleted, {self.audit_rows_deleted} audit rows "
            "deleted"
        )


def months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1  # 31 March less one month: the last day of February


def closed_at():
    """When an idea reached its closed status: the latest history row into that status."""
    return Subquery(
        StatusChange.objects.filter(idea=OuterRef("pk"), to_status=OuterRef("status"))
        .exclude(from_status=F("to_status"))  # a note (such as ours) is not the closing
        .values("idea")
        .annotate(latest=Max("at"))
        .values("latest")[:1]
    )


@transaction.atomic
def apply_retention(*, now: datetime | None = None) -> RetentionReport:
    """Run every night (cron): anonymise what is older than the periods set in admin."""
    now = now or timezone.now()
    transaction.on_commit(pagecache.forget_all)  # no kept page keeps what is removed here
    periods = ProgrammeSettings.load()
    closed_before = months_before(now, periods.retention_closed_months)
    short_before = now - timedelta(days=periods.retention_unconfirmed_days)
    report = RetentionReport()
    with translation.override(settings.LANGUAGE_CODE):
        note = _(
            "Personal data removed: the idea was closed more than %(months)s months ago "
            "(retention period)."
        ) % {"months": periods.retention_closed_months}
    due = (
        Idea.objects.filter(status__in=CLOSED, personal_data_removed_at__isnull=True)
        .annotate(closed_at=closed_at())
        .filter(closed_at__lte=closed_before)
        .select_for_update(of=("self",))
    )
    closed_ids = []
    for idea in due:
        _anonymise_idea(idea, needles=[], now=now, note=note)
        report.ideas.append(idea.reference)
        closed_ids.append(idea.pk)
    old_closed = (
        Idea.objects.filter(status__in=CLOSED)
        .annotate(closed_at=closed_at())
        .filter(closed_at__lte=closed_before)
        .values("pk")
    )
    for support in Support.objects.filter(
        idea__in=old_closed, anonymised_at__isnull=True, confirmed_at__isnull=False
    ):
        _anonymise_support(support, now)
        report.supports_anonymised += 1
    report.supports_deleted, _by_model = Support.objects.filter(
        confirmed_at__isnull=True, created_at__lte=short_before
    ).delete()
    for concept in Idea.objects.filter(status=Status.CONCEPT, updated_at__lte=short_before):
        _delete_concept(concept)
        report.concepts_deleted += 1
    report.audit_rows_deleted, _by_model = AuditEvent.objects.filter(
        at__lt=months_before(now, periods.audit_retention_months)
    ).delete()
    if any(
        (
            report.ideas,
            report.supports_anonymised,
            report.supports_deleted,
            report.concepts_deleted,
        )
    ):
        audit.record(
            actor=None,
            action="privacy.retention",
            kind=AuditEvent.Kind.PRIVACY,
            source=AuditEvent.Source.SYSTEM,
            detail=str(report),
        )
    return report
