"""The co-funding of a lange-klap plan: where its money comes from, and how sure it is. How far
the sources cover the plan's begroting is ``sums.funding_of``; whether the plan may start with it
is the idea's own rule (``ideas.permissions.may_start``)."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smederijen.audit import audited

from ..models import FundingSource
from ..permissions import may_manage_funding
from .ledger import _money

logger = logging.getLogger("smederijen.events")


@audited(
    "budgets.save_funding_source",
    target="idea",
    detail=(
        "kind",
        "amount",
    ),
)
@transaction.atomic
def save_funding_source(
    idea,
    *,
    actor,
    kind: str,
    name: str,
    amount,
    status: str,
    note: str = "",
    source: FundingSource | None = None,
) -> FundingSource:
    """Add a funding source to a plan, or change its amount or status."""
    if not may_manage_funding(actor, idea):
        raise PermissionDenied(_("Only staff of the area keep the funding of a plan."))
    amount = _money(amount)
    if amount <= 0:
        raise ValidationError(_("Fill in an amount of more than € 0."))
    if source is None:
        source = FundingSource(idea=idea)
    else:
        source = FundingSource.objects.select_for_update().filter(pk=source.pk, idea=idea).first()
        if source is None:
            raise ValidationError(_("This funding source belongs to another plan."))
    source.kind, source.name, source.amount = kind, name.strip(), amount
    source.status, source.note = status, note.strip()
    source.updated_by, source.updated_at = actor, timezone.now()
    source.save()
    logger.info(
        "funding source saved", extra={"idea": idea.pk, "source": source.pk, "status": status}
    )
    return source
