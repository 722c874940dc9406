"""The one door for every change of status: checked against the table in ``ideas/workflow.py``,
in one transaction with the idea's row locked, with a row of history and mail after the commit."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ideas.workflow import (
    ASKED_HOW_SATISFIED,
    DECIDES,
    SUBMITTER,
    TEAM,
    TRANSITIONS,
    Status,
)
from smederijen.audit import audited

from .. import permissions
from ..models import (
    Accounting,
    Idea,
    SatisfactionSurvey,
    StatusChange,
)
from .mail import _mail_status_change
from .overleg import goes_against, latest_advice

logger = logging.getLogger("smederijen.events")


def allowed_transitions(user, idea: Idea, *, as_actor: str | None = None) -> list[str]:
    """The statuses ``user`` may move the idea to now; ``as_actor``: only the steps of that actor
    (the review page asks for the wijkteam's, not the stuurgroep's)."""
    return [
        to
        for (from_, to), rule in TRANSITIONS.items()
        if from_ == idea.status
        and as_actor in (None, rule.actor)
        and permissions.may_act_as(user, rule.actor, idea)
    ]


def advice_against(idea: Idea, to_status: str):
    """The wijkoverleg's advice that deciding ``to_status`` would go against, or None."""
    if to_status not in DECIDES:
        return None
    advice = latest_advice(idea)
    return advice if advice is not None and goes_against(advice.advice, to_status) else None


def _checked_against_advice(idea, to_status, reason: str, internal_note: str) -> str:
    advice = advice_against(idea, to_status)
    if advice is None:
        return internal_note
    with translation.override(settings.LANGUAGE_CODE):  # kept in the site's language
        said = _("the wijkoverleg of %(date)s advised: %(advice)s") % {
            "date": date_format(timezone.localtime(advice.overleg.starts_at), "j F Y"),
            "advice": advice.get_advice_display(),
        }
        if not reason.strip():
            raise ValidationError(
                _("This decision goes against the advice (%(said)s). Write why.") % {"said": said}
            )
        note = _("Against the advice (%(said)s): %(reason)s") % {
            "said": said,
            "reason": reason.strip(),
        }
    return f"{note}\n\n{internal_note.strip()}".strip()


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
    against_advice: str = "",
) -> Idea:
    """Move an idea one step along its way; the one door every status change goes through.

    ``expected_status``: the step only makes sense from this status (an answer needs a question).
    ``against_advice``: why the wijkteam decides against the advice of the wijkoverleg (asked
    only then; kept with the internal note).
    """
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    rule = TRANSITIONS.get((locked.status, to_status))
    if rule is None or (expected_status and locked.status != expected_status):
        raise ValidationError(
            _("An idea with status '%(from)s' cannot become '%(to)s'.")
            % {"from": locked.get_status_display(), "to": Status(to_status).label}
        )
    if not permissions.may_act_as(actor, rule.actor, locked):
        raise PermissionDenied(_("You may not take this step for this idea."))
    if rule.actor == TEAM and to_status in DECIDES:
        internal_note = _checked_against_advice(locked, to_status, against_advice, internal_note)
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
