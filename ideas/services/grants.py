"""Money for an idea from its area's bewonersbudget: the idea's side of a grant.

The ledger is budgets' (``budgets.services``): who may grant, from which budget, how much, and the
booking. What only the idea knows is here: its row is locked first (the same order as a status
change that grants money), and only an idea in a grantable status gets money.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from budgets import services as budget_services
from budgets.models import Budget, Grant
from ideas.workflow import GRANTABLE
from smederijen.audit import audited

from ..models import Idea


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
    amount, budget = budget_services.budget_for_grant(
        idea, amount, actor=actor, year=year, budget=budget
    )
    # The idea first, then the budget: the same order as a status change that grants money.
    locked_idea = Idea.objects.select_for_update().get(pk=idea.pk)
    budget = budget_services.locked_for_grant(budget)
    if locked_idea.status not in GRANTABLE:
        raise ValidationError(
            _("An idea with status '%(status)s' cannot get money.")
            % {"status": locked_idea.get_status_display()}
        )
    return budget_services.book_grant(locked_idea, budget, amount, actor=actor)
