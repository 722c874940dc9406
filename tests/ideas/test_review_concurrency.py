"""Two reviewers press the same button at the same moment: on PostgreSQL, with real transactions,
each in its own thread with its own database connection. Exactly one of them wins; the idea moves
once, its history gets one row, the money is granted once (or, when a verantwoording is signed
off, the costs are paid once and the rest goes back once) and the submitter gets one mail.

The mail goes out after the commit (``transaction.on_commit`` runs for real here) through the
locmem backend, counted once all threads are done."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from budgets import services as budget_services
from budgets.models import Budget, BudgetEntry, EntryKind, Grant, Payment
from ideas import services
from ideas.models import Accounting, Idea, StatusChange
from ideas.workflow import Status
from teams.models import User
from tests.budgets.conftest import THIS_YEAR, grantable_idea
from tests.budgets.test_concurrency import at_the_same_moment, role_groups  # noqa: F401
from tests.ideas.test_transitions import write_accounting

pytestmark = pytest.mark.django_db(transaction=True)

ASKED = Decimal("750.00")


@pytest.fixture
def people(role_groups, people):  # noqa: F811
    """``people`` of tests/teams/conftest.py, once the role groups are there again."""
    return people


@pytest.fixture
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail


@pytest.fixture
def race(people, owner, locmem_mail):
    """Krakeel's budget of € 1.000 and its two reviewers: the opbouwwerker and the regisseur."""
    regisseur = people["users"]["gebiedsregisseur"]
    budget = budget_services.open_budget(people["krakeel"], THIS_YEAR, "1000.00", actor=regisseur)
    idea = grantable_idea(
        people["krakeel"], people["users"]["wijkteam_a"], asked=str(ASKED), submitted_by=owner
    )
    locmem_mail.outbox.clear()  # the mails of sending the idea in and taking it up
    return {
        "idea": idea,
        "budget": budget,
        "reviewers": [people["users"]["wijkteam_a"].pk, regisseur.pk],
        "submitter": owner,
    }


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def history_to(idea, status) -> list[StatusChange]:
    return list(StatusChange.objects.filter(idea=idea, to_status=status))


def outcome(results, won_type):
    won = [r for r in results if isinstance(r, won_type)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, ValidationError | PermissionDenied) for r in lost), lost
    return won, lost


@pytest.mark.parametrize("threads", [2, 8], ids=["two reviewers", "both, four times each"])
def test_two_reviewers_approve_the_same_idea_at_once(race, threads):
    idea = race["idea"]

    def approve(i: int):
        reviewer = User.objects.get(pk=race["reviewers"][i % 2])  # as in a request: own object
        return services.approve(
            Idea.objects.get(pk=idea.pk), actor=reviewer, public_text=f"Akkoord ({i})."
        )

    results = at_the_same_moment(approve, threads)

    won, lost = outcome(results, Idea)
    assert len(won) == 1, results
    assert len(lost) == threads - 1, results
    assert Idea.objects.get(pk=idea.pk).status == Status.GOEDGEKEURD
    rows = history_to(idea, Status.GOEDGEKEURD)
    assert len(rows) == 1
    assert rows[0].mail_queued is True
    to_submitter = mails_to(race["submitter"].email)
    assert len(to_submitter) == 1, [m.subject for m in mail.outbox]
    assert rows[0].public_text in to_submitter[0].body


def test_one_reviewer_approves_while_the_other_asks_a_question(race):
    idea = race["idea"]

    def decide(i: int):
        reviewer = User.objects.get(pk=race["reviewers"][i])
        fresh = Idea.objects.get(pk=idea.pk)
        if i == 0:
            return services.approve(fresh, actor=reviewer, public_text="Akkoord.")
        return services.ask_question(fresh, actor=reviewer, question="Wie helpt er mee?")

    results = at_the_same_moment(decide, 2)

    won, lost = outcome(results, Idea)
    assert len(won) == 1 and len(lost) == 1, results
    final = Idea.objects.get(pk=idea.pk).status
    assert final in (Status.GOEDGEKEURD, Status.AANVULLING_GEVRAAGD)
    assert won[0].status == final
    steps = StatusChange.objects.filter(
        idea=idea, to_status__in=[Status.GOEDGEKEURD, Status.AANVULLING_GEVRAAGD]
    )
    assert [c.to_status for c in steps] == [final]
    assert len(mails_to(race["submitter"].email)) == 1


@pytest.mark.parametrize("threads", [2, 8], ids=["two reviewers", "both, four times each"])
def test_two_reviewers_grant_750_to_the_same_idea_at_once(race, threads):
    idea = services.approve(
        race["idea"], actor=User.objects.get(pk=race["reviewers"][0]), public_text="Akkoord."
    )
    mail.outbox.clear()
    budget = race["budget"]
    ledger_before = BudgetEntry.objects.filter(budget=budget).count()

    def grant(i: int):
        reviewer = User.objects.get(pk=race["reviewers"][i % 2])
        return services.grant(
            Idea.objects.get(pk=idea.pk), ASKED, actor=reviewer, public_text=f"Toegekend ({i})."
        )

    results = at_the_same_moment(grant, threads)

    won, lost = outcome(results, Grant)
    assert len(won) == 1, results
    assert len(lost) == threads - 1, results
    assert Grant.objects.filter(idea=idea).count() == 1
    assert Grant.objects.get(idea=idea).amount == ASKED
    entries = BudgetEntry.objects.filter(budget=budget)
    assert entries.count() == ledger_before + 1
    assert list(entries.filter(kind=EntryKind.GRANT).values_list("amount", flat=True)) == [-ASKED]
    budget = Budget.objects.get(pk=budget.pk)
    assert budget.available == Decimal("250.00") == budget_services.ledger_balance(budget)
    assert Idea.objects.get(pk=idea.pk).status == Status.BUDGET_TOEGEKEND
    rows = history_to(idea, Status.BUDGET_TOEGEKEND)
    assert len(rows) == 1
    assert rows[0].mail_queued is True
    assert len(mails_to(race["submitter"].email)) == 1, [m.subject for m in mail.outbox]


COST = Decimal("690.00")


@pytest.mark.parametrize("threads", [2, 8], ids=["two reviewers", "both, four times each"])
def test_two_reviewers_sign_off_the_same_verantwoording_at_once(race, threads):
    """€ 750 granted, € 690 accounted for: € 690 is paid once and € 60 goes back once."""
    member = User.objects.get(pk=race["reviewers"][0])
    idea = services.approve(race["idea"], actor=member, public_text="Akkoord.")
    services.grant(idea, ASKED, actor=member)
    idea = services.start_execution(Idea.objects.get(pk=idea.pk), actor=member)
    idea = services.mark_realised(idea, actor=member)
    write_accounting(idea, race["submitter"], cost=COST, send=True)
    mail.outbox.clear()
    budget = race["budget"]
    available = Budget.objects.get(pk=budget.pk).available
    ledger_before = BudgetEntry.objects.filter(budget=budget).count()

    def sign_off(i: int):
        reviewer = User.objects.get(pk=race["reviewers"][i % 2])
        return services.sign_off_accounting(
            Idea.objects.get(pk=idea.pk), actor=reviewer, public_text=f"Afgerond ({i})."
        )

    results = at_the_same_moment(sign_off, threads)

    won, lost = outcome(results, Accounting)
    assert len(won) == 1, results
    assert len(lost) == threads - 1, results
    assert Idea.objects.get(pk=idea.pk).status == Status.AFGEROND
    assert Accounting.objects.get(idea=idea).state == Accounting.State.SIGNED_OFF
    grant = Grant.objects.get(idea=idea)
    assert (grant.state, grant.amount, grant.spent) == (Grant.State.SETTLED, COST, COST)
    assert list(Payment.objects.filter(grant=grant).values_list("amount", flat=True)) == [COST]
    entries = BudgetEntry.objects.filter(budget=budget)
    assert entries.count() == ledger_before + 1
    returns = entries.filter(kind=EntryKind.RETURN)
    assert list(returns.values_list("amount", flat=True)) == [ASKED - COST]
    budget = Budget.objects.get(pk=budget.pk)
    assert budget.available == available + ASKED - COST == budget_services.ledger_balance(budget)
    rows = history_to(idea, Status.AFGEROND)
    assert len(rows) == 1
    assert rows[0].mail_queued is True
    to_submitter = mails_to(race["submitter"].email)
    assert len(to_submitter) == 1, [m.subject for m in mail.outbox]
    assert rows[0].public_text in to_submitter[0].body
