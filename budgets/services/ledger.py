"""The ledger of a bewonersbudget: opening, topping up, correcting and closing a budget, and
the booking every change of money ends in.

Each function locks the budget row it changes (``select_for_update``), checks the rules with a
clear message, adds a line to the ledger and moves ``Budget.available`` by the same amount in the
same transaction. The database holds the last line of defence: ``available`` can never be
negative (check constraint ``budget_never_below_zero``), so two grants at the same moment, a bug
or a direct update cannot overspend.
"""

import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from smederijen import pagecache
from smederijen.audit import audited
from smederijen.templatetags.money import format_euro

from ..models import Budget, BudgetEntry, EntryKind
from ..permissions import may_manage_budget

logger = logging.getLogger("smederijen.events")

CENT = Decimal("0.01")


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
            pagecache.bump_after_commit()  # a bulk update sends no signal
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


@transaction.atomic
def open_year(year: int, amounts, *, actor) -> list[Budget]:
    """Open the budgets of several areas for a year in one step: all of them or, when one is
    refused (another person opened it meanwhile, a wrong amount), none. ``amounts``: (area,
    amount) pairs; each budget is one row in the audit trail, as when opened one by one."""
    return [open_budget(smederij, year, amount, actor=actor) for smederij, amount in amounts]


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
