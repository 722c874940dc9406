"""Demo data for `make run`: the Smederijen of the brief and a few more, and (people.py) the
people: teams, initiatiefgroepen, the stuurgroep and a login per role, (ideas.py) the
conditions and ideas in every status, and (money.py) the budgets, grants and funding.

The demo (and the benchmark's data, ideas/management/commands/bench_data.py) sits here, on top
of the house, in one place: it may use every app, and no app uses it.

Running it twice changes nothing: every record is found by its natural key first.
"""

from django.db import transaction

from smederijen.models import FeaturedItem, Smederij

from .ideas import load_accountings, load_ideas
from .money import load_budgets
from .overleg import load_overleg
from .people import DemoLogin, load_people, load_stuurgroep_work

SMEDERIJEN = [
    # The areas named in the programme.
    (
        "Verzetsbuurt",
        "wijk",
        "Een wijk met veel jonge gezinnen. Bewoners werken aan een groener "
        "straatbeeld en meer plekken om elkaar te ontmoeten.",
    ),
    (
        "Zeeheldenbuurt",
        "wijk",
        "Een wijk met straten die genoemd zijn naar zeehelden. Hier wordt "
        "gewerkt aan een plan voor de lange termijn, samen met de bewoners.",
    ),
    (
        "Krakeel",
        "wijk",
        "Een grote wijk in het zuidoosten van Hoogeveen, met een actief "
        "buurthuis en veel verenigingen.",
    ),
    (
        "Zuid",
        "wijk",
        "De wijk Zuid heeft een eigen wijkteam. Bewoners maken plannen voor de "
        "speelplekken en het park.",
    ),
    (
        "Elim",
        "dorp",
        "Elim is een dorp ten oosten van Hoogeveen, langs de Hoogeveense Vaart. "
        "Het dorpshuis is het hart van het dorp.",
    ),
    # More wijken and dorpen of Hoogeveen for the demo.
    ("Erflanden", "wijk", "Een wijk in het westen van Hoogeveen, met veel groen en water."),
    ("Centrum", "wijk", "Het centrum van Hoogeveen, met de Hoofdstraat en de markt."),
    (
        "Hollandscheveld",
        "dorp",
        "Een groot dorp ten zuiden van Hoogeveen, met een rijk verenigingsleven.",
    ),
    ("Pesse", "dorp", "Een oud esdorp ten noorden van Hoogeveen, bekend van de kano van Pesse."),
    ("Tiendeveen", "dorp", "Een klein dorp ten noordoosten van Hoogeveen."),
]

FEATURED = [
    (
        "De Smederijen heeft een eigen website",
        "Hier lees je hoe bewoners plannen maken voor hun straat, buurt of dorp, en wie helpt.",
        "/over-de-smederijen/",
        "Lees hoe De Smederijen werkt",
        1,
    ),
    (
        "Ken je Smederij Elim al?",
        "In Elim is het dorpshuis het hart van het dorp. Lees wat er speelt in de Smederij Elim.",
        "/smederijen/elim/",
        "Lees meer over Elim",
        2,
    ),
]


def load_demo_data() -> list[DemoLogin]:
    logins = _load_areas_and_people()
    # Ideas in a transaction of their own: the mails the idea services send after the commit
    # are dropped there, instead of being printed in the terminal.
    load_ideas()
    load_budgets()
    load_accountings()  # after the grants: signing off settles them
    load_stuurgroep_work()
    load_overleg()
    return logins


@transaction.atomic
def _load_areas_and_people() -> list[DemoLogin]:
    for name, kind, description in SMEDERIJEN:
        slug = name.lower().replace(" ", "-")
        Smederij.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "description": description}
        )
    for title, summary, link, link_text, position in FEATURED:
        FeaturedItem.objects.get_or_create(
            title=title,
            defaults={
                "summary": summary,
                "link": link,
                "link_text": link_text,
                "position": position,
            },
        )
    smederijen = {s.slug: s for s in Smederij.objects.all()}
    return load_people(smederijen)
