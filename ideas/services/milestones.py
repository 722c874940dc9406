"""Milestones of funded plans: planned and completed by the wijkteam, shown on the public page."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas.workflow import (
    MILESTONE_STATUSES,
    TEAM,
)
from smederijen.audit import audited

from .. import permissions
from ..models import (
    Idea,
    Milestone,
)

logger = logging.getLogger("smederijen.events")


# Milestones of funded plans -----------------------------------------------------------------


def _refuse_milestone_unless(actor, idea) -> None:
    if not permissions.may_act_as(actor, TEAM, idea):
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
