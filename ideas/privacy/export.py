"""Inzage: everything the portal holds about one person, as the download of "Mijn gegevens" (a zip
file with the data as JSON and the files of their ideas)."""

import io
import json
import re
import zipfile
from datetime import datetime

from allauth.account.models import EmailAddress
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.models import Membership, StuurgroepMember, User

from ..models import Attachment, Idea, InventoryRemark, Invitation, ItemRemark, Support
from .mail import _mails_to


def _when(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


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
        _("invitations to a wijkoverleg"): [
            {
                _("wijkoverleg"): _when(i.overleg.starts_at),
                _("place"): i.overleg.place,
                _("answer"): i.get_answer_display(),
                _("present"): i.present,
            }
            for i in Invitation.objects.filter(user=user).select_related("overleg")
        ],
        _("remarks before a wijkoverleg"): [
            {
                _("idea"): r.item.idea.reference if r.item.idea_id else r.item.title,
                _("advice"): r.get_advice_display(),
                _("remark"): r.text,
                _("written"): _when(r.written_at),
            }
            for r in ItemRemark.objects.filter(author=user).select_related("item__idea")
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
