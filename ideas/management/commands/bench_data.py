"""Fill a benchmark database (`make bench`): the demo data, then years of ideas piled up.

Refuses any database whose name does not end in ``_bench``: it writes a lot, fast, with known
passwords (the demo's)."""

import io
import random
from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from ideas.models import BudgetLine, Idea, IdeaSequence, Kind, StatusChange, Support
from ideas.workflow import Status
from smederijen.models import Smederij

WORDS = (
    "speeltuin bankjes buurtfeest moestuin bloembakken jeu-de-boules dorpshuis geluidsinstallatie "
    "zomerfeest voetbaldoeltjes picknicktafels kunstgras ontmoetingsplek boomspiegels "
    "buurtkamer fietsenstalling wandelroute kerstmarkt jongerenplek beweegtuin"
).split()
OPEN = [s for s in Status.values if s != Status.CONCEPT]


class Command(BaseCommand):
    help = "Fill a *_bench database: the demo, 10,000 ideas, 100,000 supports, 50,000 history rows."

    def add_arguments(self, parser):
        parser.add_argument("--ideas", type=int, default=10_000)
        parser.add_argument("--supports", type=int, default=100_000)
        parser.add_argument("--history", type=int, default=50_000)

    def handle(self, *args, ideas: int, supports: int, history: int, **options):
        if not str(connection.settings_dict["NAME"]).endswith("_bench"):
            raise CommandError("bench_data only fills a database whose name ends in _bench.")
        call_command("load_demo_data", allow_production=True, stdout=io.StringIO())
        rng = random.Random(2026)
        areas = list(Smederij.objects.all())
        now = timezone.now()
        with transaction.atomic():
            made = self._ideas(rng, areas, ideas, now)
            self._supports(rng, made, areas, supports, now)
            self._history(rng, made, history, now)
        with connection.cursor() as cursor:
            # As autovacuum would after such a load: the planner's statistics of the new rows.
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"{Idea.objects.count()} ideas, {Support.objects.count()} supports, "
            f"{StatusChange.objects.count()} history rows"
        )

    def _ideas(self, rng, areas, count: int, now) -> list[Idea]:
        years = [now.year - 4 + n for n in range(5)]
        numbers = {
            year: IdeaSequence.objects.filter(year=year)
            .values_list("last_number", flat=True)
            .first()
            or 0
            for year in years
        }
        batch = []
        for n in range(count):
            year = years[n % len(years)]
            numbers[year] += 1
            title_words = rng.sample(WORDS, 2)
            submitted = now - timedelta(
                days=(now.year - year) * 365 + rng.randrange(300), hours=n % 24
            )
            status = OPEN[n % len(OPEN)]
            batch.append(
                Idea(
                    reference=f"{year}-{numbers[year]:04d}",
                    year=year,
                    number=numbers[year],
                    status=status,
                    kind=Kind.LANGE_KLAP if n % 7 == 0 else Kind.KORTE_KLAP,
                    smederij=areas[n % len(areas)],
                    location=f"{rng.choice(WORDS).capitalize()}straat",
                    reach="buurt",
                    title=f"{title_words[0].capitalize()} en {title_words[1]} {n}",
                    summary=f"Een plan voor {title_words[0]} bij ons in de buurt.",
                    description=(
                        f"Wij willen {title_words[0]} en {title_words[1]} voor de buurt. "
                        "Buren helpen mee en houden het netjes."
                    ),
                    serves_leefbaarheid=n % 2 == 0,
                    serves_ontmoeten=n % 3 == 0,
                    serves_saamhorigheid=n % 5 == 0,
                    serves_zelfwerkzaamheid=n % 4 == 0,
                    amount_requested=Decimal(250 + (n % 40) * 50),
                    submitter_kind="inwoner",
                    contact_name=f"Inwoner {n}",
                    contact_email=f"inwoner{n}@example.org",
                    accepted_conditions=True,
                    accepted_privacy=True,
                    is_published=n % 10 != 0,
                    submitted_at=submitted,
                    created_at=submitted,
                    decision_due=(submitted + timedelta(weeks=6)).date(),
                )
            )
        made = Idea.objects.bulk_create(batch, batch_size=1000)
        for year, last in numbers.items():
            IdeaSequence.objects.update_or_create(year=year, defaults={"last_number": last})
        BudgetLine.objects.bulk_create(
            (
                BudgetLine(idea=idea, item=item, amount=amount, position=i)
                for idea in made
                for i, (item, amount) in enumerate(
                    [("Materiaal", idea.amount_requested - 100), ("Koffie en thee", Decimal(100))]
                )
            ),
            batch_size=2000,
        )
        return made

    def _supports(self, rng, ideas, areas, count: int, now) -> None:
        public = [idea for idea in ideas if idea.is_published]
        Support.objects.bulk_create(
            (
                Support(
                    idea=public[n % len(public)],
                    name=f"Buur {n}",
                    email=f"buur{n}@example.org",
                    street=f"{rng.choice(WORDS).capitalize()}straat",
                    smederij=areas[n % len(areas)],
                    created_at=now - timedelta(minutes=n),
                    confirmed_at=None if n % 9 == 0 else now - timedelta(minutes=n - 5),
                )
                for n in range(count)
            ),
            batch_size=2000,
        )

    def _history(self, rng, ideas, count: int, now) -> None:
        rows = []
        for n in range(count):
            idea = ideas[n % len(ideas)]
            step = n // len(ideas)
            rows.append(
                StatusChange(
                    idea=idea,
                    from_status=Status.CONCEPT if step == 0 else Status.INGEDIEND,
                    to_status=Status.INGEDIEND if step == 0 else idea.status,
                    at=idea.submitted_at + timedelta(days=step),
                    public_text="" if step == 0 else "Besproken in het wijkteam.",
                )
            )
        StatusChange.objects.bulk_create(rows, batch_size=2000)
