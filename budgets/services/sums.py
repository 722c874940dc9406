"""The money's sums, each in one function: the totals of a budget (or of many, or of each area's
budget of a year), the ledger's balance, the money of one grant, what signing off a grant with
its costs does, and how far a plan's funding sources cover it. Every page, export and service that
shows or books a sum asks here.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum, Value

from ..models import ZERO, Budget, BudgetEntry, EntryKind, FundingSource, Grant

# The totals of budgets -----------------------------------------------------------------------


@dataclass
class Totals:
    budget: Decimal = ZERO  # opening + top-ups + corrections
    granted: Decimal = ZERO  # grants, less what was lowered or withdrawn
    returned: Decimal = ZERO  # unspent money back after realisation
    spent: Decimal = ZERO
    available: Decimal = ZERO

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(*(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__))


def totals_by_budget(budgets) -> dict[int, Totals]:
    """The totals of many budgets in one query, whatever the number of entries or grants: the
    ledger summed per budget and kind, and what the grants spent, as one union."""
    ids = [b.pk for b in budgets]
    result = {b.pk: Totals() for b in budgets}
    if not ids:
        return result
    entries = (
        BudgetEntry.objects.filter(budget__in=ids)
        .order_by()
        .values("budget", "kind")
        .annotate(total=Sum("amount"))
        .values_list("budget", "kind", "total")
    )
    spent = (
        Grant.objects.filter(budget__in=ids)
        .order_by()
        .values("budget")
        .annotate(kind=Value(SPENT), total=Sum("spent"))
        .values_list("budget", "kind", "total")
    )
    for budget_id, kind, amount in entries.union(spent, all=True):
        totals = result[budget_id]
        if kind == SPENT:
            totals.spent = amount or ZERO
        elif kind in (EntryKind.OPENING, EntryKind.TOP_UP, EntryKind.CORRECTION):
            totals.budget += amount
        elif kind in (EntryKind.GRANT, EntryKind.GRANT_LOWERED, EntryKind.GRANT_WITHDRAWN):
            totals.granted -= amount
        elif kind == EntryKind.RETURN:
            totals.returned += amount
    for totals in result.values():  # what the ledger says (Budget.available always equals it)
        totals.available = totals.budget - totals.granted + totals.returned
    return result


SPENT = "spent"  # not an entry kind: the grants' own spent amounts, in the same query


def budget_totals(budget: Budget) -> Totals:
    return totals_by_budget([budget])[budget.pk]


def ledger_balance(budget: Budget) -> Decimal:
    """The balance as the ledger says it (``available`` must always equal it)."""
    return budget.entries.aggregate(total=Sum("amount"))["total"] or ZERO


def totals_by_area(year: int, areas) -> dict[int, Totals]:
    """The totals of each area's budget of ``year``, by the area's id; an area without a budget
    that year is left out. Areas that carry the id of that budget (``budget_pk``, as the year
    report reads them) need no query to find it."""
    if all(hasattr(area, "budget_pk") for area in areas):
        budgets = [Budget(pk=a.budget_pk, smederij_id=a.pk) for a in areas if a.budget_pk]
    else:
        budgets = list(Budget.objects.filter(year=year, smederij__in=[a.pk for a in areas]))
    area_of = {budget.pk: budget.smederij_id for budget in budgets}
    return {area_of[pk]: totals for pk, totals in totals_by_budget(budgets).items()}


# The money of one grant ----------------------------------------------------------------------


@dataclass(frozen=True)
class GrantMoney:
    granted: Decimal  # what the idea got; once settled: what it spent plus what went back
    paid: Decimal  # paid out against the grant
    returned: Decimal  # unspent money that went back to the budget when it was settled


def _grant_money(amount: Decimal, spent: Decimal, state: str, returned: Decimal) -> GrantMoney:
    """Settling lowers a grant to what was spent and books the rest as a return on the ledger:
    what the idea got is what it may spend now plus what went back."""
    returned = returned if state == Grant.State.SETTLED else ZERO
    return GrantMoney(granted=amount + returned, paid=spent, returned=returned)


def grant_money(grant: Grant) -> GrantMoney:
    """Granted, paid and returned of one grant (one query, only for a settled grant)."""
    returned = ZERO
    if grant.state == Grant.State.SETTLED:
        returned = (
            BudgetEntry.objects.filter(grant=grant, kind=EntryKind.RETURN).aggregate(
                total=Sum("amount")
            )["total"]
            or ZERO
        )
    return _grant_money(grant.amount, grant.spent, grant.state, returned)


def money_by_idea(ideas) -> dict[int, GrantMoney]:
    """``grant_money`` of the grants of many ideas, by the idea's id, in two queries whatever
    their number; an idea without a grant is left out."""
    grants = list(
        Grant.objects.filter(idea__in=ideas).values_list(
            "pk", "idea_id", "amount", "spent", "state"
        )
    )
    returns = dict(
        BudgetEntry.objects.filter(grant__in=[row[0] for row in grants], kind=EntryKind.RETURN)
        .order_by()
        .values("grant")
        .annotate(total=Sum("amount"))
        .values_list("grant", "total")
    )
    return {
        idea_id: _grant_money(amount, spent, state, returns.get(pk, ZERO))
        for pk, idea_id, amount, spent, state in grants
    }


@dataclass(frozen=True)
class Settlement:
    """What signing off an active grant with these costs does with its money."""

    spend: Decimal  # what the grant pays of the costs: never more than was granted
    to_book: Decimal  # booked as paid on top of what was paid already
    goes_back: Decimal  # returns to the budget
    paid_more: bool  # more was paid out already than the costs: a sign-off must wait
    over: Decimal | None  # the costs above the grant (not paid from the budget); None: none


def settlement_of(grant: Grant, cost: Decimal) -> Settlement:
    """The sign-off of the verantwoording with ``cost``, before it is done (the review page,
    the submitter's page) and when it is done (``ideas.services.sign_off_accounting``)."""
    spend = min(cost, grant.amount)
    return Settlement(
        spend=spend,
        to_book=max(spend - grant.spent, ZERO),
        goes_back=grant.amount - max(spend, grant.spent),
        paid_more=spend < grant.spent,
        over=cost - grant.amount if cost > grant.amount else None,
    )


# The co-funding of a lange-klap plan ---------------------------------------------------------


@dataclass
class Funding:
    needed: Decimal
    committed: Decimal  # promised or received
    received: Decimal
    asked: Decimal  # still waiting for an answer
    refused: Decimal

    @property
    def missing(self) -> Decimal:
        return max(self.needed - self.committed, ZERO)

    @property
    def fully_funded(self) -> bool:
        return self.needed > 0 and self.committed >= self.needed

    @property
    def percentage(self) -> int:
        if self.needed <= 0:
            return 0
        return min(int(self.committed * 100 / self.needed), 100)


def funding_of(idea) -> Funding:
    """How far the plan's begroting is covered by money that is promised or received."""
    sums = idea.funding_sources.aggregate(
        committed=Sum("amount", filter=Q(status__in=FundingSource.COMMITTED)),
        received=Sum("amount", filter=Q(status=FundingSource.Status.ONTVANGEN)),
        asked=Sum("amount", filter=Q(status=FundingSource.Status.GEVRAAGD)),
        refused=Sum("amount", filter=Q(status=FundingSource.Status.AFGEWEZEN)),
    )
    return Funding(
        needed=idea.budget_total,
        **{key: value or ZERO for key, value in sums.items()},
    )
