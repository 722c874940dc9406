import factory

from smederijen.models import FeaturedItem, Smederij
from teams.models import User


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
