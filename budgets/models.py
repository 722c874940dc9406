"""The yearly bewonersbudget per Smederij as a ledger. The models arrive with the budgets issue."""
