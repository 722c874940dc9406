"""What erasure and retention both do to the records of a person: an idea kept without its
submitter's details (and a history note saying so), a support kept without its name, a concept
deleted, and their rows renamed in the audit trail and admin's own log (by number, never by a
text someone typed)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from smederijen import audit
from teams.models import User

from ..models import Attachment, Idea, StatusChange, Support
from .redaction import _address_needles, _needles, _redact_row


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
