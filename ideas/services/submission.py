"""The ideeformulier: its steps, submitting, withdrawing, answering a question, and attachments."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas.workflow import (
    Status,
)
from smederijen.models import ProgrammeSettings

from ..models import (
    Attachment,
    BudgetLine,
    Idea,
    IdeaSequence,
)
from ..uploads import CheckedFile
from .mail import _mail_submitted, _mail_team
from .transitions import transition

logger = logging.getLogger("smederijen.events")

# The form ------------------------------------------------------------------------------------


def start_idea(*, user=None) -> Idea:
    """A concept from the first step on: what the resident types is kept from then on."""
    idea = Idea(status=Status.CONCEPT)
    if user is not None and user.is_authenticated:
        idea.submitted_by = user
        idea.contact_email = user.email
        idea.contact_name = user.get_full_name()
    idea.save()
    logger.info("idea concept started", extra={"idea": idea.pk})
    return idea


@transaction.atomic
def save_idea_step(idea: Idea, *, fields: dict, budget_lines: list[dict] | None = None) -> Idea:
    """Store one step of the form. The caller has checked who asks (permissions.can_edit_idea)."""
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if not locked.is_editable:
        raise ValidationError(_("This idea can no longer be changed."))
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    if budget_lines is not None:
        locked.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(idea=locked, item=line["item"], amount=line["amount"], position=i)
            for i, line in enumerate(budget_lines)
        )
    return locked


@transaction.atomic
def claim_concept(idea: Idea, *, user) -> Idea:
    """A visitor confirmed their e-mail address: the concept they started becomes theirs."""
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if locked.status != Status.CONCEPT or locked.submitted_by_id not in (None, user.pk):
        raise PermissionDenied
    locked.submitted_by = user
    locked.contact_email = user.email
    locked.save(update_fields=["submitted_by", "contact_email", "updated_at"])
    return locked


def _next_reference(year: int) -> tuple[int, str]:
    IdeaSequence.objects.get_or_create(year=year)
    sequence = IdeaSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number, f"{year}-{sequence.last_number:04d}"


def missing_for_submission(idea: Idea) -> list[str]:
    """The questions a complete idea must have answered (the form checks them one by one)."""
    required = [
        "kind",
        "smederij",
        "location",
        "reach",
        "title",
        "summary",
        "description",
        "support_description",
        "own_effort",
        "amount_requested",
        "start_date",
        "end_date",
        "submitter_kind",
        "contact_name",
        "contact_email",
    ]
    missing = [name for name in required if getattr(idea, name) in (None, "")]
    if not idea.notions:
        missing.append("notions")
    if not (idea.accepted_conditions and idea.accepted_privacy):
        missing.append("consent")
    return missing


@transaction.atomic
def submit_idea(idea: Idea, *, actor) -> Idea:
    """The resident sends the idea: it gets its reference and the area's team hears of it."""
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if locked.status != Status.CONCEPT:
        raise ValidationError(_("This idea has already been sent."))
    if missing_for_submission(locked):
        raise ValidationError(_("Some questions are not answered yet."))
    now = timezone.now()
    year = timezone.localdate(now).year
    locked.year = year
    locked.number, locked.reference = _next_reference(year)
    locked.submitted_at = now
    locked.decision_due = timezone.localdate(now) + timedelta(
        weeks=ProgrammeSettings.load().decision_weeks
    )
    locked.save(
        update_fields=["year", "number", "reference", "submitted_at", "decision_due", "updated_at"]
    )
    locked = transition(locked, Status.INGEDIEND, actor=actor)
    transaction.on_commit(lambda: _mail_submitted(locked.pk))
    logger.info("idea submitted", extra={"idea": locked.pk, "reference": locked.reference})
    return locked


def withdraw_idea(idea: Idea, *, actor, reason: str = "") -> Idea:
    """The submitter takes the idea back, as long as the wijkteam has not decided."""
    return transition(idea, Status.INGETROKKEN, actor=actor, public_text=reason)


def answer_question(idea: Idea, *, actor, answer: str) -> Idea:
    """The submitter answers the wijkteam's question: the idea goes back into the queue."""
    idea = transition(
        idea,
        Status.IN_BEHANDELING,
        actor=actor,
        public_text=answer,
        expected_status=Status.AANVULLING_GEVRAAGD,
    )
    transaction.on_commit(lambda: _mail_team(idea.pk, "ideas/email/answered_team.txt"))
    return idea


@transaction.atomic
def delete_concept(idea: Idea, *, actor) -> None:
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if locked.status != Status.CONCEPT:
        raise ValidationError(_("Only a concept can be deleted. Withdraw a sent idea instead."))
    files = [a.file.name for a in locked.attachments.all()]
    locked.delete()
    transaction.on_commit(lambda: [Attachment.file.field.storage.delete(f) for f in files])


# Attachments ---------------------------------------------------------------------------------


@transaction.atomic
def add_attachment(idea: Idea, checked: CheckedFile) -> Attachment:
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if not locked.is_editable:
        raise ValidationError(_("This idea can no longer be changed."))
    if (
        locked.attachments.filter(purpose=Attachment.Purpose.IDEA).count()
        >= settings.SMEDERIJEN_MAX_ATTACHMENTS
    ):
        raise ValidationError(
            _("You can add at most %(max)s files.") % {"max": settings.SMEDERIJEN_MAX_ATTACHMENTS}
        )
    return _store_attachment(locked, checked, Attachment.Purpose.IDEA)


def _store_attachment(idea: Idea, checked: CheckedFile, purpose: str) -> Attachment:
    """Save a checked upload in the private storage (the callers hold the idea's lock)."""
    attachment = Attachment(
        idea=idea,
        purpose=purpose,
        original_name=checked.original_name,
        file_kind=checked.file_kind,
        content_type=checked.content_type,
        size=checked.size,
    )
    attachment.file.save("upload", ContentFile(checked.content), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment) -> None:
    idea = Idea.objects.select_for_update().get(pk=attachment.idea_id)
    if not idea.is_editable:
        raise ValidationError(_("This idea can no longer be changed."))
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: Attachment.file.field.storage.delete(name))
