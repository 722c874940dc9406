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

from .funding import (
    save_funding_source as save_funding_source,
)
from .grants import (
    book_grant as book_grant,
)
from .grants import (
    budget_for_grant as budget_for_grant,
)
from .grants import (
    locked_for_grant as locked_for_grant,
)
from .grants import (
    lower_grant as lower_grant,
)
from .grants import (
    record_payment as record_payment,
)
from .grants import (
    settle_grant as settle_grant,
)
from .grants import (
    withdraw_grant as withdraw_grant,
)
from .ledger import (
    _book as _book,
)
from .ledger import (
    close_budget as close_budget,
)
from .ledger import (
    correct as correct,
)
from .ledger import (
    open_budget as open_budget,
)
from .ledger import (
    top_up as top_up,
)
from .sums import (
    Funding as Funding,
)
from .sums import (
    GrantMoney as GrantMoney,
)
from .sums import (
    Settlement as Settlement,
)
from .sums import (
    Totals as Totals,
)
from .sums import (
    budget_totals as budget_totals,
)
from .sums import (
    funding_of as funding_of,
)
from .sums import (
    grant_money as grant_money,
)
from .sums import (
    ledger_balance as ledger_balance,
)
from .sums import (
    settlement_of as settlement_of,
)
from .sums import (
    totals_by_area as totals_by_area,
)
from .sums import (
    totals_by_budget as totals_by_budget,
)
