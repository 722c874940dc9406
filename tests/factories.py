import factory

from smederijen.models import FeaturedItem, Smederij
from teams.models import Initiatiefgroep, Organisation, Team, TeamArea, TeamMember, User


class SmederijFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Smederij

    name = factory.Sequence(lambda n: f"Wijk {n}")
    slug = factory.Sequence(lambda n: f"wijk-{n}")
    kind = Smederij.Kind.WIJK
    description = factory.Faker("paragraph", locale="nl_NL")


class FeaturedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeaturedItem

    title = factory.Sequence(lambda n: f"Uitgelicht {n}")
    summary = factory.Faker("sentence", locale="nl_NL")
    link = "/over-de-smederijen/"
    link_text = "Lees meer"
    position = factory.Sequence(int)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.GEMEENTE


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Wijkteam {n}")
    slug = factory.Sequence(lambda n: f"wijkteam-{n}")
    location_name = "Buurthuis De Tamboer"
    street = "Krakeelstraat 30"
    postcode = "7909 EF"
    visiting_hours = "Dinsdag 9.00 tot 12.00 uur"
    phone = "0528 123 456"
    email = factory.Sequence(lambda n: f"team{n}@example.org")

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        for smederij in extracted or []:
            TeamArea.objects.create(team=self, smederij=smederij)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    name = factory.Faker("name", locale="nl_NL")
    organisation = factory.SubFactory(OrganisationFactory)
    function = "Medewerker"
    email = factory.Sequence(lambda n: f"werk{n}@example.org")


class InitiatiefgroepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiatiefgroep

    smederij = factory.SubFactory(SmederijFactory)
    name = factory.Sequence(lambda n: f"Initiatiefgroep {n}")
    slug = factory.Sequence(lambda n: f"initiatiefgroep-{n}")
    purpose = "Wij verzamelen de ideeën van de buurt."
