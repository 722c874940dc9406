"""Co-funding of lange-klap plans: only money that is promised or received counts, the plan is
fully funded exactly when that covers the begroting, and only the office or the area's team
keeps the sources."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import override

from budgets import services
from budgets.models import FundingSource
from ideas import permissions as idea_permissions
from tests.budgets.conftest import lange_klap_plan
from tests.teams.conftest import ROLES

pytestmark = pytest.mark.django_db

D = Decimal
ASKED, PROMISED, REFUSED, RECEIVED = (
    FundingSource.Status.GEVRAAGD,
    FundingSource.Status.TOEGEZEGD,
    FundingSource.Status.AFGEWEZEN,
    FundingSource.Status.ONTVANGEN,
)
# The begroting of the plan: € 10.000,00.
LINES = [("Nieuwe speeltoestellen", D("6000.00")), ("Bestrating en aanleg", D("4000.00"))]


@pytest.fixture
def plan(people):
    return lange_klap_plan(
        people["krakeel"],
        people["users"]["gebiedsregisseur"],
        lines=LINES,
        title="Het Krakeelpark opnieuw ingericht",
    )


def add(plan, actor, amount, status, *, name="Oranje Fonds", kind=FundingSource.Kind.FONDS):
    return services.save_funding_source(
        plan, actor=actor, kind=kind, name=name, amount=amount, status=status
    )


# sources (amount, status) -> committed, received, asked, refused, missing, fully funded, percent
CASES = [
    ("no sources yet", [], ("0", "0", "0", "0", "10000.00", False, 0)),
    ("only asked", [("10000.00", ASKED)], ("0", "0", "10000.00", "0", "10000.00", False, 0)),
    ("only refused", [("10000.00", REFUSED)], ("0", "0", "0", "10000.00", "10000.00", False, 0)),
    (
        "one cent short",
        [("4000.00", PROMISED), ("5999.99", RECEIVED)],
        ("9999.99", "5999.99", "0", "0", "0.01", False, 99),
    ),
    (
        "exactly covered by promised and received money",
        [("4000.00", PROMISED), ("6000.00", RECEIVED)],
        ("10000.00", "6000.00", "0", "0", "0", True, 100),
    ),
    (
        "more than needed",
        [("12000.00", RECEIVED)],
        ("12000.00", "12000.00", "0", "0", "0", True, 100),
    ),
    (
        "asked and refused money do not count",
        [
            ("2500.00", PROMISED),
            ("2500.00", RECEIVED),
            ("5000.00", ASKED),
            ("3000.00", REFUSED),
        ],
        ("5000.00", "2500.00", "5000.00", "3000.00", "5000.00", False, 50),
    ),
    (
        "cents add up exactly",
        [("3333.33", PROMISED), ("3333.33", PROMISED), ("3333.34", RECEIVED)],
        ("10000.00", "3333.34", "0", "0", "0", True, 100),
    ),
]


@pytest.mark.parametrize("sources, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_only_promised_and_received_money_counts(people, plan, sources, expected):
    actor = people["users"]["gebiedsregisseur"]
    for n, (amount, status) in enumerate(sources):
        add(plan, actor, amount, status, name=f"Bron {n}")

    funding = services.funding_of(plan)

    committed, received, asked, refused, missing, fully_funded, percentage = expected
    assert funding.needed == D("10000.00")
    assert (funding.committed, funding.received, funding.asked, funding.refused) == (
        D(committed),
        D(received),
        D(asked),
        D(refused),
    )
    assert all(type(v) is Decimal for v in (funding.committed, funding.received, funding.missing))
    assert funding.missing == D(missing)
    assert funding.fully_funded is fully_funded
    assert funding.percentage == percentage
    assert idea_permissions.may_start(plan)[0] is fully_funded


def test_the_plan_may_start_once_the_missing_money_is_promised(people, plan):
    regisseur = people["users"]["gebiedsregisseur"]
    add(plan, regisseur, "5000.00", RECEIVED, name="Gemeente Hoogeveen")
    fund = add(plan, regisseur, "5000.00", ASKED, name="Oranje Fonds")

    may, why = idea_permissions.may_start(plan)
    assert may is False
    assert "€\xa05.000,00" in why  # the missing amount, in Dutch notation in every language
    with override("en"):
        assert idea_permissions.may_start(plan) == (
            False,
            "€\xa05.000,00 is not yet promised. The plan can start when it is.",
        )

    # The fund says yes: the same source changes status, nothing is added.
    services.save_funding_source(
        plan,
        actor=people["users"]["wijkteam_a"],
        kind=fund.kind,
        name=fund.name,
        amount=fund.amount,
        status=PROMISED,
        source=fund,
    )
    assert FundingSource.objects.filter(idea=plan).count() == 2
    with override("en"):
        assert idea_permissions.may_start(plan) == (True, "The plan is fully funded.")

    # And a promise withdrawn makes it wait again.
    fund.refresh_from_db()
    services.save_funding_source(
        plan,
        actor=regisseur,
        kind=fund.kind,
        name=fund.name,
        amount=fund.amount,
        status=REFUSED,
        source=fund,
    )
    assert idea_permissions.may_start(plan)[0] is False


def test_a_plan_without_a_begroting_cannot_start(people):
    plan = lange_klap_plan(people["krakeel"], people["users"]["gebiedsregisseur"], lines=[])
    add(plan, people["users"]["gebiedsregisseur"], "1000.00", RECEIVED)
    funding = services.funding_of(plan)
    assert funding.needed == D("0.00") and funding.fully_funded is False
    with override("en"):
        assert idea_permissions.may_start(plan) == (False, "The plan has no budget lines yet.")


def test_a_source_keeps_who_changed_it_and_its_amount_to_the_cent(people, plan):
    member = people["users"]["wijkteam_a"]
    source = add(plan, member, "1234.56", PROMISED, name="  Domesta  ")
    source.refresh_from_db()
    assert (source.name, source.amount, source.updated_by) == ("Domesta", D("1234.56"), member)


@pytest.mark.parametrize("amount", ["0", "-5.00", "10.001"])
def test_a_source_needs_an_amount_in_cents_above_zero(people, plan, amount):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        add(plan, people["users"]["gebiedsregisseur"], amount, PROMISED)
    assert not FundingSource.objects.exists()


# Who may keep the funding sources of a plan in Krakeel (area A).
MAY_SAVE_SOURCES = {
    "anonymous": False,
    "resident": False,
    "initiatiefgroep_member": False,
    "wijkteam_a": True,
    "wijkteam_b": False,
    "stuurgroep_member": False,
    "gebiedsregisseur": True,
    "ondersteuning": True,
    "superuser": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_or_the_areas_team_saves_sources(people, plan, role):
    actor = people["users"][role] or AnonymousUser()
    existing = add(plan, people["users"]["gebiedsregisseur"], "2000.00", ASKED)

    if MAY_SAVE_SOURCES[role]:
        add(plan, actor, "1000.00", PROMISED, name="Rabobank")
        services.save_funding_source(
            plan,
            actor=actor,
            kind=existing.kind,
            name=existing.name,
            amount=existing.amount,
            status=PROMISED,
            source=existing,
        )
        assert services.funding_of(plan).committed == D("3000.00")
    else:
        with pytest.raises(PermissionDenied):
            add(plan, actor, "1000.00", PROMISED, name="Rabobank")
        with pytest.raises(PermissionDenied):
            services.save_funding_source(
                plan,
                actor=actor,
                kind=existing.kind,
                name=existing.name,
                amount=existing.amount,
                status=PROMISED,
                source=existing,
            )
        assert list(FundingSource.objects.values_list("name", "status")) == [
            ("Oranje Fonds", ASKED)
        ]
        assert services.funding_of(plan).committed == D("0.00")
