"""Money for ideas: a grant from the area's budget, its payments, lowering, withdrawing and
settling it. Each change locks the budget and the grant, and books on the ledger (``ledger._book``).

A grant is the ledger's side of a step of the idea: ``ideas.services.grant_budget`` locks the idea,
checks that its status may get money and books the grant here (budgets knows no statuses).
"""

import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from smederijen import pagecache
from smederijen.audit import audited
from smederijen.templatetags.money import format_euro

from ..models import ZERO, Budget, EntryKind, Grant, Payment
from ..permissions import may_grant
from .ledger import _book, _locked, _money, _need_reason, _refuse_if_closed, _refuse_if_short

logger = logging.getLogger("smederijen.events")


# A grant, in three steps with the idea's lock between them -----------------------------------


def budget_for_grant(
    idea, amount, *, actor, year: int | None = None, budget: Budget | None = None
) -> tuple[Decimal, Budget]:
    """The checks of a grant that need no lock, in the order their refusals are told: an amount
    in euros, granted by the wijkteam of the idea's area or its gebiedsregisseur, from that area's
    budget of ``year`` (this year unless said). Returns the amount and the budget, not locked."""
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
    return amount, budget


def locked_for_grant(budget: Budget) -> Budget:
    """The budget locked for a grant: taken after the idea's lock (the same order as a status
    change that grants money); a closed year gives nothing any more."""
    budget = _locked(budget)
    _refuse_if_closed(budget)
    return budget


@audited("budgets.grant", target="idea", detail=("amount",))
@transaction.atomic
def book_grant(idea, budget: Budget, amount: Decimal, *, actor) -> Grant:
    """Book the grant: one grant per idea, never more than asked, never more than available.

    The caller holds the idea's lock and has found its status grantable, and holds the budget's
    lock (``locked_for_grant``) with the amount ``budget_for_grant`` read: that is
    ``ideas.services.grant_budget``, the one way to grant."""
    earlier = Grant.objects.filter(idea=idea).select_related("budget").first()
    if earlier is not None and earlier.state != Grant.State.WITHDRAWN:
        raise ValidationError(_("This idea already has a grant. Change that grant instead."))
    if earlier is not None and earlier.budget_id != budget.pk:
        raise ValidationError(
            _("This idea had a grant from the budget of %(year)s. Grant it from that year.")
            % {"year": earlier.budget.year}
        )
    if amount <= 0:
        raise ValidationError(_("Grant an amount of more than € 0."))
    if idea.amount_requested is not None and amount > idea.amount_requested:
        raise ValidationError(
            _("You cannot grant more than was asked (%(asked)s).")
            % {"asked": format_euro(idea.amount_requested)}
        )
    _refuse_if_short(budget, -amount)
    if earlier is not None:  # a withdrawn grant is given again: one grant per idea
        grant = earlier
        grant.amount, grant.state = amount, Grant.State.ACTIVE
        grant.granted_at, grant.granted_by = timezone.now(), actor
        grant.save(update_fields=["amount", "state", "granted_at", "granted_by"])
    else:
        grant = Grant.objects.create(budget=budget, idea=idea, amount=amount, granted_by=actor)
    _book(budget, EntryKind.GRANT, -amount, actor=actor, grant=grant)
    return grant


# After the grant -----------------------------------------------------------------------------


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
    pagecache.bump_after_commit()  # a bulk update sends no signal
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
