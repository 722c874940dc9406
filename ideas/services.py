"""Every change to an idea goes through here: the form's steps, submitting, the way through the
statuses, attachments, supports and the initiatiefgroep's remarks.

Each transition is checked against one table (``TRANSITIONS``): where the idea is now, where it may
go, who may move it and whether the public must be told why. It runs in one transaction with the
idea's row locked, writes a row of history, and sends its mail only after the commit.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ideas.workflow import OPEN_BEFORE_DECISION, Status
from smederijen import mail
from smederijen.audit import audited
from smederijen.models import MailText, ProgrammeSettings
from smederijen.templatetags.money import format_euro
from teams import permissions as team_permissions
from teams.models import Initiatiefgroep, Team

from . import permissions
from .models import (
    Accounting,
    Attachment,
    BudgetLine,
    Condition,
    ConditionCheck,
    Idea,
    IdeaSequence,
    InventoryRemark,
    Kind,
    Milestone,
    PaperSupportList,
    ReviewNote,
    SatisfactionSurvey,
    StatusChange,
    Support,
)
from .uploads import CheckedFile

logger = logging.getLogger("smederijen.events")

SUBMITTER = "submitter"
TEAM = "team"  # the wijkteam of the idea's area or its gebiedsregisseur
STUURGROEP = "stuurgroep"


@dataclass(frozen=True)
class Transition:
    actor: str
    needs_public_text: bool = False


# The way of an idea: (from, to) → who may make the step and whether a public reason is needed.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (Status.CONCEPT, Status.INGEDIEND): Transition(SUBMITTER),
    (Status.INGEDIEND, Status.IN_BEHANDELING): Transition(TEAM),
    (Status.IN_BEHANDELING, Status.AANVULLING_GEVRAAGD): Transition(TEAM, needs_public_text=True),
    (Status.AANVULLING_GEVRAAGD, Status.IN_BEHANDELING): Transition(
        SUBMITTER, needs_public_text=True
    ),
    (Status.IN_BEHANDELING, Status.GOEDGEKEURD): Transition(TEAM),
    (Status.GOEDGEKEURD, Status.BUDGET_TOEGEKEND): Transition(TEAM),
    (Status.BUDGET_TOEGEKEND, Status.IN_UITVOERING): Transition(TEAM),
    (Status.IN_BEHANDELING, Status.BIJ_STUURGROEP): Transition(TEAM),
    (Status.BIJ_STUURGROEP, Status.FINANCIERING): Transition(STUURGROEP, needs_public_text=True),
    (Status.BIJ_STUURGROEP, Status.IN_BEHANDELING): Transition(STUURGROEP, needs_public_text=True),
    (Status.FINANCIERING, Status.IN_UITVOERING): Transition(TEAM),
    (Status.IN_UITVOERING, Status.GEREALISEERD): Transition(TEAM),
    (Status.GEREALISEERD, Status.AFGEROND): Transition(TEAM),
}
for _open in (
    Status.INGEDIEND,
    Status.IN_BEHANDELING,
    Status.AANVULLING_GEVRAAGD,
    Status.GOEDGEKEURD,
):
    TRANSITIONS[(_open, Status.AFGEWEZEN)] = Transition(TEAM, needs_public_text=True)
TRANSITIONS[(Status.BIJ_STUURGROEP, Status.AFGEWEZEN)] = Transition(
    STUURGROEP, needs_public_text=True
)
for _open in OPEN_BEFORE_DECISION:
    TRANSITIONS[(_open, Status.INGETROKKEN)] = Transition(SUBMITTER)


# When an idea is closed the submitter is asked how satisfied they are with how it was handled.
ASKED_HOW_SATISFIED = (Status.AFGEROND, Status.AFGEWEZEN)


def may_act_as(user, actor: str, idea: Idea) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if actor == SUBMITTER:
        return idea.submitted_by_id == user.pk
    if actor == TEAM:
        return idea.smederij_id in team_permissions.area_ids(user)
    if actor == STUURGROEP:
        return team_permissions.has_role(user, team_permissions.STUURGROEPLID) or (
            idea.smederij_id in team_permissions.area_ids(user)
            and team_permissions.has_role(user, team_permissions.GEBIEDSREGISSEUR)
        )
    return False


def allowed_transitions(user, idea: Idea) -> list[str]:
    return [
        to
        for (from_, to), rule in TRANSITIONS.items()
        if from_ == idea.status and may_act_as(user, rule.actor, idea)
    ]


@audited("ideas.transition", target="idea", detail=("to_status",))
@transaction.atomic
def transition(
    idea: Idea,
    to_status: str,
    *,
    actor,
    public_text: str = "",
    internal_note: str = "",
    notify: bool = True,
    expected_status: str | None = None,
) -> Idea:
    """Move an idea one step along its way; the one door every status change goes through.

    ``expected_status``: the step only makes sense from this status (an answer needs a question).
    """
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    rule = TRANSITIONS.get((locked.status, to_status))
    if rule is None or (expected_status and locked.status != expected_status):
        raise ValidationError(
            _("An idea with status '%(from)s' cannot become '%(to)s'.")
            % {"from": locked.get_status_display(), "to": Status(to_status).label}
        )
    if not may_act_as(actor, rule.actor, locked):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if rule.needs_public_text and not public_text.strip():
        raise ValidationError(_("Write a short explanation for the submitter and the public."))
    if (
        to_status == Status.AFGEROND
        and not Accounting.objects.filter(idea=locked, state=Accounting.State.SIGNED_OFF).exists()
    ):
        # Only signing off the verantwoording completes an idea (and settles its money).
        raise ValidationError(_("An idea is completed when its verantwoording is signed off."))
    from_status = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    change = StatusChange.objects.create(
        idea=locked,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        public_text=public_text.strip(),
        internal_note=internal_note.strip(),
    )
    if to_status in ASKED_HOW_SATISFIED and locked.contact_email:
        # Asked once per idea; the question goes along in the mail about the closing.
        SatisfactionSurvey.objects.get_or_create(idea=locked)
    if notify and rule.actor != SUBMITTER:
        # The submitter hears of every step the team or the stuurgroep takes, once per step.
        transaction.on_commit(lambda: _mail_status_change(change.pk))
    logger.info(
        "idea status changed",
        extra={"idea": locked.pk, "from": from_status, "to": to_status, "actor": actor.pk},
    )
    idea.status = locked.status
    return locked


# The review by the wijkteam ------------------------------------------------------------------
# Each action is one transition (or a transition with money); the views ask to confirm first.


@audited("ideas.take_up", target="idea")
def take_up(idea: Idea, *, actor, internal_note: str = "", notify: bool = True) -> Idea:
    """The wijkteam starts looking at a new idea."""
    return transition(
        idea, Status.IN_BEHANDELING, actor=actor, internal_note=internal_note, notify=notify
    )


@audited("ideas.ask_question", target="idea")
@transaction.atomic
def ask_question(idea: Idea, *, actor, question: str, internal_note: str = "") -> Idea:
    """Ask the submitter for more information; the question reaches them by mail (one mail,
    also when the idea is taken up in the same go)."""
    if idea.status == Status.INGEDIEND:
        idea = take_up(idea, actor=actor, notify=False)
    return transition(
        idea,
        Status.AANVULLING_GEVRAAGD,
        actor=actor,
        public_text=question,
        internal_note=internal_note,
    )


@audited("ideas.approve", target="idea")
def approve(idea: Idea, *, actor, public_text: str = "", internal_note: str = "") -> Idea:
    """A korte-klap idea meets the conditions (the checklist says why)."""
    if idea.kind != Kind.KORTE_KLAP:
        raise ValidationError(
            _("Only a korte-klap idea is approved here; send a lange-klap plan to the stuurgroep.")
        )
    return transition(
        idea, Status.GOEDGEKEURD, actor=actor, public_text=public_text, internal_note=internal_note
    )


@audited("ideas.grant", target="idea", detail=("amount",))
@transaction.atomic
def grant(idea: Idea, amount, *, actor, public_text: str = "", internal_note: str = ""):
    """Grant money from the area's budget and record it as the idea's next step, together."""
    from budgets.services import grant_budget

    money = grant_budget(idea, amount, actor=actor)
    if not public_text.strip():
        with translation.override("nl"):  # stored and mailed in the site's language
            public_text = _("%(amount)s granted from the resident budget.") % {
                "amount": format_euro(money.amount)
            }
    transition(
        idea,
        Status.BUDGET_TOEGEKEND,
        actor=actor,
        public_text=public_text,
        internal_note=internal_note,
    )
    return money


@audited("ideas.reject", target="idea")
def reject(idea: Idea, *, actor, reason: str, internal_note: str = "") -> Idea:
    return transition(
        idea, Status.AFGEWEZEN, actor=actor, public_text=reason, internal_note=internal_note
    )


@audited("ideas.send_to_stuurgroep", target="idea")
def send_to_stuurgroep(idea: Idea, *, actor, public_text: str = "", internal_note: str = ""):
    if idea.kind != Kind.LANGE_KLAP:
        raise ValidationError(_("Only a lange-klap plan goes to the stuurgroep."))
    return transition(
        idea,
        Status.BIJ_STUURGROEP,
        actor=actor,
        public_text=public_text,
        internal_note=internal_note,
    )


@audited("ideas.start_execution", target="idea")
def start_execution(idea: Idea, *, actor, public_text: str = "", internal_note: str = ""):
    """The idea may be carried out; a lange-klap plan only once it is fully funded."""
    from budgets.services import may_start

    if idea.status == Status.FINANCIERING:
        allowed, why = may_start(idea)
        if not allowed:
            raise ValidationError(why)
    return transition(
        idea,
        Status.IN_UITVOERING,
        actor=actor,
        public_text=public_text,
        internal_note=internal_note,
    )


@audited("ideas.mark_realised", target="idea")
def mark_realised(idea: Idea, *, actor, public_text: str = "", internal_note: str = ""):
    return transition(
        idea, Status.GEREALISEERD, actor=actor, public_text=public_text, internal_note=internal_note
    )


@audited("ideas.add_review_note", target="idea")
def add_review_note(idea: Idea, *, actor, text: str) -> ReviewNote:
    """An internal note: for the area's staff only, never for the submitter or the public."""
    if not may_act_as(actor, TEAM, idea):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if not text.strip():
        raise ValidationError(_("Write the note."))
    if len(text) > 4000:
        raise ValidationError(_("Use at most 4000 characters."))
    return ReviewNote.objects.create(idea=idea, author=actor, text=text.strip())


@audited("ideas.check_condition", target="idea", detail=("verdict",))
@transaction.atomic
def check_condition(idea: Idea, condition, *, actor, verdict: str, remark: str = ""):
    """Record the wijkteam's verdict on one voorwaarde (changing it later overwrites the verdict,
    the history of decisions stays in the status changes)."""
    if not may_act_as(actor, TEAM, idea):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if verdict not in ConditionCheck.Verdict.values:
        raise ValidationError(_("Choose whether the idea meets this condition."))
    if len(remark) > 500:
        raise ValidationError(_("Use at most 500 characters."))
    if condition.kind not in (Condition.Applies.BOTH, idea.kind):
        raise ValidationError(_("This condition is not for this kind of idea."))
    check, _created = ConditionCheck.objects.update_or_create(
        idea=idea,
        condition=condition,
        defaults={
            "verdict": verdict,
            "remark": remark.strip(),
            "checked_by": actor,
            "checked_at": timezone.now(),
        },
    )
    return check


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
    if not may_act_as(actor, SUBMITTER, locked):
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
    if not may_act_as(actor, TEAM, locked):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if accounting.state != Accounting.State.SENT:
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
    from budgets.models import Grant
    from budgets.services import record_payment, settle_grant

    locked, accounting = _locked_for_accounting(idea)
    if not may_act_as(actor, TEAM, locked):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if accounting.state != Accounting.State.SENT:
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
        spend = min(accepted, grant.amount)
        if spend < grant.spent:
            raise ValidationError(
                _(
                    "%(paid)s has been paid already, more than these costs. Agree on a "
                    "repayment and correct the payments in admin first."
                )
                % {"paid": format_euro(grant.spent)}
            )
        if spend > grant.spent:
            with translation.override("nl"):
                description = _("Costs in the verantwoording of %(reference)s") % {
                    "reference": locked.reference
                }
            record_payment(grant, spend - grant.spent, actor=actor, description=description)
        returned = grant.amount - spend
        with translation.override("nl"):
            reason = _("Not spent (verantwoording of %(reference)s)") % {
                "reference": locked.reference
            }
        settle_grant(grant, actor=actor, reason=reason)
    accounting.accepted_cost = accepted
    accounting.state = Accounting.State.SIGNED_OFF
    accounting.signed_off_at = timezone.now()
    accounting.signed_off_by = actor
    accounting.save(update_fields=["accepted_cost", "state", "signed_off_at", "signed_off_by"])
    # Photos of the result go on the website only with the submitter's consent; receipts never.
    locked.attachments.filter(
        purpose=Attachment.Purpose.RESULT, file_kind=Attachment.FileKind.PHOTO
    ).update(is_public=accounting.photos_public)
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


# Milestones of funded plans -----------------------------------------------------------------

MILESTONE_STATUSES = (Status.FINANCIERING, Status.IN_UITVOERING, Status.GEREALISEERD)


def _refuse_milestone_unless(actor, idea) -> None:
    if not may_act_as(actor, TEAM, idea):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if idea.status not in MILESTONE_STATUSES:
        raise ValidationError(_("Milestones are for plans that are funded or being carried out."))


@audited("ideas.add_milestone", target="idea")
def add_milestone(idea: Idea, *, actor, title: str, planned_on, public_note: str = ""):
    """The area's team adds a step of a plan's way to completion (shown on the public page)."""
    _refuse_milestone_unless(actor, idea)
    if not title.strip():
        raise ValidationError(_("Fill in what the milestone is."))
    return Milestone.objects.create(
        idea=idea, title=title.strip(), planned_on=planned_on, public_note=public_note.strip()
    )


@audited("ideas.complete_milestone", target="milestone")
def complete_milestone(milestone, *, actor, done_on, public_note: str | None = None):
    """A milestone is reached (not in the future)."""
    _refuse_milestone_unless(actor, milestone.idea)
    if done_on > timezone.localdate():
        raise ValidationError(_("A milestone cannot be reached in the future."))
    milestone.done_on = done_on
    if public_note is not None:
        milestone.public_note = public_note.strip()
    milestone.save(update_fields=["done_on", "public_note"])
    return milestone


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


@audited("ideas.set_published", target="idea", detail=("published",))
@transaction.atomic
def set_published(idea: Idea, *, actor, published: bool) -> Idea:
    """Staff of the area put the idea on the public site (or take it off)."""
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if not permissions.can_publish(actor, locked):
        raise PermissionDenied
    locked.is_published = published
    locked.save(update_fields=["is_published", "updated_at"])
    logger.info("idea published" if published else "idea unpublished", extra={"idea": idea.pk})
    idea.is_published = published
    return locked


@audited("ideas.reclassify", target="idea", detail=("kind",))
@transaction.atomic
def reclassify_idea(idea: Idea, *, actor, kind: str, reason: str, internal_note: str = "") -> Idea:
    """Staff turn a korte-klap idea into a lange-klap one, or back, and say why; the submitter
    hears of it. Only while the wijkteam has not decided."""
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if not permissions.is_area_staff(actor, locked):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if locked.kind == kind:
        return locked
    if locked.status not in (*OPEN_BEFORE_DECISION, Status.CONCEPT):
        raise ValidationError(_("The kind can only change until the wijkteam decides."))
    if not reason.strip():
        raise ValidationError(_("Write a short explanation for the submitter and the public."))
    idea_kind_before = locked.kind
    locked.kind = kind
    locked.save(update_fields=["kind", "updated_at"])
    with translation.override("nl"):  # stored and mailed in the site's language
        text = _("Kind changed from %(old)s to %(new)s: %(reason)s") % {
            "old": locked.__class__(kind=idea_kind_before).get_kind_display(),
            "new": locked.get_kind_display(),
            "reason": reason.strip(),
        }
    change = StatusChange.objects.create(
        idea=locked,
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        public_text=text,
        internal_note=internal_note.strip(),
    )
    if locked.status != Status.CONCEPT:
        transaction.on_commit(lambda: _mail_status_change(change.pk))
    return locked


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


# Supports (draagvlak) ------------------------------------------------------------------------

SUPPORTABLE = {
    Status.INGEDIEND,
    Status.IN_BEHANDELING,
    Status.AANVULLING_GEVRAAGD,
    Status.GOEDGEKEURD,
    Status.BUDGET_TOEGEKEND,
    Status.BIJ_STUURGROEP,
    Status.FINANCIERING,
    Status.IN_UITVOERING,
}


def can_be_supported(idea: Idea) -> bool:
    return idea.is_published and idea.status in SUPPORTABLE


def give_support(idea: Idea, *, name: str, email: str, street: str, smederij=None) -> Support:
    """Someone supports a public idea. It counts once they confirm by the link in the mail;
    the same address counts once per idea, however often it is given."""
    if not can_be_supported(idea):
        raise ValidationError(_("This idea cannot be supported (any more)."))
    email = email.strip()
    try:
        with transaction.atomic():
            support = Support.objects.create(
                idea=idea, name=name.strip(), email=email, street=street.strip(), smederij=smederij
            )
    except IntegrityError:  # this address gave its support before
        support = Support.objects.get(idea=idea, email__iexact=email)
    transaction.on_commit(lambda: _mail_support(support.pk))
    return support


@transaction.atomic
def confirm_support(support: Support) -> Support:
    locked = Support.objects.select_for_update().get(pk=support.pk)
    if locked.confirmed_at is None:
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["confirmed_at"])
        logger.info("support confirmed", extra={"idea": locked.idea_id})
    return locked


@audited("ideas.add_paper_list", target="idea")
def add_paper_list(idea: Idea, *, actor, count: int, note: str = "", scan=None) -> PaperSupportList:
    """Staff of the area count a list of signatures on paper."""
    if not permissions.is_area_staff(actor, idea):
        raise PermissionDenied
    paper = PaperSupportList(idea=idea, count=count, note=note, added_by=actor)
    if scan is not None:
        paper.scan.save("scan", scan, save=False)
    paper.save()
    return paper


def support_count(idea: Idea) -> int:
    """Confirmed supports plus signatures on paper: the number shown with the idea."""
    confirmed = idea.supports.confirmed().count()
    paper = idea.paper_lists.aggregate(total=Sum("count"))["total"] or 0
    return confirmed + paper


def support_make_up(idea: Idea) -> dict:
    """Where the support comes from: the evidence the wijkteam and the stuurgroep weigh.

    One query: the confirmed supports counted per area and street, summed up here. The paper
    signatures are read too, unless the idea was fetched with ``paper_total`` annotated."""
    by_smederij: dict = {}
    by_street: dict = {}
    for row in idea.supports.confirmed().values("smederij__name", "street").annotate(n=Count("pk")):
        by_smederij[row["smederij__name"]] = by_smederij.get(row["smederij__name"], 0) + row["n"]
        by_street[row["street"]] = by_street.get(row["street"], 0) + row["n"]
    paper = getattr(idea, "paper_total", None)
    if paper is None:
        paper = idea.paper_lists.aggregate(total=Sum("count"))["total"]

    def most_first(counts: dict, key: str) -> list[dict]:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] or ""))
        return [{key: name, "n": n} for name, n in ordered]

    return {
        "confirmed": sum(by_smederij.values()),
        "paper": paper or 0,
        "by_smederij": most_first(by_smederij, "smederij__name"),
        "by_street": most_first(by_street, "street")[:10],
    }


# The initiatiefgroep's inventory -------------------------------------------------------------


def add_inventory_remark(idea: Idea, *, actor, text: str) -> InventoryRemark:
    if not permissions.can_add_inventory_remark(actor, idea):
        raise PermissionDenied
    group = Initiatiefgroep.objects.filter(
        smederij_id=idea.smederij_id, is_active=True, memberships__user=actor
    ).first()
    remark = InventoryRemark.objects.create(
        idea=idea, author=actor, initiatiefgroep=group, text=text.strip()
    )
    logger.info("inventory remark added", extra={"idea": idea.pk, "remark": remark.pk})
    return remark


# Mail (sent after the commit, so no mail tells of something that did not happen) ----------------


def team_addresses(idea: Idea) -> list[str]:
    """The area's team mailbox, its members with an account, and the gebiedsregisseur."""
    addresses = []
    teams = Team.objects.filter(smederijen=idea.smederij_id, is_active=True).prefetch_related(
        "members__user"
    )
    for team in teams:
        if team.email:
            addresses.append(team.email)
        addresses.extend(m.user.email for m in team.members.all() if m.user and m.user.email)
    if idea.smederij and idea.smederij.gebiedsregisseur:
        addresses.append(idea.smederij.gebiedsregisseur.email)
    return list(dict.fromkeys(a for a in addresses if a))


def _send(subject: str, template: str, context: dict, to: list[str]) -> None:
    if not to:
        return
    # The opening and closing words support staff keep in admin (none: the standard words).
    context = {**context, "mail_text": MailText.for_template(template)}
    mail.send(subject=f"De Smederijen: {subject}", body=render_to_string(template, context), to=to)


def _site_url(path: str) -> str:
    return settings.SMEDERIJEN_SITE_URL.rstrip("/") + path


def _mail_submitted(idea_pk: int) -> None:
    idea = Idea.objects.select_related("smederij__gebiedsregisseur").get(pk=idea_pk)
    context = {
        "idea": idea,
        "my_ideas_url": _site_url(reverse("ideas:my-idea", kwargs={"public_id": idea.public_id})),
        "conditions_url": _site_url(reverse("ideas:conditions")),
    }
    _send(
        _("your idea %(reference)s has arrived") % {"reference": idea.reference},
        "ideas/email/submitted_submitter.txt",
        context,
        [idea.contact_email],
    )
    _mail_team(idea_pk, "ideas/email/submitted_team.txt")


def _mail_team(idea_pk: int, template: str) -> None:
    idea = Idea.objects.select_related("smederij__gebiedsregisseur").get(pk=idea_pk)
    context = {
        "idea": idea,
        "admin_url": _site_url(reverse("ideas:review", kwargs={"public_id": idea.public_id})),
    }
    _send(
        _("idea %(reference)s for %(smederij)s")
        % {"reference": idea.reference, "smederij": idea.smederij},
        template,
        context,
        team_addresses(idea),
    )


def _mail_status_change(change_pk: int) -> None:
    """Tell the submitter what happened and why, with a link to their idea."""
    change = StatusChange.objects.select_related("idea").get(pk=change_pk)
    idea = change.idea
    if change.mail_queued or not idea.contact_email:
        return
    context = {
        "idea": idea,
        "change": change,
        "my_idea_url": _site_url(reverse("ideas:my-idea", kwargs={"public_id": idea.public_id})),
    }
    survey = SatisfactionSurvey.objects.filter(idea=idea, answered_at__isnull=True).first()
    if change.to_status in ASKED_HOW_SATISFIED and survey is not None:
        survey_url = _site_url(survey.get_absolute_url())
        context["survey_links"] = [
            (score, label, f"{survey_url}?cijfer={score}")
            for score, label in SatisfactionSurvey.Score.choices
        ]
    if change.to_status == Status.GEREALISEERD:
        context["accounting_url"] = _site_url(
            reverse("ideas:accounting", kwargs={"public_id": idea.public_id})
        )
    _send(
        _("news about your idea %(reference)s") % {"reference": idea.reference},
        "ideas/email/status_changed.txt",
        context,
        [idea.contact_email],
    )
    StatusChange.objects.filter(pk=change.pk).update(mail_queued=True)
    if change.to_status == Status.BIJ_STUURGROEP:
        _mail_stuurgroep_secretary(idea)


def _mail_stuurgroep_secretary(idea: Idea) -> None:
    """The gebiedsregisseur of the area is the stuurgroep's secretary for its plans."""
    regisseur = idea.smederij.gebiedsregisseur if idea.smederij else None
    if regisseur is None:
        return
    _send(
        _("plan %(reference)s for the stuurgroep") % {"reference": idea.reference},
        "ideas/email/to_stuurgroep.txt",
        {
            "idea": idea,
            "admin_url": _site_url(reverse("ideas:review", kwargs={"public_id": idea.public_id})),
        },
        [regisseur.email],
    )


def _mail_support(support_pk: int) -> None:
    support = Support.objects.select_related("idea").get(pk=support_pk)
    context = {
        "support": support,
        "idea": support.idea,
        "confirm_url": _site_url(reverse("ideas:support-confirm", kwargs={"token": support.token})),
    }
    _send(
        _("confirm your support for '%(title)s'") % {"title": support.idea.title},
        "ideas/email/support_confirm.txt",
        context,
        [support.email],
    )
