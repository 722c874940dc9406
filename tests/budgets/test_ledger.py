"""The ledger's arithmetic as a table: sequences of changes through the services, and after every
step ``available`` equals the sum of the ledger, to the cent. Then every refusal, with its
message, and that a refusal leaves nothing behind."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budgets import services
from budgets.models import Budget, BudgetEntry, EntryKind, Grant, Payment
from ideas import services as idea_services
from tests.budgets.conftest import THIS_YEAR, grantable_idea
from tests.ideas.factories import submitted_idea

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = Decimal

# Each step: (operation, arguments..., expected available afterwards).
#   open amount | top_up amount | correct amount | grant idea amount | lower idea new_amount
#   withdraw idea | pay idea amount | settle idea
# Ideas are named by a letter; each asks ASKED unless the case says otherwise.
ASKED = {"a": "750.00", "b": "2000.00", "c": "0.30"}

# Expected totals at the end: budget, granted, spent, returned, available.
CASES = [
    (
        "opening only",
        [("open", "1234.56", "1234.56")],
        ("1234.56", "0.00", "0.00", "0.00", "1234.56"),
    ),
    (
        "cents add up exactly: 0.10 + 0.20 is 0.30, and all of it can be granted",
        [
            ("open", "0.10", "0.10"),
            ("top_up", "0.20", "0.30"),
            ("grant", "c", "0.30", "0.00"),
        ],
        ("0.30", "0.30", "0.00", "0.00", "0.00"),
    ),
    (
        "top-up and corrections both ways",
        [
            ("open", "1000.00", "1000.00"),
            ("top_up", "234.56", "1234.56"),
            ("correct", "-34.56", "1200.00"),
            ("correct", "0.01", "1200.01"),
        ],
        ("1200.01", "0.00", "0.00", "0.00", "1200.01"),
    ),
    (
        "a correction may bring the budget to exactly zero",
        [("open", "99.99", "99.99"), ("correct", "-99.99", "0.00")],
        ("0.00", "0.00", "0.00", "0.00", "0.00"),
    ),
    (
        "grant, spend in cents, settle: the unspent part returns",
        [
            ("open", "1234.56", "1234.56"),
            ("grant", "a", "750.00", "484.56"),
            ("pay", "a", "123.45", "484.56"),  # spending does not move the budget
            ("pay", "a", "0.10", "484.56"),
            ("pay", "a", "0.20", "484.56"),
            ("settle", "a", "1110.81"),  # 750.00 - 123.75 = 626.25 back
        ],
        ("1234.56", "750.00", "123.75", "626.25", "1110.81"),
    ),
    (
        "a lowered grant gives the difference back",
        [
            ("open", "1000.00", "1000.00"),
            ("grant", "a", "750.00", "250.00"),
            ("lower", "a", "500.00", "500.00"),
        ],
        ("1000.00", "500.00", "0.00", "0.00", "500.00"),
    ),
    (
        "a withdrawn grant gives everything back",
        [
            ("open", "1000.00", "1000.00"),
            ("grant", "a", "600.00", "400.00"),
            ("grant", "b", "400.00", "0.00"),
            ("withdraw", "a", "600.00"),
        ],
        ("1000.00", "400.00", "0.00", "0.00", "600.00"),
    ),
    (
        "a grant spent to the last cent returns nothing",
        [
            ("open", "500.00", "500.00"),
            ("grant", "a", "500.00", "0.00"),
            ("pay", "a", "499.99", "0.00"),
            ("pay", "a", "0.01", "0.00"),
            ("settle", "a", "0.00"),
        ],
        ("500.00", "500.00", "500.00", "0.00", "0.00"),
    ),
    (
        "a whole year: every kind of line",
        [
            ("open", "1234.56", "1234.56"),
            ("top_up", "1000.00", "2234.56"),
            ("grant", "a", "750.00", "1484.56"),
            ("grant", "b", "1484.56", "0.00"),
            ("lower", "b", "1000.00", "484.56"),
            ("pay", "a", "700.00", "484.56"),
            ("settle", "a", "534.56"),
            ("withdraw", "b", "1534.56"),
            ("correct", "-34.56", "1500.00"),
        ],
        ("2200.00", "750.00", "700.00", "50.00", "1500.00"),
    ),
]


def run_step(step, *, people, regisseur, team_member, ideas, state):
    operation, *arguments, _expected = step
    krakeel = people["krakeel"]
    if operation == "open":
        state["budget"] = services.open_budget(krakeel, THIS_YEAR, arguments[0], actor=regisseur)
    elif operation == "top_up":
        services.top_up(state["budget"], arguments[0], actor=regisseur, reason="Extra van de raad")
    elif operation == "correct":
        services.correct(state["budget"], arguments[0], actor=regisseur, reason="Typfout")
    elif operation == "grant":
        letter, amount = arguments
        state["grants"][letter] = idea_services.grant_budget(
            ideas[letter], amount, actor=team_member
        )
    elif operation == "lower":
        letter, amount = arguments
        services.lower_grant(
            state["grants"][letter], amount, actor=team_member, reason="Minder nodig"
        )
    elif operation == "withdraw":
        services.withdraw_grant(
            state["grants"][arguments[0]], actor=team_member, reason="Gaat niet door"
        )
    elif operation == "pay":
        letter, amount = arguments
        services.record_payment(
            state["grants"][letter], amount, actor=team_member, description="Bon van de bouwmarkt"
        )
    elif operation == "settle":
        services.settle_grant(state["grants"][arguments[0]], actor=team_member)
    else:  # pragma: no cover - a typing error in the table
        raise AssertionError(operation)


@pytest.mark.parametrize(
    "steps, expected_totals", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_the_ledger_adds_up_to_the_cent(people, regisseur, team_member, steps, expected_totals):
    ideas = {
        letter: grantable_idea(people["krakeel"], team_member, asked=asked)
        for letter, asked in ASKED.items()
    }
    state = {"grants": {}}
    for step in steps:
        run_step(
            step,
            people=people,
            regisseur=regisseur,
            team_member=team_member,
            ideas=ideas,
            state=state,
        )
        budget = Budget.objects.get(pk=state["budget"].pk)  # as the database has it
        balance = services.ledger_balance(budget)
        assert type(budget.available) is Decimal and type(balance) is Decimal
        assert budget.available == D(step[-1]), step
        assert str(budget.available) == step[-1]  # in cents, as stored: "0.30", not "0.3"
        assert balance == budget.available, step
        assert budget.available >= 0

    totals = services.budget_totals(budget)
    got = (totals.budget, totals.granted, totals.spent, totals.returned, totals.available)
    assert all(type(value) is Decimal for value in got), got
    assert got == tuple(D(value) for value in expected_totals)
    # The figures agree with each other: what came in, less what went out, plus what came back.
    assert totals.budget - totals.granted + totals.returned == totals.available
    # Every grant's lines in the ledger add up to what the grant holds now (withdrawn: nothing,
    # settled: what was spent).
    for grant in Grant.objects.filter(budget=budget):
        assert -sum(entry.amount for entry in grant.entries.all()) == grant.amount
        assert grant.spent == sum(p.amount for p in grant.payments.all())


def test_the_ledger_is_only_added_to(people, regisseur, team_member):
    """A mistake is set right with a new line: the first lines stay as they were."""
    budget = services.open_budget(people["krakeel"], THIS_YEAR, "1000.00", actor=regisseur)
    services.correct(budget, "-100.00", actor=regisseur, reason="Verkeerd bedrag geopend")
    lines = list(BudgetEntry.objects.filter(budget=budget).values_list("kind", "amount", "reason"))
    assert lines == [
        (EntryKind.OPENING, D("1000.00"), "Opening amount"),
        (EntryKind.CORRECTION, D("-100.00"), "Verkeerd bedrag geopend"),
    ]
    assert all(line.actor == regisseur for line in BudgetEntry.objects.filter(budget=budget))


# Refusals ----------------------------------------------------------------------------------------


@pytest.fixture
def world(people, regisseur, team_member, elim_member, office):
    """Krakeel has € 1.000 this year; one idea got € 600 of it and spent € 250 (€ 400 is left in
    the budget); another idea waits. Elim has its own budget and idea. Last year is closed."""
    krakeel, elim = people["krakeel"], people["elim"]
    budget = services.open_budget(krakeel, THIS_YEAR, "1000.00", actor=regisseur)
    granted = grantable_idea(krakeel, team_member)
    grant = idea_services.grant_budget(granted, "600.00", actor=team_member)
    services.record_payment(grant, "250.00", actor=team_member, description="Hout")
    last_year = services.open_budget(krakeel, THIS_YEAR - 1, "300.00", actor=regisseur)
    services.close_budget(last_year, actor=regisseur)
    return {
        "budget": budget,
        "grant": grant,
        "waiting": grantable_idea(krakeel, team_member),
        "just_sent": submitted_idea(smederij=krakeel),
        "elim_budget": services.open_budget(elim, THIS_YEAR, "500.00", actor=office),
        "elim_idea": grantable_idea(elim, elim_member),
        "regisseur": regisseur,
        "member": team_member,
        "elim_member": elim_member,
        "office": office,
        "krakeel": krakeel,
        "elim": elim,
    }


def euro(amount: str) -> str:
    return f"€\xa0{amount}"


# (id, what is tried, the exception, the message)
REFUSALS = [
    (
        "overspend",
        lambda w: idea_services.grant_budget(w["waiting"], "400.01", actor=w["member"]),
        ValidationError,
        f"There is not enough money: {euro('400,00')} is available in Krakeel for {THIS_YEAR}.",
    ),
    (
        "grant more than asked",
        lambda w: idea_services.grant_budget(w["waiting"], "750.01", actor=w["member"]),
        ValidationError,
        f"You cannot grant more than was asked ({euro('750,00')}).",
    ),
    (
        "grant nothing",
        lambda w: idea_services.grant_budget(w["waiting"], "0", actor=w["member"]),
        ValidationError,
        "Grant an amount of more than € 0.",
    ),
    (
        "grant a fraction of a cent",
        lambda w: idea_services.grant_budget(w["waiting"], "10.005", actor=w["member"]),
        ValidationError,
        "Use at most two digits after the comma (cents).",
    ),
    (
        "a float amount (0.1 is not exactly ten cents)",
        lambda w: services.top_up(w["budget"], 0.1, actor=w["regisseur"], reason="Extra"),
        ValidationError,
        "Fill in an amount in euros, for example 250 or 1.250,50.",
    ),
    (
        "wijkteam of Krakeel grants to an idea of Elim",
        lambda w: idea_services.grant_budget(w["elim_idea"], "10.00", actor=w["member"]),
        PermissionDenied,
        "You can only grant money for ideas of your own area (Elim is not).",
    ),
    (
        "gebiedsregisseur of Krakeel grants to an idea of Elim",
        lambda w: idea_services.grant_budget(w["elim_idea"], "10.00", actor=w["regisseur"]),
        PermissionDenied,
        "You can only grant money for ideas of your own area (Elim is not).",
    ),
    (
        "money for a Krakeel idea from the budget of Elim",
        lambda w: idea_services.grant_budget(
            w["waiting"], "10.00", actor=w["member"], budget=w["elim_budget"]
        ),
        ValidationError,
        "This idea is for Krakeel: its money can only come from the budget of Krakeel.",
    ),
    (
        "grant from a closed year",
        lambda w: idea_services.grant_budget(
            w["waiting"], "10.00", actor=w["member"], year=THIS_YEAR - 1
        ),
        ValidationError,
        f"The budget of Krakeel for {THIS_YEAR - 1} is closed: nothing can change in it any more.",
    ),
    (
        "grant from a year without a budget",
        lambda w: idea_services.grant_budget(
            w["waiting"], "10.00", actor=w["member"], year=THIS_YEAR + 1
        ),
        ValidationError,
        f"Krakeel has no budget for {THIS_YEAR + 1} yet.",
    ),
    (
        "grant to an idea the wijkteam has not taken up",
        lambda w: idea_services.grant_budget(w["just_sent"], "10.00", actor=w["member"]),
        ValidationError,
        "An idea with status 'submitted' cannot get money.",
    ),
    (
        "grant twice to one idea",
        lambda w: idea_services.grant_budget(w["grant"].idea, "10.00", actor=w["member"]),
        ValidationError,
        "This idea already has a grant. Change that grant instead.",
    ),
    (
        "lower below what was spent",
        lambda w: services.lower_grant(w["grant"], "249.99", actor=w["member"], reason="Minder"),
        ValidationError,
        f"{euro('250,00')} has been spent already: the grant cannot be lower than that.",
    ),
    (
        "lower to more than before",
        lambda w: services.lower_grant(w["grant"], "600.00", actor=w["member"], reason="Meer"),
        ValidationError,
        "The new amount must be lower than the current one.",
    ),
    (
        "lower without a reason",
        lambda w: services.lower_grant(w["grant"], "300.00", actor=w["member"], reason=" "),
        ValidationError,
        "Write down the reason.",
    ),
    (
        "withdraw after spending",
        lambda w: services.withdraw_grant(w["grant"], actor=w["member"], reason="Stopt"),
        ValidationError,
        f"{euro('250,00')} has been spent already. Lower the grant to that amount instead.",
    ),
    (
        "staff of Elim withdraw a grant of Krakeel",
        lambda w: services.withdraw_grant(w["grant"], actor=w["elim_member"], reason="Stopt"),
        PermissionDenied,
        None,
    ),
    (
        "payment above what is left of the grant",
        lambda w: services.record_payment(
            w["grant"], "350.01", actor=w["member"], description="Verf"
        ),
        ValidationError,
        f"This is more than is left of the grant ({euro('350,00')}).",
    ),
    (
        "payment without saying what for",
        lambda w: services.record_payment(w["grant"], "1.00", actor=w["member"], description=""),
        ValidationError,
        "Write down what the money was for.",
    ),
    (
        "top-up without a reason",
        lambda w: services.top_up(w["budget"], "100.00", actor=w["regisseur"], reason="  "),
        ValidationError,
        "Write down the reason.",
    ),
    (
        "top-up by a wijkteam member",
        lambda w: services.top_up(w["budget"], "100.00", actor=w["member"], reason="Extra"),
        PermissionDenied,
        "Only the gebiedsregisseur or support staff top up a budget.",
    ),
    (
        "top-up of a closed year",
        lambda w: services.top_up(
            Budget.objects.get(smederij=w["krakeel"], year=THIS_YEAR - 1),
            "100.00",
            actor=w["regisseur"],
            reason="Extra",
        ),
        ValidationError,
        f"The budget of Krakeel for {THIS_YEAR - 1} is closed: nothing can change in it any more.",
    ),
    (
        "correction without a reason",
        lambda w: services.correct(w["budget"], "-10.00", actor=w["regisseur"], reason=""),
        ValidationError,
        "Write down the reason.",
    ),
    (
        "correction of nothing",
        lambda w: services.correct(w["budget"], "0.00", actor=w["regisseur"], reason="Niets"),
        ValidationError,
        "A correction cannot be € 0.",
    ),
    (
        "correction below zero",
        lambda w: services.correct(w["budget"], "-400.01", actor=w["regisseur"], reason="Fout"),
        ValidationError,
        f"There is not enough money: {euro('400,00')} is available in Krakeel for {THIS_YEAR}.",
    ),
    (
        "a second budget for the same year",
        lambda w: services.open_budget(w["krakeel"], THIS_YEAR, "10.00", actor=w["regisseur"]),
        ValidationError,
        f"Krakeel already has a budget for {THIS_YEAR}. Top it up instead.",
    ),
    (
        "gebiedsregisseur of Krakeel opens a budget for Elim",
        lambda w: services.open_budget(w["elim"], THIS_YEAR + 1, "10.00", actor=w["regisseur"]),
        PermissionDenied,
        "Only the gebiedsregisseur or support staff open a budget.",
    ),
]


def everything(world) -> dict:
    """All the money there is: what a refusal must leave exactly as it was."""
    return {
        "entries": BudgetEntry.objects.count(),
        "budgets": list(Budget.objects.order_by("pk").values_list("pk", "available", "is_closed")),
        "balances": [services.ledger_balance(b) for b in Budget.objects.order_by("pk")],
        "grants": list(
            Grant.objects.order_by("pk").values_list("idea", "amount", "spent", "state")
        ),
        "payments": list(Payment.objects.order_by("pk").values_list("amount", flat=True)),
    }


@pytest.mark.parametrize(
    "attempt, error, message", [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_a_refusal_says_why_and_changes_nothing(world, attempt, error, message):
    before = everything(world)
    assert before["budgets"][0][1] == D("400.00")

    with pytest.raises(error) as refused:
        attempt(world)

    if message is not None:
        shown = refused.value.messages if error is ValidationError else [str(refused.value)]
        assert shown == [message]
    assert everything(world) == before
    for budget in Budget.objects.all():
        assert budget.available == services.ledger_balance(budget)


def test_a_withdrawn_grant_can_be_given_again_and_the_books_still_add_up(
    people, budget, regisseur, english
):
    from tests.budgets.conftest import grantable_idea

    idea = grantable_idea(people["krakeel"], regisseur, asked="400.00")
    grant = idea_services.grant_budget(idea, "400.00", actor=regisseur)
    services.withdraw_grant(grant, actor=regisseur, reason="Per ongeluk")
    again = idea_services.grant_budget(idea, "300.00", actor=regisseur)
    assert again.pk == grant.pk and again.amount == Decimal("300.00")
    budget.refresh_from_db()
    assert budget.available == Decimal("700.00") == services.ledger_balance(budget)
    with pytest.raises(ValidationError, match="already has a grant"):
        idea_services.grant_budget(idea, "50.00", actor=regisseur)


def test_text_that_is_no_amount_is_refused_with_a_message(budget, regisseur, english):
    with pytest.raises(ValidationError, match="Fill in an amount in euros"):
        services.top_up(budget, "abc", actor=regisseur, reason="Extra")
