"""Every change to the money goes through here, one module per subject:

- ``ledger``: a budget opened, topped up, corrected and closed, and the booking every change ends
  in (the budget's row locked, a ledger line, ``available`` moved with it);
- ``grants``: a grant booked for an idea (the idea's side of the step, its lock and its status, is
  ``ideas.services.grant_budget``), its payments, lowering, withdrawing and settling;
- ``funding``: the funding sources of a lange-klap plan;
- ``sums``: every sum of the money, in one function each (pages, exports and services use them).

Who may do what is ``budgets/permissions.py``. Callers use ``from budgets import services`` and
``services.top_up(…)``; this module names the whole public set.
"""

from .funding import save_funding_source
from .grants import (
    book_grant,
    budget_for_grant,
    locked_for_grant,
    lower_grant,
    record_payment,
    settle_grant,
    withdraw_grant,
)
from .ledger import _book, close_budget, correct, open_budget, open_year, top_up
from .sums import (
    Funding,
    GrantMoney,
    Settlement,
    Totals,
    budget_totals,
    funding_of,
    grant_money,
    ledger_balance,
    money_by_idea,
    settlement_of,
    totals_by_area,
    totals_by_budget,
)

__all__ = [
    "save_funding_source",
    "book_grant",
    "budget_for_grant",
    "locked_for_grant",
    "lower_grant",
    "record_payment",
    "settle_grant",
    "withdraw_grant",
    "_book",
    "close_budget",
    "correct",
    "open_budget",
    "open_year",
    "top_up",
    "Funding",
    "GrantMoney",
    "Settlement",
    "Totals",
    "budget_totals",
    "funding_of",
    "grant_money",
    "ledger_balance",
    "money_by_idea",
    "settlement_of",
    "totals_by_area",
    "totals_by_budget",
]
