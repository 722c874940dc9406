"""The verantwoording after realisation, and the satisfaction question when an idea is closed."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from budgets import services as budget_services
from budgets.models import Grant
from ideas.workflow import (
    SUBMITTER,
    TEAM,
    Status,
)
from smederijen import pagecache
from smederijen.audit import audited
from smederijen.templatetags.money import format_euro

from .. import permissions
from ..models import (
    Accounting,
    Attachment,
    Idea,
    SatisfactionSurvey,
    StatusChange,
)
from ..uploads import CheckedFile
from .mail import _mail_status_change, _mail_team
from .submission import _store_attachment
from .transitions import transition

logger = logging.getLogger("smederijen.events")

# The verantwoording after realisation ---------------------------------------------------------
# The submitter writes it (cost, how it went, receipts and photos) and sends it; the wijkteam sends
# it back with a question or signs it off. Signing off settles the grant: what was not spent goes
# back to the area's budget, and the idea is ``afgerond``.

ACCOUNTING_FILE_PURPOSES = (Attachment.Purpose.RECEIPT, Attachment.Purpose.RESULT)


def _locked_for_accounting(idea: Idea) -> tuple[Idea, Accounting]:
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if locked.status != Status.GEREALISEERD:
        raise ValidationError(_("A verantwoording is only written once the idea is realised."))
    accounting, _created = Accounting.objects.select_for_update().get_or_create(idea=locked)
    return locked, accounting


def _refuse_unless_submitter_may_write(actor, locked: Idea, accounting: Accounting) -> None:
    if not permissions.may_act_as(actor, SUBMITTER, locked):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if accounting.state != Accounting.State.OPEN:
        raise ValidationError(
            _("The verantwoording has been sent. The wijkteam looks at it now.")
            if accounting.state == Accounting.State.SENT
            else _("The verantwoording has been signed off.")
        )


def accounting_of(idea: Idea) -> Accounting | None:
    """The verantwoording of a realised or completed idea (made when it is first needed)."""
    if idea.status == Status.GEREALISEERD:
        accounting, _created = Accounting.objects.get_or_create(idea=idea)
        return accounting
    return Accounting.objects.filter(idea=idea).first()


@transaction.atomic
def save_accounting(
    idea: Idea, *, actor, actual_cost, story: str, photos_public: bool
) -> Accounting:
    """The submitter saves what they wrote so far (it can be changed until it is sent)."""
    locked, accounting = _locked_for_accounting(idea)
    _refuse_unless_submitter_may_write(actor, locked, accounting)
    accounting.actual_cost = actual_cost
    accounting.story = story.strip()
    accounting.photos_public = photos_public
    accounting.save(update_fields=["actual_cost", "story", "photos_public"])
    return accounting


@transaction.atomic
def add_accounting_file(idea: Idea, checked: CheckedFile, *, actor, purpose: str) -> Attachment:
    """A receipt (photo or PDF) or a photo of the result, added to the verantwoording."""
    locked, accounting = _locked_for_accounting(idea)
    _refuse_unless_submitter_may_write(actor, locked, accounting)
    if purpose not in ACCOUNTING_FILE_PURPOSES:
        raise ValidationError(_("Choose whether this is a receipt or a photo of the result."))
    if purpose == Attachment.Purpose.RESULT and checked.file_kind != Attachment.FileKind.PHOTO:
        raise ValidationError(_("A photo of the result must be a photo (JPG, PNG or WebP)."))
    limit = settings.SMEDERIJEN_MAX_ACCOUNTING_FILES
    if locked.attachments.filter(purpose__in=ACCOUNTING_FILE_PURPOSES).count() >= limit:
        raise ValidationError(_("You can add at most %(max)s files.") % {"max": limit})
    return _store_attachment(locked, checked, purpose)


@transaction.atomic
def remove_accounting_file(attachment: Attachment, *, actor) -> None:
    locked, accounting = _locked_for_accounting(attachment.idea)
    _refuse_unless_submitter_may_write(actor, locked, accounting)
    if attachment.purpose not in ACCOUNTING_FILE_PURPOSES:
        raise ValidationError(_("This file belongs to the idea, not to the verantwoording."))
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: Attachment.file.field.storage.delete(name))


def missing_for_accounting(accounting: Accounting, receipts: int) -> list[str]:
    """What a verantwoording needs before it can be sent (the form shows it at the field)."""
    missing = []
    if accounting.actual_cost is None:
        missing.append("actual_cost")
    if not accounting.story.strip():
        missing.append("story")
    if accounting.actual_cost and receipts == 0:
        missing.append("receipts")
    return missing


@transaction.atomic
def send_accounting(idea: Idea, *, actor) -> Accounting:
    """The submitter sends the verantwoording to the wijkteam, which hears of it by mail."""
    locked, accounting = _locked_for_accounting(idea)
    _refuse_unless_submitter_may_write(actor, locked, accounting)
    receipts = locked.attachments.filter(purpose=Attachment.Purpose.RECEIPT).count()
    if missing_for_accounting(accounting, receipts):
        raise ValidationError(
            _("Fill in what it cost and how it went, and add the receipts, before you send it.")
        )
    accounting.state = Accounting.State.SENT
    accounting.sent_at = timezone.now()
    accounting.save(update_fields=["state", "sent_at"])
    with translation.override("nl"):  # stored in the site's language
        # No amount here: the public sees the costs once the wijkteam has checked them.
        text = _("The submitter sent the verantwoording to the wijkteam.")
    StatusChange.objects.create(
        idea=locked,
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        public_text=text,
    )
    transaction.on_commit(lambda: _mail_team(locked.pk, "ideas/email/accounting_sent_team.txt"))
    logger.info("verantwoording sent", extra={"idea": locked.pk})
    return accounting


@audited("ideas.return_accounting", target="idea")
@transaction.atomic
def return_accounting(idea: Idea, *, actor, question: str, internal_note: str = "") -> Accounting:
    """The wijkteam sends the verantwoording back with a question; the submitter can change it."""
    locked, accounting = _locked_for_accounting(idea)
    if not permissions.may_act_as(actor, TEAM, locked):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if not permissions.accounting_waits_for_team(locked, accounting.state):
        raise ValidationError(_("The verantwoording has not been sent (yet)."))
    if not question.strip():
        raise ValidationError(_("Write a short explanation for the submitter and the public."))
    accounting.state = Accounting.State.OPEN
    accounting.save(update_fields=["state"])
    change = StatusChange.objects.create(
        idea=locked,
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        public_text=question.strip(),
        internal_note=internal_note.strip(),
    )
    transaction.on_commit(lambda: _mail_status_change(change.pk))
    return accounting


@audited("ideas.sign_off_accounting", target="idea")
@transaction.atomic
def sign_off_accounting(
    idea: Idea, *, actor, accepted_cost=None, public_text: str = "", internal_note: str = ""
) -> Accounting:
    """The wijkteam accepts the verantwoording: the accepted costs are booked against the grant,
    what is left goes back to the area's budget, and the idea is ``afgerond``."""
    locked, accounting = _locked_for_accounting(idea)
    if not permissions.may_act_as(actor, TEAM, locked):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if not permissions.accounting_waits_for_team(locked, accounting.state):
        raise ValidationError(_("The verantwoording has not been sent (yet)."))
    accepted = accounting.actual_cost if accepted_cost is None else accepted_cost
    if accepted is None or accepted < 0:
        raise ValidationError(_("Fill in an amount of 0 or more."))
    if accounting.actual_cost is not None and accepted > accounting.actual_cost:
        raise ValidationError(
            _("You cannot accept more than the submitter reported (%(cost)s).")
            % {"cost": format_euro(accounting.actual_cost)}
        )
    grant = Grant.objects.filter(idea=locked, state=Grant.State.ACTIVE).first()
    returned = None
    if grant is not None:
        settlement = budget_services.settlement_of(grant, accepted)
        if settlement.paid_more:
            raise ValidationError(
                _(
                    "%(paid)s has been paid already, more than these costs. Agree on a "
                    "repayment and correct the payments in admin first."
                )
                % {"paid": format_euro(grant.spent)}
            )
        if settlement.to_book:
            with translation.override("nl"):
                description = _("Costs in the verantwoording of %(reference)s") % {
                    "reference": locked.reference
                }
            budget_services.record_payment(
                grant, settlement.to_book, actor=actor, description=description
            )
        returned = settlement.goes_back
        with translation.override("nl"):
            reason = _("Not spent (verantwoording of %(reference)s)") % {
                "reference": locked.reference
            }
        budget_services.settle_grant(grant, actor=actor, reason=reason)
    accounting.accepted_cost = accepted
    accounting.state = Accounting.State.SIGNED_OFF
    accounting.signed_off_at = timezone.now()
    accounting.signed_off_by = actor
    accounting.save(update_fields=["accepted_cost", "state", "signed_off_at", "signed_off_by"])
    # Photos of the result go on the website only with the submitter's consent; receipts never.
    locked.attachments.filter(
        purpose=Attachment.Purpose.RESULT, file_kind=Attachment.FileKind.PHOTO
    ).update(is_public=accounting.photos_public)
    pagecache.bump_after_commit()  # a bulk update sends no signal
    if not public_text.strip():
        with translation.override("nl"):  # stored and mailed in the site's language
            public_text = _("The verantwoording is signed off: it cost %(cost)s.") % {
                "cost": format_euro(accepted)
            }
            if returned:
                public_text += " " + _("%(amount)s goes back to the bewonersbudget.") % {
                    "amount": format_euro(returned)
                }
    transition(
        locked, Status.AFGEROND, actor=actor, public_text=public_text, internal_note=internal_note
    )
    idea.status = Status.AFGEROND
    return accounting


# The satisfaction question -------------------------------------------------------------------


@transaction.atomic
def answer_satisfaction(survey: SatisfactionSurvey, *, score: int, reason: str = ""):
    """The submitter answers, once; the answer cannot be changed afterwards."""
    locked = SatisfactionSurvey.objects.select_for_update().get(pk=survey.pk)
    if locked.answered_at is not None:
        raise ValidationError(_("You have answered this question already. Thank you!"))
    if score not in SatisfactionSurvey.Score.values:
        raise ValidationError(_("Choose how satisfied you are."))
    if len(reason) > 1000:
        raise ValidationError(_("Use at most 1000 characters."))
    locked.score = score
    locked.reason = reason.strip()
    locked.answered_at = timezone.now()
    locked.save(update_fields=["score", "reason", "answered_at"])
    logger.info("satisfaction answered", extra={"idea": locked.idea_id})
    return locked
