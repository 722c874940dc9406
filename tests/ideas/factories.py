"""Ideas for the tests: a complete concept that can be sent as it is, and helpers that send and
publish it through the services, the way the portal does."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from ideas import services
from ideas.models import BudgetLine, Condition, Idea, Kind, Reach, SubmitterKind
from ideas.workflow import Status
from tests.factories import SmederijFactory, UserFactory

# The begroting every IdeaFactory idea gets unless told otherwise: € 750 in all.
DEFAULT_LINES = [("Twee picknicktafels", Decimal("600.00")), ("Verf en kwasten", Decimal("150.00"))]


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


class IdeaFactory(factory.django.DjangoModelFactory):
    """A concept with every question answered: ``services.submit_idea`` accepts it as it is."""

    class Meta:
        model = Idea
        skip_postgeneration_save = True

    status = Status.CONCEPT
    kind = Kind.KORTE_KLAP
    smederij = factory.SubFactory(SmederijFactory)
    location = "Het speelveld aan de Vijverlaan"
    reach = Reach.BUURT
    target_group = "Kinderen en hun ouders"
    title = factory.Sequence(lambda n: f"Picknicktafels bij de vijver {n}")
    summary = "Twee picknicktafels bij de vijver, zodat buren samen kunnen eten en praten."
    description = (
        "Bij de vijver is geen plek om te zitten. Met twee tafels kunnen buren elkaar daar "
        "ontmoeten. Wij verven ze zelf en houden ze schoon."
    )
    serves_leefbaarheid = True
    serves_ontmoeten = True
    notions_explanation = "Buren komen elkaar tegen aan de tafel."
    support_description = "De bewoners van de Vijverlaan en de speeltuinvereniging."
    supporters_estimate = 25
    neighbours_involvement = "We zijn langs de deuren gegaan."
    own_effort = "We verven de tafels en houden het veld netjes."
    amount_requested = Decimal("750.00")
    own_contribution = Decimal("0.00")
    other_funding = Decimal("0.00")
    start_date = factory.LazyFunction(lambda: in_days(30))
    end_date = factory.LazyAttribute(lambda idea: idea.start_date + timedelta(days=90))
    submitter_kind = SubmitterKind.INWONER
    contact_name = factory.Faker("name", locale="nl_NL")
    contact_email = factory.Sequence(lambda n: f"indiener{n}@example.org")
    contact_phone = "06 98765432"
    contact_address = "Vijverlaan 12, 7908 AB Hoogeveen"
    accepted_conditions = True
    accepted_privacy = True

    @factory.post_generation
    def budget_lines(self, create, extracted, **kwargs):
        """``IdeaFactory(budget_lines=[("Tafel", Decimal("100"))])``; ``[]`` for none."""
        if not create:
            return
        lines = DEFAULT_LINES if extracted is None else extracted
        BudgetLine.objects.bulk_create(
            BudgetLine(idea=self, item=item, amount=amount, position=i)
            for i, (item, amount) in enumerate(lines)
        )


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    kind = Condition.Applies.BOTH
    title = factory.Sequence(lambda n: f"Voorwaarde {n}")
    text = "Het idee maakt de buurt beter voor iedereen."
    position = factory.Sequence(int)


def submitted_idea(*, submitted_by=None, **kwargs) -> Idea:
    """A complete idea sent by its resident through ``services.submit_idea``."""
    if submitted_by is None:
        submitted_by = UserFactory()
    kwargs.setdefault("contact_email", submitted_by.email)
    idea = IdeaFactory(submitted_by=submitted_by, **kwargs)
    return services.submit_idea(idea, actor=submitted_by)


def published_idea(*, publisher=None, **kwargs) -> Idea:
    """A sent idea that staff of its area put on the public site (``services.set_published``).

    Without a publisher an office account (superuser) does it."""
    idea = submitted_idea(**kwargs)
    if publisher is None:
        publisher = UserFactory(is_staff=True, is_superuser=True)
    return services.set_published(idea, actor=publisher, published=True)


def move(idea: Idea, *statuses: str, actor, text: str = "Besproken in het wijkteam.") -> Idea:
    """Walk an idea along its way, one allowed step after the other, as ``actor``."""
    for status in statuses:
        idea = services.transition(idea, status, actor=actor, public_text=text)
    return idea
