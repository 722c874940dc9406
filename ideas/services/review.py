"""The wijkteam's steps on an idea: each is one transition (or one with money); plus its notes, the
voorwaarden it checks, publishing, a change of kind and the initiatiefgroep's remarks."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ideas.workflow import (
    CLOSED,
    TEAM,
    Status,
)
from smederijen import pagecache
from smederijen.audit import audited
from smederijen.templatetags.money import format_euro
from teams.models import Initiatiefgroep

from .. import permissions
from ..models import (
    Assignment,
    Condition,
    ConditionCheck,
    Idea,
    InventoryRemark,
    ReviewNote,
    StatusChange,
)
from .grants import grant_budget
from .mail import _mail_assigned, _mail_status_change
from .transitions import transition

logger = logging.getLogger("smederijen.events")

# The review by the wijkteam ------------------------------------------------------------------
# Each action is one transition (or a transition with money); the views ask to confirm first.


@audited("ideas.take_up", target="idea")
def take_up(idea: Idea, *, actor, internal_note: str = "", notify: bool = True) -> Idea:
    """The wijkteam starts looking at a new idea."""
    return transition(
        idea, Status.IN_BEHANDELING, actor=actor, internal_note=internal_note, notify=notify
    )


def first_step_of_question(idea: Idea) -> str:
    """The step ``ask_question`` starts with: a new idea is taken up first."""
    return Status.IN_BEHANDELING if idea.status == Status.INGEDIEND else Status.AANVULLING_GEVRAAGD


@audited("ideas.ask_question", target="idea")
@transaction.atomic
def ask_question(idea: Idea, *, actor, question: str, internal_note: str = "") -> Idea:
    """Ask the submitter for more information; the question reaches them by mail (one mail,
    also when the idea is taken up in the same go)."""
    if first_step_of_question(idea) == Status.IN_BEHANDELING:
        idea = take_up(idea, actor=actor, notify=False)
    return transition(
        idea,
        Status.AANVULLING_GEVRAAGD,
        actor=actor,
        public_text=question,
        internal_note=internal_note,
    )


@audited("ideas.approve", target="idea")
def approve(
    idea: Idea, *, actor, public_text: str = "", internal_note: str = "", against_advice: str = ""
) -> Idea:
    """A korte-klap idea meets the conditions (the checklist says why)."""
    if not permissions.kind_fits_step(idea, Status.GOEDGEKEURD):
        raise ValidationError(
            _("Only a korte-klap idea is approved here; send a lange-klap plan to the stuurgroep.")
        )
    return transition(
        idea,
        Status.GOEDGEKEURD,
        actor=actor,
        public_text=public_text,
        internal_note=internal_note,
        against_advice=against_advice,
    )


@audited("ideas.grant", target="idea", detail=("amount",))
@transaction.atomic
def grant(idea: Idea, amount, *, actor, public_text: str = "", internal_note: str = ""):
    """Grant money from the area's budget and record it as the idea's next step, together."""
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
def reject(
    idea: Idea, *, actor, reason: str, internal_note: str = "", against_advice: str = ""
) -> Idea:
    return transition(
        idea,
        Status.AFGEWEZEN,
        actor=actor,
        public_text=reason,
        internal_note=internal_note,
        against_advice=against_advice,
    )


@audited("ideas.send_to_stuurgroep", target="idea")
def send_to_stuurgroep(
    idea: Idea, *, actor, public_text: str = "", internal_note: str = "", against_advice: str = ""
):
    if not permissions.kind_fits_step(idea, Status.BIJ_STUURGROEP):
        raise ValidationError(_("Only a lange-klap plan goes to the stuurgroep."))
    return transition(
        idea,
        Status.BIJ_STUURGROEP,
        actor=actor,
        public_text=public_text,
        internal_note=internal_note,
        against_advice=against_advice,
    )


@audited("ideas.start_execution", target="idea")
def start_execution(idea: Idea, *, actor, public_text: str = "", internal_note: str = ""):
    """The idea may be carried out; a lange-klap plan only once it is fully funded."""
    if idea.status == Status.FINANCIERING:
        allowed, why = permissions.may_start(idea)
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


# The voorwaarden of a new year ------------------------------------------------------------------


def conditions_to_copy(conditions) -> tuple[list, list]:
    """What copying these voorwaarden to the year after theirs would do, before anything is saved:
    (to copy, already there) — a voorwaarde with the same title and kind in the next year is
    there already and is skipped."""
    conditions = list(conditions)
    years = {c.year + 1 for c in conditions}
    existing = set(Condition.objects.filter(year__in=years).values_list("year", "kind", "title"))
    to_copy, there = [], []
    for condition in sorted(conditions, key=lambda c: (c.year, c.position, c.pk)):
        key = (condition.year + 1, condition.kind, condition.title)
        (there if key in existing else to_copy).append(condition)
        existing.add(key)  # two of the same in the selection: one copy
    return to_copy, there


@audited("ideas.copy_conditions", target=None)
@transaction.atomic
def copy_conditions(conditions, *, actor) -> list:
    """Copy voorwaarden to the year after theirs (title, text, kind and position), skipping those
    that are there already (``conditions_to_copy``); the copies, in one transaction."""
    if not actor.has_perm("ideas.add_condition"):
        raise PermissionDenied(_("You may not add voorwaarden."))
    to_copy, _there = conditions_to_copy(conditions)
    copies = Condition.objects.bulk_create(
        Condition(year=c.year + 1, kind=c.kind, title=c.title, text=c.text, position=c.position)
        for c in to_copy
    )
    if copies:
        pagecache.bump_after_commit()  # a bulk insert sends no signal: the voorwaarden page
    logger.info("conditions copied", extra={"count": len(copies)})
    return copies


# Who handles an idea ----------------------------------------------------------------------------


@audited("ideas.assign", target="idea")
@transaction.atomic
def assign(idea: Idea, *, actor, behandelaar) -> Idea:
    """Make ``behandelaar`` (one of the people who act for the idea's area; None: nobody) the one
    who handles the idea. A history row records it; the new behandelaar gets a mail, unless they
    chose themselves. Assigning the one who has it already changes nothing."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not permissions.may_act_as(actor, TEAM, idea):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if idea.status == Status.CONCEPT or idea.status in CLOSED:
        raise ValidationError(_("A closed idea gets no behandelaar any more."))
    if behandelaar is not None and not permissions.may_handle(behandelaar, idea):
        raise ValidationError(
            _("%(name)s does not act for %(area)s: choose someone of its team.")
            % {"name": behandelaar.get_full_name() or behandelaar.email, "area": idea.smederij}
        )
    new_pk = behandelaar.pk if behandelaar is not None else None
    if idea.behandelaar_id == new_pk:
        return idea
    # Not idea.save(): the behandelaar is on no public page, so the public kept pages stay; the
    # Assignment row makes the staff pages out of date.
    Idea.objects.filter(pk=idea.pk).update(behandelaar=behandelaar)
    idea.behandelaar = behandelaar
    Assignment.objects.create(idea=idea, behandelaar=behandelaar, assigned_by=actor)
    logger.info("idea assigned", extra={"idea": idea.pk, "behandelaar": new_pk})
    if new_pk is not None and new_pk != actor.pk:
        transaction.on_commit(lambda: _mail_assigned(idea.pk, new_pk, actor.pk))
    return idea


@audited("ideas.add_review_note", target="idea")
def add_review_note(idea: Idea, *, actor, text: str) -> ReviewNote:
    """An internal note: for the area's staff only, never for the submitter or the public."""
    if not permissions.may_act_as(actor, TEAM, idea):
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
    if not permissions.may_act_as(actor, TEAM, idea):
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
    if not permissions.may_reclassify(actor, locked):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if locked.kind == kind:
        return locked
    if not permissions.kind_may_change(locked):
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
