"""The sums of a grant's money at its end, in one place: what settling a grant against the costs
pays and returns (``ideas.services.sign_off_accounting`` books it, the review page and the
submitter's verantwoording say it beforehand), and what went back once it is settled."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from .models import ZERO, BudgetEntry, EntryKind, Grant


@dataclass(frozen=True)
class Settlement:
    """What settling ``grant`` against ``cost`` does (see ``settlement``)."""

    paid: Decimal  # what the grant pays of the costs in all: at most what was granted
    booked: Decimal  # what is paid on top of what was paid already
    returned: Decimal  # what goes back to the bewonersbudget
    paid_more: bool  # more was paid already than the costs: a repayment comes first
    over: Decimal | None  # the costs above the grant: not paid from the bewonersbudget


def above(cost: Decimal | None, granted: Decimal) -> Decimal | None:
    """The costs above what was granted (None: within it, or no costs yet)."""
    return cost - granted if cost is not None and cost > granted else None


def settlement(grant: Grant, cost: Decimal) -> Settlement:
    """The grant pays the costs, at most what was granted; the rest of the grant goes back."""
    paid = min(cost, grant.amount)
    return Settlement(
        paid=paid,
        booked=max(paid - grant.spent, ZERO),
        returned=grant.amount - max(paid, grant.spent),
        paid_more=paid < grant.spent,
        over=above(cost, grant.amount),
    )


def returned_by(grant: Grant) -> Decimal:
    """What went back to the bewonersbudget when the grant was settled: the ledger's returns (the
    settled grant's own amount is lowered to what was spent)."""
    total = BudgetEntry.objects.filter(grant=grant, kind=EntryKind.RETURN).aggregate(
        total=Sum("amount")
    )["total"]
    return total or ZERO
