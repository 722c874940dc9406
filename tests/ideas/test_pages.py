"""The public ideas pages: a fixed number of queries whatever the number of ideas, filters that
work and stay on every page, no contact details on the public page, and the conditions."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from ideas import services
from ideas.models import (
    BudgetLine,
    Condition,
    Idea,
    Kind,
    PaperSupportList,
    StatusChange,
    SubmitterKind,
    Support,
)
from ideas.workflow import Status
from smederijen.templatetags.nlds import page_links
from tests.factories import SmederijFactory
from tests.ideas.factories import ConditionFactory, IdeaFactory, move, published_idea

pytestmark = pytest.mark.django_db

# No page of ideas needs more than this, however many ideas there are.
MAX_QUERIES = 10


def bulk_published(count: int, smederij, *, first_number: int = 1, **fields) -> list[Idea]:
    """Published ideas, each with a begroting, supports (some confirmed), a paper list and a
    history, made in a few queries."""
    now = timezone.now()
    year = timezone.localdate().year
    ideas = Idea.objects.bulk_create(
        Idea(
            **{
                "status": Status.INGEDIEND,
                "is_published": True,
                "kind": Kind.KORTE_KLAP,
                "smederij": smederij,
                "location": "Het dorpsplein",
                "reach": "buurt",
                "title": f"Speeltuin nummer {number}",
                "summary": "Een plek om te spelen.",
                "description": "Klimrek en schommels.",
                "serves_ontmoeten": True,
                "support_description": "De buurt",
                "own_effort": "Wij bouwen mee.",
                "amount_requested": Decimal("500.00"),
                "submitter_kind": SubmitterKind.INWONER,
                "contact_name": "Verborgen Naam",
                "contact_email": f"verborgen{number}@example.org",
                "year": year,
                "number": number,
                "reference": f"{year}-{number:04d}",
                "submitted_at": now - timedelta(minutes=number),
                **fields,
            }
        )
        for number in range(first_number, first_number + count)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(idea=idea, item=item, amount=Decimal("250.00"), position=i)
        for idea in ideas
        for i, item in enumerate(["Schommel", "Zand"])
    )
    Support.objects.bulk_create(
        Support(
            idea=idea,
            name="Buur",
            email=f"buur{n}@example.org",
            street="Dorpsweg",
            confirmed_at=now if n < 2 else None,
        )
        for idea in ideas
        for n in range(3)
    )
    PaperSupportList.objects.bulk_create(PaperSupportList(idea=idea, count=10) for idea in ideas)
    StatusChange.objects.bulk_create(
        StatusChange(idea=idea, from_status=Status.CONCEPT, to_status=Status.INGEDIEND)
        for idea in ideas
    )
    return ideas


PAGES = [
    ("ideas:idea-list", {}),
    ("ideas:idea-list", {"smederij": "krakeel", "kind": "korte_klap", "notion": "ontmoeten"}),
    ("ideas:idea-list", {"pagina": "2"}),
    ("ideas:idea-list", {"status": "ingediend", "pagina": "2"}),
    ("ideas:search", {"q": "speeltuin"}),
    ("ideas:search", {"q": "speeltuin", "pagina": "2"}),
]


@pytest.mark.parametrize("url_name, params", PAGES, ids=[f"{p[0]} {p[1]}" for p in PAGES])
def test_list_and_search_need_no_more_queries_for_200_ideas_than_for_2(
    client, people, django_assert_max_num_queries, url_name, params
):
    bulk_published(2, people["krakeel"])
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    assert "Speeltuin nummer 1" in response.content.decode()

    bulk_published(198, people["krakeel"], first_number=3)
    # Never more with 100 times the ideas. (A search page past the last one, as page 2 of 2
    # ideas is, takes one query more than a page with results: it reads the last page.)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    # Page 2 really is a second page of 20 now.
    assert len(response.context["page"].object_list) == 20


def test_the_detail_page_needs_the_same_queries_for_2_or_200_ideas(
    client, people, django_assert_max_num_queries, django_assert_num_queries
):
    idea = bulk_published(2, people["krakeel"])[0]
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert client.get(idea.get_absolute_url()).status_code == 200

    bulk_published(198, people["krakeel"], first_number=3)
    BudgetLine.objects.bulk_create(
        BudgetLine(idea=idea, item=f"Extra {n}", amount=Decimal("1.00")) for n in range(20)
    )
    StatusChange.objects.bulk_create(
        StatusChange(idea=idea, from_status=Status.INGEDIEND, to_status=Status.INGEDIEND)
        for _ in range(20)
    )
    with django_assert_num_queries(len(few)):
        response = client.get(idea.get_absolute_url())
    assert response.context["support_total"] == 2 + 10


# Filters -----------------------------------------------------------------------------------------


@pytest.fixture
def variety(people):
    """Ideas that differ in one way each, all published."""
    krakeel, elim = people["krakeel"], people["elim"]
    team = people["users"]["wijkteam_a"]
    ideas = {
        "krakeel korte klap": published_idea(
            smederij=krakeel, title="Bankjes bij de vijver", serves_ontmoeten=True
        ),
        "elim lange klap": published_idea(
            smederij=elim,
            title="Groter dorpshuis",
            kind=Kind.LANGE_KLAP,
            serves_ontmoeten=False,
            end_date=timezone.localdate() + timedelta(days=700),
        ),
        "krakeel in behandeling": published_idea(
            smederij=krakeel, title="Nieuwe lantaarns", serves_ontmoeten=False
        ),
        "krakeel last year": published_idea(
            smederij=krakeel, title="Zomerfeest", serves_ontmoeten=False
        ),
    }
    move(ideas["krakeel in behandeling"], Status.IN_BEHANDELING, actor=team)
    last = ideas["krakeel last year"]
    Idea.objects.filter(pk=last.pk).update(year=2025, number=1, reference="2025-0001")
    return ideas


def titles(response) -> set[str]:
    assert response.status_code == 200
    return {idea.title for idea in response.context["page"].object_list}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, {"Bankjes bij de vijver", "Groter dorpshuis", "Nieuwe lantaarns", "Zomerfeest"}),
        ({"smederij": "elim"}, {"Groter dorpshuis"}),
        ({"kind": "lange_klap"}, {"Groter dorpshuis"}),
        ({"status": "in_behandeling"}, {"Nieuwe lantaarns"}),
        ({"year": "2025"}, {"Zomerfeest"}),
        ({"notion": "ontmoeten"}, {"Bankjes bij de vijver"}),
        ({"smederij": "krakeel", "kind": "korte_klap", "notion": "leefbaarheid"}, None),
    ],
)
def test_the_filters_show_only_matching_ideas(client, variety, params, expected):
    if expected is None:  # every Krakeel idea serves leefbaarheid (the factory's default)
        expected = {"Bankjes bij de vijver", "Nieuwe lantaarns", "Zomerfeest"}
    response = client.get(reverse("ideas:idea-list"), params)
    assert titles(response) == expected
    html = response.content.decode()
    for title in expected:
        assert title in html


def test_a_filter_that_makes_no_sense_shows_an_error_not_a_crash(client, variety):
    response = client.get(reverse("ideas:idea-list"), {"status": "concept"})
    assert response.status_code == 200
    assert 'id="id_status_error_1"' in response.content.decode()


def test_pages_keep_the_filters(client, people):
    bulk_published(25, people["krakeel"])
    bulk_published(5, people["elim"], first_number=100, title="Elim")

    response = client.get(reverse("ideas:idea-list"), {"smederij": "krakeel"})
    html = response.content.decode()
    next_links = re.findall(r'href="([^"]*pagina=2[^"]*)"', html)
    assert next_links and all("smederij=krakeel" in link for link in next_links)

    response = client.get(reverse("ideas:idea-list"), {"smederij": "krakeel", "pagina": "2"})
    page_two = response.context["page"].object_list
    assert len(page_two) == 5 and all(i.smederij == people["krakeel"] for i in page_two)
    assert response.context["page"].paginator.count == 25
    # The links back keep the filter too.
    back_links = re.findall(r'href="([^"]*pagina=1[^"]*)"', response.content.decode())
    assert back_links and all("smederij=krakeel" in link for link in back_links)


# What the public page shows, and what never --------------------------------------------------


@pytest.fixture
def private_details(people, owner):
    return {
        "contact_name": "Olga Eigenaar",
        "contact_email": "olga.prive@example.org",
        "contact_phone": "06 55544433",
        "contact_address": "Geheimstraat 9, Hoogeveen",
    }


@pytest.mark.parametrize("visitor", [None, "resident", "initiatiefgroep_member"])
def test_the_public_page_never_shows_contact_details(
    client, people, owner, private_details, visitor
):
    idea = published_idea(
        smederij=people["krakeel"],
        submitted_by=owner,
        name_is_public=False,
        title="Bankjes bij de vijver",
        **private_details,
    )
    services.transition(
        idea,
        Status.IN_BEHANDELING,
        actor=people["users"]["wijkteam_a"],
        public_text="We kijken ernaar.",
        internal_note="Interne notitie: bel Olga op 06 55544433.",
    )
    if visitor:
        client.force_login(people["users"][visitor])

    html = client.get(idea.get_absolute_url()).content.decode()

    assert "Bankjes bij de vijver" in html and "We kijken ernaar." in html
    for value in [*private_details.values(), owner.email, "Interne notitie", "Olga"]:
        assert value not in html, value


def test_the_name_is_shown_only_with_consent(client, people, owner, private_details):
    idea = published_idea(
        smederij=people["krakeel"], submitted_by=owner, name_is_public=True, **private_details
    )
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Olga Eigenaar" in html
    for value in ("olga.prive@example.org", "06 55544433", "Geheimstraat 9"):
        assert value not in html


def test_an_organisation_is_shown_by_its_name(client, people, owner, private_details):
    idea = published_idea(
        smederij=people["krakeel"],
        submitted_by=owner,
        submitter_kind=SubmitterKind.VERENIGING,
        organisation_name="Speeltuinvereniging De Wip",
        **private_details,
    )
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Speeltuinvereniging De Wip" in html and "Olga Eigenaar" not in html


def test_an_unpublished_idea_has_no_public_page(client, people, owner):
    idea = published_idea(smederij=people["krakeel"], submitted_by=owner, title="Verborgen plan")
    services.set_published(idea, actor=people["users"]["gebiedsregisseur"], published=False)

    assert client.get(idea.get_absolute_url()).status_code == 404
    client.force_login(owner)  # not even for its submitter (they have "My ideas")
    assert client.get(idea.get_absolute_url()).status_code == 404
    assert "Verborgen plan" not in client.get(reverse("ideas:idea-list")).content.decode()


def test_a_concept_is_never_public(client, people):
    concept = IdeaFactory(
        smederij=people["krakeel"], title="Half plan", is_published=True, reference="2026-0999"
    )
    assert client.get(reverse("ideas:idea-detail", args=[concept.reference])).status_code == 404
    assert "Half plan" not in client.get(reverse("ideas:idea-list")).content.decode()


def test_an_unknown_reference_is_not_found(client):
    assert client.get(reverse("ideas:idea-detail", args=["2026-9999"])).status_code == 404


# The conditions ----------------------------------------------------------------------------------


def test_the_conditions_page_shows_this_years_conditions_grouped_by_kind(client):
    year = timezone.localdate().year
    ConditionFactory(kind=Condition.Applies.LANGE_KLAP, title="Samen met anderen betalen")
    ConditionFactory(kind=Condition.Applies.KORTE_KLAP, title="Binnen een jaar klaar")
    ConditionFactory(kind=Condition.Applies.BOTH, title="Goed voor de buurt")
    ConditionFactory(year=year - 1, title="Oude voorwaarde")

    response = client.get(reverse("ideas:conditions"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Oude voorwaarde" not in html
    positions = [
        html.index(title)
        for title in ("Goed voor de buurt", "Binnen een jaar klaar", "Samen met anderen betalen")
    ]
    assert positions == sorted(positions)  # every idea first, then korte klap, then lange klap
    groups = response.context["groups"]
    assert [[c.title for c in conditions] for _title, conditions in groups] == [
        ["Goed voor de buurt"],
        ["Binnen een jaar klaar"],
        ["Samen met anderen betalen"],
    ]
    # Each group has its own heading.
    assert len(re.findall(r"<h2[^>]*>", html[: positions[-1]])) >= 3

    last_year = client.get(reverse("ideas:conditions"), {"jaar": year - 1}).content.decode()
    assert "Oude voorwaarde" in last_year and "Goed voor de buurt" not in last_year


def test_the_pages_of_a_long_list_are_the_first_the_last_and_two_either_side():
    """With 10,000 ideas the list has 500 pages: the links show a few, and a gap (…) between."""
    paginator = Paginator(range(10_000), 20)
    assert page_links(paginator.page(50)) == [1, None, 48, 49, 50, 51, 52, None, 500]
    assert page_links(paginator.page(1)) == [1, 2, 3, None, 500]
    assert page_links(paginator.page(4)) == [1, 2, 3, 4, 5, 6, None, 500]
    assert page_links(paginator.page(500)) == [1, None, 498, 499, 500]


def test_a_changed_idea_shows_its_new_card_in_the_list_at_once(client, settings, db):
    """The cards are made once per version of what they show (ideas/templatetags/idea_cards.py):
    a new title or a new support count is a new card, never an old one."""
    settings.PAGE_CACHE_SECONDS = 0
    idea = published_idea(title="Bankjes bij de Vaart", smederij=SmederijFactory(slug="vaart"))
    url = reverse("ideas:idea-list")
    assert "Bankjes bij de Vaart" in client.get(url).content.decode()
    idea.title = "Bankjes en bloembakken bij de Vaart"
    idea.save()
    support = services.give_support(idea, name="Olga", email="olga@example.org", street="Vaart")
    services.confirm_support(support)
    page = client.get(url).content.decode()
    assert "Bankjes en bloembakken bij de Vaart" in page
    assert "Bankjes bij de Vaart<" not in page
    assert "1 persoon" in page
