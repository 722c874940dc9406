"""The money in Django admin: budgets, grants and funding sources.

No amount is ever saved from an admin form. Every change goes through ``budgets.services``: the
forms only carry what the office types (an opening amount, a top-up, a payment, a reason), and
``save_model`` hands it to the service, which checks the rules, writes the ledger and moves
``available`` in one transaction.

When a service says no while saving (a correction that would take the budget below zero, money
spent in another window a second ago), the whole save is rolled back with the transaction admin
wraps around it, and the page is shown again as it was typed, with the service's own message next
to the field (see ``through_services.ThroughServicesAdmin``).

One module per subject: ``through_services`` (the forms and admin that save through a service,
read-only rows), ``budget_admin`` (budgets and their ledger), ``grant_admin`` (grants and their
payments, the funding sources of plans). Importing them registers their admins.
"""

from . import budget_admin as budget_admin
from . import grant_admin as grant_admin
