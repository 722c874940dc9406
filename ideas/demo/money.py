"""Demo money for `make run`: the bewonersbudget of every demo area for this year and last year,
grants to the demo ideas that have money, payments and settlements, and the co-funding of the
lange-klap plans. Loaded after ``ideas.py``, by the area's gebiedsregisseur, through the
services.

Idempotent: a budget is found by area and year, a grant by its idea and a funding source by its
plan and name; what exists already is left alone (a budget's top-up and correction are only made
when the budget itself is new).

Two things here are for the demo only, and say so where they are done:

- The demo ideas that already passed "budget toegekend" (ideas.py walks them there) get their
  grant after the fact, through ``_grant_after_the_fact``: the real way is the grant step of the
  review pages, which calls ``ideas.services.grant_budget`` while the idea is still grantable.
- The dates of the ledger lines, grants and payments are set to when the ideas' history says it
  happened (as ideas.py does for the history itself), so last year's ledger reads as last year.
  Only dates are touched: every amount is booked by the services.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Min
from django.test.utils import override_settings
from django.utils import timezone

from budgets import services
from budgets.models import Budget, BudgetEntry, EntryKind, FundingSource, Grant, Payment
from ideas import services as idea_services
from ideas.models import Idea, StatusChange
from ideas.workflow import GRANTABLE, Status
from smederijen.models import Smederij

# The opening amount per area (this year, last year): more for the big wijken, less for the
# small dorpen.
OPENING = {
    "krakeel": (15000, 14000),
    "zuid": (12500, 12000),
    "verzetsbuurt": (10000, 10000),
    "zeeheldenbuurt": (10000, 9500),
    "erflanden": (9000, 8500),
    "hollandscheveld": (9000, 8500),
    "centrum": (8000, 8000),
    "elim": (7500, 7000),
    "pesse": (6000, 6000),
    "tiendeveen": (5000, 5000),
}

# This year's top-up and correction: (area, amount, reason, (month, day)).
TOP_UP = (
    "zuid",
    Decimal("2500.00"),
    "Woonconcept draagt € 2.500 bij aan het bewonersbudget voor de speelplekken in Zuid.",
    (6, 15),
)
CORRECTION = (
    "centrum",
    Decimal("-500.00"),
    "Het openingsbedrag was € 500 te hoog ingevoerd: afgesproken is € 7.500.",
    (1, 20),
)


@dataclass(frozen=True)
class DemoGrant:
    """Money for a demo idea: the amount it asked, from the budget of the year it was sent."""

    title: str
    area: str
    payments: tuple[tuple[str, str], ...] = ()  # (what for, amount)
    settle: str = ""  # the reason, when the idea is afgerond and the grant settled


GRANTS = [
    # Last year's ideas: carried out, and all but one settled.
    DemoGrant(
        "Buurtfeest op Bevrijdingsdag",
        "verzetsbuurt",
        payments=(
            ("Springkussen", "350.00"),
            ("Muziek", "400.00"),
            ("Eten en drinken", "562.35"),
            ("Versiering", "128.90"),
        ),
        settle="Afgerekend met de bonnen en foto's van het feest.",
    ),
    DemoGrant(
        "Kerstmarkt bij buurthuis De Tamboer",
        "krakeel",
        payments=(
            ("Huur kraampjes", "700.00"),
            ("Verlichting en verlengsnoeren", "236.50"),
            ("Chocolademelk en koek", "263.80"),
        ),
        settle="Afgerekend: de bonnen zijn bekeken in het wijkteam.",
    ),
    DemoGrant(
        "Geluidsinstallatie voor dorpshuis Elim",
        "elim",
        payments=(
            ("Mengpaneel en speakers (de rest betaalt de vereniging)", "2350.00"),
            ("Twee draadloze microfoons", "420.00"),
            ("Kabels en standaards", "230.00"),
        ),
        settle="Alles is besteed; de installatie hangt in de grote zaal.",
    ),
    DemoGrant(
        "Zomerfestival op de Middenraai",
        "hollandscheveld",
        payments=(("Huur podium", "1200.00"), ("Vergunning en EHBO", "300.00")),
    ),
    # This year's ideas.
    DemoGrant("Bankjes bij de speeltuin aan de Zuiderweg", "zuid"),
    DemoGrant("Minibieb in de De Ruyterstraat", "zeeheldenbuurt"),
    DemoGrant(
        "Informatiebord over de kano van Pesse",
        "pesse",
        payments=(("Ontwerp en drukwerk", "650.00"),),
    ),
    DemoGrant(
        "Bloembakken op het Raadhuisplein",
        "centrum",
        payments=(("Zes bloembakken", "1800.00"),),
    ),
    DemoGrant(
        "Voetbaldoeltjes op het trapveld aan de Hertenkamp",
        "zuid",
        payments=(("Twee doeltjes", "1100.00"), ("Netten", "140.00")),
    ),
]

G, W, F = FundingSource.Kind.GEMEENTE, FundingSource.Kind.WONINGCORPORATIE, FundingSource.Kind.FONDS
ASKED, PROMISED = FundingSource.Status.GEVRAAGD, FundingSource.Status.TOEGEZEGD
REFUSED, RECEIVED = FundingSource.Status.AFGEWEZEN, FundingSource.Status.ONTVANGEN
OWN, OTHER = FundingSource.Kind.EIGEN_BIJDRAGE, FundingSource.Kind.OVERIG

# Co-funding of the lange-klap plans: (area, title) -> (kind, name, amount, status, note).
FUNDING = {
    # Partly funded: still € 21.000 to find.
    ("verzetsbuurt", "Groene binnentuin achter de Verzetsstraat"): [
        (G, "Gemeente Hoogeveen", 25000, PROMISED, "Uit het budget voor groen in de wijken."),
        (W, "Domesta", 20000, PROMISED, "Domesta is eigenaar van de binnentuin."),
        (W, "Woonconcept", 12000, ASKED, "Aanvraag verstuurd; antwoord na de zomer."),
        (F, "Oranje Fonds", 10000, REFUSED, "Past niet in de ronde van dit jaar."),
        (OWN, "Bewoners van de Verzetsstraat", 1000, PROMISED, "Zelf ingezameld."),
    ],
    # Fully funded: ready to start.
    ("elim", "Dorpshuis Elim groter maken"): [
        (G, "Gemeente Hoogeveen", 90000, PROMISED, "Besluit van het college."),
        (OTHER, "Provincie Drenthe", 35000, PROMISED, "Regeling voor dorpshuizen."),
        (F, "VSBfonds", 25000, PROMISED, ""),
        (OWN, "Vereniging Dorpshuis Elim", 10000, RECEIVED, "Uit acties en de vriendenclub."),
    ],
    # Being carried out: all its money came in.
    ("zeeheldenbuurt", "Ontmoetingsruimte bij wijkcentrum Het Anker"): [
        (G, "Gemeente Hoogeveen", 28000, RECEIVED, ""),
        (W, "Woonconcept", 30000, RECEIVED, ""),
        (F, "Oranje Fonds", 25000, PROMISED, "Wordt uitbetaald na de oplevering."),
    ],
    # At the stuurgroep: the first requests are out.
    ("krakeel", "Nieuwe speeltuin voor heel Krakeel"): [
        (W, "Domesta", 20000, ASKED, ""),
        (F, "Jantje Beton", 10000, ASKED, ""),
        (OWN, "Speeltuinvereniging Krakeel", 2500, PROMISED, ""),
    ],
}


def load_budgets() -> None:
    """Load the demo money (after ``ideas.demo.load_ideas``) in a transaction of its own."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            _load_budgets()


def _load_budgets() -> None:
    now = timezone.now()
    year = timezone.localdate(now).year
    areas = {
        s.slug: s
        for s in Smederij.objects.filter(slug__in=OPENING).select_related("gebiedsregisseur")
        if s.gebiedsregisseur is not None
    }
    budgets, new = {}, []
    for slug, smederij in areas.items():
        this_year, last_year = OPENING[slug]
        for y, amount in ((year - 1, last_year), (year, this_year)):
            budget = Budget.objects.filter(smederij=smederij, year=y).first()
            if budget is None:
                budget = _open(smederij, y, Decimal(amount), now)
                new.append(budget)
            budgets[slug, y] = budget

    for spec in GRANTS:
        smederij = areas.get(spec.area)
        idea = Idea.objects.filter(title=spec.title, smederij=smederij).first()
        if smederij is None or idea is None or Grant.objects.filter(idea=idea).exists():
            continue
        budget = budgets.get((spec.area, idea.year))
        if budget is not None and not budget.is_closed:
            _grant(spec, idea, budget, smederij.gebiedsregisseur, now)

    for budget in new:  # the opening line first in the ledger
        first = budget.entries.exclude(kind=EntryKind.OPENING).aggregate(at=Min("at"))["at"]
        opened = _at(budget.year, 1, 6, now)
        if first is not None:
            opened = min(opened, first - timedelta(hours=1))
        budget.entries.filter(kind=EntryKind.OPENING).update(at=opened)
        Budget.objects.filter(pk=budget.pk).update(created_at=opened)

    for (slug, y), budget in budgets.items():
        if y < year and not budget.is_closed:
            services.close_budget(budget, actor=areas[slug].gebiedsregisseur)

    for (slug, title), sources in FUNDING.items():
        smederij = areas.get(slug)
        idea = Idea.objects.filter(title=title, smederij=smederij).first()
        if smederij is None or idea is None:
            continue
        for kind, name, amount, status, note in sources:
            if not FundingSource.objects.filter(idea=idea, name=name).exists():
                services.save_funding_source(
                    idea,
                    actor=smederij.gebiedsregisseur,
                    kind=kind,
                    name=name,
                    amount=Decimal(amount),
                    status=status,
                    note=note,
                )


def _at(year: int, month: int, day: int, now: datetime) -> datetime:
    """A working morning of that year, but never later than an hour ago."""
    return min(timezone.make_aware(datetime(year, month, day, 10, 0)), now - timedelta(hours=1))


def _open(smederij: Smederij, year: int, amount: Decimal, now: datetime) -> Budget:
    actor = smederij.gebiedsregisseur
    budget = services.open_budget(
        smederij, year, amount, actor=actor, reason=f"Bewonersbudget {year} van {smederij.name}"
    )
    if year != timezone.localdate(now).year:
        return budget
    if smederij.slug == TOP_UP[0]:
        _slug, amount, reason, (month, day) = TOP_UP
        services.top_up(budget, amount, actor=actor, reason=reason)
        _date_last_entry(budget, EntryKind.TOP_UP, _at(year, month, day, now))
    if smederij.slug == CORRECTION[0]:
        _slug, amount, reason, (month, day) = CORRECTION
        services.correct(budget, amount, actor=actor, reason=reason)
        _date_last_entry(budget, EntryKind.CORRECTION, _at(year, month, day, now))
    return budget


def _date_last_entry(budget: Budget, kind: str, at: datetime) -> None:
    """Demo only: the date of a line just booked, to when the story says it happened."""
    entry = budget.entries.filter(kind=kind).order_by("-pk").first()
    BudgetEntry.objects.filter(pk=entry.pk).update(at=at)


def _step_at(idea: Idea, status: str) -> datetime | None:
    change = StatusChange.objects.filter(idea=idea, to_status=status).order_by("-at", "-pk").first()
    return change.at if change else None


@transaction.atomic
def _grant_after_the_fact(idea: Idea, budget: Budget, *, actor, at: datetime) -> Grant:
    """DEMO ONLY: a grant for an idea that ideas.py already walked past "budget toegekend".

    ``ideas.services.grant_budget`` refuses such an idea (its status is no longer grantable), and no
    status is written here. This books the grant as grant_budget does: the budget locked, the
    grant made, the ledger line and ``available`` moved together by ``services._book`` (which
    refuses to overspend). The real way is the grant step of the review pages."""
    budget = services.locked_for_grant(budget)
    if budget.smederij_id != idea.smederij_id or budget.year != idea.year:
        raise ValueError(f"{idea} is not paid from {budget}")
    amount = idea.amount_requested
    grant = Grant.objects.create(
        budget=budget, idea=idea, amount=amount, granted_by=actor, granted_at=at
    )
    services._book(budget, EntryKind.GRANT, -amount, actor=actor, grant=grant)
    _date_last_entry(budget, EntryKind.GRANT, at)
    return grant


def _grant(spec: DemoGrant, idea: Idea, budget: Budget, actor, now: datetime) -> None:
    granted_at = _step_at(idea, Status.BUDGET_TOEGEKEND) or now - timedelta(hours=1)
    if idea.status in GRANTABLE:
        grant = idea_services.grant_budget(idea, idea.amount_requested, actor=actor, budget=budget)
    else:
        grant = _grant_after_the_fact(idea, budget, actor=actor, at=granted_at)

    # Paid while it was carried out: between the start and the end (or now).
    start = _step_at(idea, Status.IN_UITVOERING) or granted_at
    end = _step_at(idea, Status.GEREALISEERD) or now - timedelta(hours=1)
    count = len(spec.payments)
    for n, (description, amount) in enumerate(spec.payments, start=1):
        at = start + (end - start) * n / (count + 1)
        payment = services.record_payment(
            grant,
            Decimal(amount),
            actor=actor,
            description=description,
            paid_on=timezone.localdate(at),
        )
        Payment.objects.filter(pk=payment.pk).update(at=at)  # demo only: when it was recorded

    if spec.settle and idea.status == Status.AFGEROND:
        services.settle_grant(grant, actor=actor, reason=spec.settle)
        settled_at = _step_at(idea, Status.AFGEROND) or now - timedelta(hours=1)
        BudgetEntry.objects.filter(grant=grant, kind=EntryKind.RETURN).update(at=settled_at)
