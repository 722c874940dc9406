"""Every change to the money goes through here.

Each function locks the budget row it changes (``select_for_update``), checks the rules with a
clear message, adds a line to the ledger and moves ``Budget.available`` by the same amount in the
same transaction. The database holds the last line of defence: ``available`` can never be
negative (check constraint ``budget_never_below_zero``), so two grants at the same moment, a bug
or a direct update cannot overspend.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas.models import Idea
from ideas.workflow import Status
from smederijen.audit import audited
from smederijen.templatetags.money import format_euro
from teams import permissions as team_permissions

from .models import ZERO, Budget, BudgetEntry, EntryKind, FundingSource, Grant, Payment

logger = logging.getLogger("smederijen.events")

CENT = Decimal("0.01")
# An idea can get money once it is sent and until it is closed or turned down.
GRANTABLE = {
    Status.IN_BEHANDELING,
    Status.GOEDGEKEURD,
    Status.BIJ_STUURGROEP,
    Status.FINANCIERING,
}


def _money(value) -> Decimal:
    try:
        amount = Decimal(value) if not isinstance(value, float) else Decimal("NaN")
    except (InvalidOperation, TypeError, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise ValidationError(_("Fill in an amount in euros, for example 250 or 1.250,50."))
    if amount != amount.quantize(CENT):
        raise ValidationError(_("Use at most two digits after the comma (cents)."))
    return amount.quantize(CENT)


def may_manage_budget(user, smederij) -> bool:
    """Opening, topping up and correcting a budget: the office (a gebiedsregisseur for his own
    areas, support staff for all)."""
    return team_permissions.is_office_staff(user) and team_permissions.may_see_area(
        user, smederij.pk
    )


def may_grant(user, smederij) -> bool:
    """Granting money to ideas: the wijkteam of the area and its gebiedsregisseur."""
    return user.is_authenticated and (
        user.is_superuser or team_permissions.acts_for_area(user, smederij)
    )


def may_see_budget(user, smederij) -> bool:
    """Support staff see every budget; a gebiedsregisseur and a wijkteam their own areas."""
    return team_permissions.may_see_area(user, smederij.pk)


def _locked(budget: Budget) -> Budget:
    return Budget.objects.select_for_update().select_related("smederij").get(pk=budget.pk)


def _refuse_if_closed(budget: Budget) -> None:
    if budget.is_closed:
        raise ValidationError(
            _("The budget of %(area)s for %(year)s is closed: nothing can change in it any more.")
            % {"area": budget.smederij, "year": budget.year}
        )


def _refuse_if_short(budget: Budget, change: Decimal) -> None:
    """Refuse a change that would take the budget below zero, saying what is left."""
    if budget.available + change < 0:
        raise ValidationError(
            _("There is not enough money: %(available)s is available in %(area)s for %(year)s.")
            % {
                "available": format_euro(budget.available),
                "area": budget.smederij,
                "year": budget.year,
            }
        )


def _book(budget: Budget, kind: str, amount: Decimal, *, actor, reason="", grant=None):
    """Add a ledger line and move ``available`` with it; the caller holds the budget's lock."""
    _refuse_if_short(budget, amount)
    entry = BudgetEntry.objects.create(
        budget=budget, kind=kind, amount=amount, grant=grant, reason=reason.strip(), actor=actor
    )
    try:
        with transaction.atomic():
            Budget.objects.filter(pk=budget.pk).update(available=F("available") + amount)
    except IntegrityError:  # the database's own rule: never below zero
        raise ValidationError(_("There is not enough money in this budget.")) from None
    budget.refresh_from_db(fields=["available"])
    logger.info(
        "budget booked",
        extra={"budget": budget.pk, "kind": kind, "amount": str(amount), "entry": entry.pk},
    )
    return entry


def _need_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError(_("Write down the reason."))


# Budgets -------------------------------------------------------------------------------------


@audited("budgets.open", target=None, detail=("year", "amount"))
@transaction.atomic
def open_budget(smederij, year: int, amount, *, actor, reason: str = "") -> Budget:
    """Open the bewonersbudget of an area for a year with its opening amount."""
    if not may_manage_budget(actor, smederij):
        raise PermissionDenied(_("Only the gebiedsregisseur or support staff open a budget."))
    amount = _money(amount)
    if amount <= 0:
        raise ValidationError(_("The opening amount must be more than € 0."))
    if not 2020 <= year <= 2100:
        raise ValidationError(_("Choose a year between 2020 and 2100."))
    budget, created = Budget.objects.get_or_create(smederij=smederij, year=year)
    if not created:
        raise ValidationError(
            _("%(area)s already has a budget for %(year)s. Top it up instead.")
            % {"area": smederij, "year": year}
        )
    budget = _locked(budget)
    _book(budget, EntryKind.OPENING, amount, actor=actor, reason=reason or _("Opening amount"))
    return budget


@audited("budgets.top_up", target="budget", detail=("amount",))
@transaction.atomic
def top_up(budget: Budget, amount, *, actor, reason: str) -> Budget:
    budget = _locked(budget)
    if not may_manage_budget(actor, budget.smederij):
        raise PermissionDenied(_("Only the gebiedsregisseur or support staff top up a budget."))
    _refuse_if_closed(budget)
    _need_reason(reason)
    amount = _money(amount)
    if amount <= 0:
        raise ValidationError(_("A top-up must be more than € 0."))
    _book(budget, EntryKind.TOP_UP, amount, actor=actor, reason=reason)
    return budget


@audited("budgets.correct", target="budget", detail=("amount",))
@transaction.atomic
def correct(budget: Budget, amount, *, actor, reason: str) -> Budget:
    """Set a mistake right with a new line (plus or minus); nothing is overwritten."""
    budget = _locked(budget)
    if not may_manage_budget(actor, budget.smederij):
        raise PermissionDenied(_("Only the gebiedsregisseur or support staff correct a budget."))
    _refuse_if_closed(budget)
    _need_reason(reason)
    amount = _money(amount)
    if amount == 0:
        raise ValidationError(_("A correction cannot be € 0."))
    _book(budget, EntryKind.CORRECTION, amount, actor=actor, reason=reason)
    return budget


@audited("budgets.close", target="budget")
@transaction.atomic
def close_budget(budget: Budget, *, actor) -> Budget:
    budget = _locked(budget)
    if not may_manage_budget(actor, budget.smederij):
        raise PermissionDenied(_("Only the gebiedsregisseur or support staff close a budget."))
    budget.is_closed = True
    budget.save(update_fields=["is_closed"])
    logger.info("budget closed", extra={"budget": budget.pk})
    return budget


# Grants --------------------------------------------------------------------------------------


@audited(
    "budgets.grant",
    target="idea",
    detail=(
        "year",
        "amount",
    ),
)
@transaction.atomic
def grant_budget(
    idea: Idea, amount, *, actor, year: int | None = None, budget: Budget | None = None
) -> Grant:
    """Money for one idea from its area's budget of the year: never more than asked, never more
    than available, and only by the wijkteam of that area or its gebiedsregisseur."""
    amount = _money(amount)
    if not may_grant(actor, idea.smederij):
        raise PermissionDenied(
            _("You can only grant money for ideas of your own area (%(area)s is not).")
            % {"area": idea.smederij}
        )
    year = year or timezone.localdate().year
    if budget is None:
        budget = Budget.objects.filter(smederij=idea.smederij_id, year=year).first()
        if budget is None:
            raise ValidationError(
                _("%(area)s has no budget for %(year)s yet.")
                % {"area": idea.smederij, "year": year}
            )
    elif budget.smederij_id != idea.smederij_id:
        raise ValidationError(
            _("This idea is for %(area)s: its money can only come from the budget of %(area)s.")
            % {"area": idea.smederij}
        )
    # The idea first, then the budget: the same order as a status change that grants money.
    locked_idea = Idea.objects.select_for_update().get(pk=idea.pk)
    budget = _locked(budget)
    _refuse_if_closed(budget)
    if locked_idea.status not in GRANTABLE:
        raise ValidationError(
            _("An idea with status '%(status)s' cannot get money.")
            % {"status": locked_idea.get_status_display()}
        )
    earlier = Grant.objects.filter(idea=locked_idea).select_related("budget").first()
    if earlier is not None and earlier.state != Grant.State.WITHDRAWN:
        raise ValidationError(_("This idea already has a grant. Change that grant instead."))
    if earlier is not None and earlier.budget_id != budget.pk:
        raise ValidationError(
            _("This idea had a grant from the budget of %(year)s. Grant it from that year.")
            % {"year": earlier.budget.year}
        )
    if amount <= 0:
        raise ValidationError(_("Grant an amount of more than € 0."))
    if locked_idea.amount_requested is not None and amount > locked_idea.amount_requested:
        raise ValidationError(
            _("You cannot grant more than was asked (%(asked)s).")
            % {"asked": format_euro(locked_idea.amount_requested)}
        )
    _refuse_if_short(budget, -amount)
    if earlier is not None:  # a withdrawn grant is given again: one grant per idea
        grant = earlier
        grant.amount, grant.state = amount, Grant.State.ACTIVE
        grant.granted_at, grant.granted_by = timezone.now(), actor
        grant.save(update_fields=["amount", "state", "granted_at", "granted_by"])
    else:
        grant = Grant.objects.create(
            budget=budget, idea=locked_idea, amount=amount, granted_by=actor
        )
    _book(budget, EntryKind.GRANT, -amount, actor=actor, grant=grant)
    return grant


def _locked_grant(grant: Grant) -> tuple[Grant, Budget]:
    budget = _locked(grant.budget)
    return Grant.objects.select_for_update().select_related("idea").get(pk=grant.pk), budget


@audited("budgets.lower_grant", target="grant", detail=("new_amount",))
@transaction.atomic
def lower_grant(grant: Grant, new_amount, *, actor, reason: str) -> Grant:
    """Grant less than before; the difference goes back to the budget."""
    grant, budget = _locked_grant(grant)
    if not may_grant(actor, budget.smederij):
        raise PermissionDenied(_("Only the wijkteam of the area and its gebiedsregisseur do this."))
    _refuse_if_closed(budget)
    _need_reason(reason)
    new_amount = _money(new_amount)
    if grant.state != Grant.State.ACTIVE:
        raise ValidationError(_("Only an active grant can be changed."))
    if new_amount >= grant.amount:
        raise ValidationError(_("The new amount must be lower than the current one."))
    if new_amount <= 0:
        raise ValidationError(_("To give nothing at all, withdraw the grant."))
    if new_amount < grant.spent:
        raise ValidationError(
            _("%(spent)s has been spent already: the grant cannot be lower than that.")
            % {"spent": format_euro(grant.spent)}
        )
    difference = grant.amount - new_amount
    grant.amount = new_amount
    grant.save(update_fields=["amount"])
    _book(budget, EntryKind.GRANT_LOWERED, difference, actor=actor, grant=grant, reason=reason)
    return grant


@audited("budgets.withdraw_grant", target="grant")
@transaction.atomic
def withdraw_grant(grant: Grant, *, actor, reason: str) -> Grant:
    """Take a grant back entirely; all of it returns to the budget."""
    grant, budget = _locked_grant(grant)
    if not may_grant(actor, budget.smederij):
        raise PermissionDenied(_("Only the wijkteam of the area and its gebiedsregisseur do this."))
    _refuse_if_closed(budget)
    _need_reason(reason)
    if grant.state != Grant.State.ACTIVE:
        raise ValidationError(_("Only an active grant can be withdrawn."))
    if grant.spent > 0:
        raise ValidationError(
            _("%(spent)s has been spent already. Lower the grant to that amount instead.")
            % {"spent": format_euro(grant.spent)}
        )
    amount = grant.amount
    grant.amount = ZERO
    grant.state = Grant.State.WITHDRAWN
    grant.save(update_fields=["amount", "state"])
    _book(budget, EntryKind.GRANT_WITHDRAWN, amount, actor=actor, grant=grant, reason=reason)
    return grant


@audited("budgets.record_payment", target="grant", detail=("amount",))
@transaction.atomic
def record_payment(grant: Grant, amount, *, actor, description: str, paid_on=None) -> Payment:
    """Money spent against a grant (an invoice paid, a receipt refunded)."""
    grant, budget = _locked_grant(grant)
    if not may_grant(actor, budget.smederij):
        raise PermissionDenied(_("Only the wijkteam of the area and its gebiedsregisseur do this."))
    amount = _money(amount)
    if grant.state != Grant.State.ACTIVE:
        raise ValidationError(_("Only an active grant can be spent."))
    if amount <= 0:
        raise ValidationError(_("A payment must be more than € 0."))
    if not description.strip():
        raise ValidationError(_("Write down what the money was for."))
    if paid_on and paid_on > timezone.localdate():
        raise ValidationError(_("A payment cannot be dated in the future."))
    if grant.spent + amount > grant.amount:
        raise ValidationError(
            _("This is more than is left of the grant (%(left)s).")
            % {"left": format_euro(grant.unspent)}
        )
    payment = Payment.objects.create(
        grant=grant,
        amount=amount,
        description=description.strip(),
        paid_on=paid_on or timezone.localdate(),
        actor=actor,
    )
    Grant.objects.filter(pk=grant.pk).update(spent=F("spent") + amount)
    logger.info("payment recorded", extra={"grant": grant.pk, "amount": str(amount)})
    return payment


@audited("budgets.settle_grant", target="grant")
@transaction.atomic
def settle_grant(grant: Grant, *, actor, reason: str = "") -> Grant:
    """After realisation: what was not spent returns to the budget, and the grant is closed."""
    grant, budget = _locked_grant(grant)
    if not may_grant(actor, budget.smederij):
        raise PermissionDenied(_("Only the wijkteam of the area and its gebiedsregisseur do this."))
    if grant.state != Grant.State.ACTIVE:
        raise ValidationError(_("Only an active grant can be settled."))
    unspent = grant.amount - grant.spent
    grant.amount = grant.spent
    grant.state = Grant.State.SETTLED
    grant.save(update_fields=["amount", "state"])
    if unspent > 0:
        # Returns are booked even in a closed year: the money belongs to that year's budget.
        _book(
            budget,
            EntryKind.RETURN,
            unspent,
            actor=actor,
            grant=grant,
            reason=reason or _("Not spent"),
        )
    return grant


# What the pages show -------------------------------------------------------------------------


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


# Co-funding of lange-klap plans --------------------------------------------------------------


def may_manage_funding(user, idea: Idea) -> bool:
    """The co-funding of a plan: its area's wijkteam and gebiedsregisseur, and support staff."""
    return may_grant(user, idea.smederij) or (
        team_permissions.is_office_staff(user)
        and team_permissions.may_see_area(user, idea.smederij_id)
    )


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
    idea: Idea,
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


def funding_of(idea: Idea) -> Funding:
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


def may_start(idea: Idea) -> tuple[bool, str]:
    """May the plan start? Only once committed money covers the whole begroting."""
    if idea.status in (Status.AFGEWEZEN, Status.INGETROKKEN):
        return False, _("The plan has been stopped.")
    funding = funding_of(idea)
    if funding.needed <= 0:
        return False, _("The plan has no budget lines yet.")
    if not funding.fully_funded:
        return False, _("%(missing)s is not yet promised. The plan can start when it is.") % {
            "missing": format_euro(funding.missing)
        }
    return True, _("The plan is fully funded.")
