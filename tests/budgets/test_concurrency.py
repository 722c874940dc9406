"""Two grants at the same moment must not overspend: on PostgreSQL, with real transactions, many
threads (each with its own database connection) grant at once against one budget. And the
database itself refuses a negative balance, whatever code or person asks for it."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import override

from budgets import services
from budgets.models import Budget, BudgetEntry, EntryKind, Grant
from ideas import services as idea_services
from teams.models import User
from tests.budgets.conftest import THIS_YEAR, grantable_idea
from tests.conftest import recreate_migration_data

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 12
ASKED = Decimal("300.00")


@pytest.fixture
def people(role_groups, people):
    """``people`` of tests/teams/conftest.py, once the role groups are there again."""
    return people


@pytest.fixture
def role_groups(transactional_db):
    """What the data migrations made, again after the last transactional test emptied it."""
    recreate_migration_data()


def at_the_same_moment(work, count: int) -> list:
    """Run ``work(i)`` in ``count`` threads that all start together, each on its own database
    connection; return what each returned or raised."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        from django.db import connection

        try:
            with override("en"):
                start.wait(timeout=30)
                results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs (a deadlock?)"
    return results


class Watcher(threading.Thread):
    """Reads the committed balance and the ledger's sum in one statement, again and again, while
    the grants run: at no moment may they differ or go below zero."""

    def __init__(self, budget_id: int):
        super().__init__()
        self.budget_id = budget_id
        self.done = threading.Event()
        self.seen: list[tuple[Decimal, Decimal]] = []

    def run(self) -> None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                while not self.done.is_set() or not self.seen:
                    cursor.execute(
                        "SELECT available, (SELECT COALESCE(SUM(amount), 0) "
                        "FROM budgets_budgetentry WHERE budget_id = %s) "
                        "FROM budgets_budget WHERE id = %s",
                        [self.budget_id, self.budget_id],
                    )
                    self.seen.append(cursor.fetchone())
        finally:
            connection.close()


def test_twelve_grants_at_once_against_a_budget_for_three(people):
    krakeel = people["krakeel"]
    regisseur = people["users"]["gebiedsregisseur"]
    member = people["users"]["wijkteam_a"]
    budget = services.open_budget(krakeel, THIS_YEAR, "1000.00", actor=regisseur)
    ideas = [
        grantable_idea(krakeel, member, asked=str(ASKED), title=f"Buurtfeest straat {n}")
        for n in range(THREADS)
    ]
    actor_ids = [regisseur.pk if n % 2 else member.pk for n in range(THREADS)]

    def grant(i: int):
        actor = User.objects.get(pk=actor_ids[i])  # every thread its own user, as in a request
        return idea_services.grant_budget(ideas[i], ASKED, actor=actor)

    watcher = Watcher(budget.pk)
    watcher.start()
    try:
        results = at_the_same_moment(grant, THREADS)
    finally:
        watcher.done.set()
        watcher.join(timeout=60)

    made = [r for r in results if isinstance(r, Grant)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) == 3, results
    assert len(refused) == THREADS - 3, results
    for error in refused:
        assert error.messages == [
            f"There is not enough money: €\xa0100,00 is available in Krakeel for {THIS_YEAR}."
        ]

    budget.refresh_from_db()
    assert budget.available == Decimal("100.00")
    assert services.ledger_balance(budget) == budget.available
    assert Grant.objects.filter(budget=budget).count() == 3
    assert {g.pk for g in Grant.objects.all()} == {g.pk for g in made}
    assert (
        list(BudgetEntry.objects.filter(budget=budget).values_list("kind", "amount").order_by("pk"))
        == [(EntryKind.OPENING, Decimal("1000.00"))] + [(EntryKind.GRANT, -ASKED)] * 3
    )
    totals = services.budget_totals(budget)
    assert (totals.budget, totals.granted, totals.available) == (
        Decimal("1000.00"),
        Decimal("900.00"),
        Decimal("100.00"),
    )
    # Every committed moment the watcher saw was whole: balance and ledger agree, never below 0.
    assert watcher.seen
    assert all(available == balance >= 0 for available, balance in watcher.seen), watcher.seen
    assert {available for available, _balance in watcher.seen} <= {
        Decimal(v) for v in ("1000.00", "700.00", "400.00", "100.00")
    }


def test_ten_grants_at_once_to_one_idea_make_one_grant(people):
    krakeel = people["krakeel"]
    regisseur = people["users"]["gebiedsregisseur"]
    member = people["users"]["wijkteam_a"]
    budget = services.open_budget(krakeel, THIS_YEAR, "1000.00", actor=regisseur)
    idea = grantable_idea(krakeel, member, asked="250.00")

    def grant(i: int):
        return idea_services.grant_budget(idea, "250.00", actor=User.objects.get(pk=member.pk))

    results = at_the_same_moment(grant, 10)

    assert sum(isinstance(r, Grant) for r in results) == 1, results
    refused = [r for r in results if not isinstance(r, Grant)]
    assert all(isinstance(r, ValidationError) for r in refused), refused
    assert {tuple(r.messages) for r in refused} == {
        ("This idea already has a grant. Change that grant instead.",)
    }
    budget.refresh_from_db()
    assert budget.available == Decimal("750.00") == services.ledger_balance(budget)


def test_payments_at_once_never_spend_more_than_the_grant(people):
    krakeel = people["krakeel"]
    regisseur = people["users"]["gebiedsregisseur"]
    member = people["users"]["wijkteam_a"]
    budget = services.open_budget(krakeel, THIS_YEAR, "1000.00", actor=regisseur)
    grant = idea_services.grant_budget(grantable_idea(krakeel, member), "500.00", actor=member)

    def pay(i: int):
        actor = User.objects.get(pk=member.pk)
        return services.record_payment(grant, "120.00", actor=actor, description=f"Bon {i}")

    results = at_the_same_moment(pay, 10)

    assert sum(not isinstance(r, Exception) for r in results) == 4, results
    refused = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, ValidationError) for r in refused), refused
    assert {tuple(r.messages) for r in refused} == {
        ("This is more than is left of the grant (€\xa020,00).",)
    }
    grant.refresh_from_db()
    assert grant.spent == Decimal("480.00")
    assert grant.payments.count() == 4
    budget.refresh_from_db()
    assert budget.available == Decimal("500.00") == services.ledger_balance(budget)


def test_the_database_refuses_a_negative_balance_from_raw_sql(people):
    from django.db import connection

    budget = services.open_budget(
        people["krakeel"], THIS_YEAR, "1000.00", actor=people["users"]["gebiedsregisseur"]
    )
    with pytest.raises(IntegrityError, match="budget_never_below_zero"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE budgets_budget SET available = available - 1000000 WHERE id = %s",
                [budget.pk],
            )
    budget.refresh_from_db()
    assert budget.available == Decimal("1000.00") == services.ledger_balance(budget)


def test_the_database_refuses_a_negative_balance_from_the_orm(people):
    budget = services.open_budget(
        people["krakeel"], THIS_YEAR, "1000.00", actor=people["users"]["gebiedsregisseur"]
    )
    with pytest.raises(IntegrityError, match="budget_never_below_zero"):
        with transaction.atomic():
            Budget.objects.filter(pk=budget.pk).update(available=-1)
    budget.refresh_from_db()
    assert budget.available == Decimal("1000.00") == services.ledger_balance(budget)
