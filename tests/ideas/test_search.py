"""Zoeken, on PostgreSQL's Dutch full-text search: words are found in their other forms, title
matches come first, only public ideas are ever found, and the site's own pages and Smederijen are
found too.

The SQLite fallback (plain word matching, for the quick start) is not tested here: the test
database is PostgreSQL and the branch is chosen by the connection's vendor.
"""

import pytest
from django.db import connection
from django.urls import reverse

from ideas import services
from ideas.models import Idea
from ideas.search import plain_search, plain_stem, search_ideas, words
from ideas.workflow import Status
from tests.ideas.factories import IdeaFactory, published_idea, submitted_idea

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_postgresql():
    assert connection.vendor == "postgresql", "the search tests need the PostgreSQL database"


def found(query: str) -> list[str]:
    return list(search_ideas(query).values_list("title", flat=True))


def search_page(client, query: str):
    response = client.get(reverse("ideas:search"), {"q": query})
    assert response.status_code == 200
    return response


def test_a_plural_finds_the_singular(people):
    published_idea(smederij=people["krakeel"], title="Nieuwe speeltuin bij de Wolfsbergen")
    published_idea(smederij=people["krakeel"], title="Buurtfeest in Zuid")

    assert found("speeltuinen") == ["Nieuwe speeltuin bij de Wolfsbergen"]


def test_a_diminutive_finds_its_plural(people):
    published_idea(smederij=people["krakeel"], title="Drie bankjes langs het kanaal")
    published_idea(smederij=people["krakeel"], title="Buurtfeest in Zuid")

    assert found("bankje") == ["Drie bankjes langs het kanaal"]


def test_a_title_match_ranks_above_a_match_in_the_description(people):
    # The description-only match is the newer one: only the ranking can put the title first.
    published_idea(
        smederij=people["krakeel"],
        title="Speeltuin aan de Vaart",
        summary="Klimrek en schommels voor de kinderen.",
        description="Een plek om te spelen.",
    )
    published_idea(
        smederij=people["krakeel"],
        title="Groen plein",
        summary="Meer bomen en bloemen.",
        description="Later komt er misschien ook een speeltuin.",
    )

    assert found("speeltuin") == ["Speeltuin aan de Vaart", "Groen plein"]


def test_only_published_ideas_are_ever_found(people, client):
    published_idea(smederij=people["krakeel"], title="Speeltuin voor iedereen")
    submitted_idea(smederij=people["krakeel"], title="Speeltuin nog niet openbaar")
    IdeaFactory(smederij=people["krakeel"], title="Speeltuin als concept")
    # Even a concept wrongly marked as published stays out of sight.
    IdeaFactory(smederij=people["krakeel"], title="Speeltuin concept openbaar", is_published=True)

    assert found("speeltuin") == ["Speeltuin voor iedereen"]
    html = search_page(client, "speeltuin").content.decode()
    assert "Speeltuin voor iedereen" in html
    for hidden in ("nog niet openbaar", "als concept", "concept openbaar"):
        assert hidden not in html


def test_a_withdrawn_published_idea_is_still_found_with_its_status(people):
    idea = published_idea(smederij=people["krakeel"], title="Speeltuin die niet doorgaat")
    services.withdraw_idea(idea, actor=idea.submitted_by)
    assert found("speeltuin") == ["Speeltuin die niet doorgaat"]
    assert search_ideas("speeltuin").get().status == Status.INGETROKKEN


def test_the_search_page_links_the_ideas_it_finds(client, people):
    idea = published_idea(smederij=people["krakeel"], title="Nieuwe speeltuin bij de Wolfsbergen")

    response = search_page(client, "speeltuinen")

    assert f'href="{idea.get_absolute_url()}"' in response.content.decode()


@pytest.mark.parametrize(
    "query, url",
    [
        ("toegankelijkheid", "/toegankelijkheid/"),
        ("privacy", "/privacy/"),
    ],
)
def test_the_search_page_finds_the_sites_own_pages(client, query, url):
    response = search_page(client, query)

    assert url in [page["url"] for page in response.context["pages"]]
    assert f'href="{url}"' in response.content.decode()


def test_the_search_page_finds_a_smederij_by_name(client, people):
    response = search_page(client, "Krakeel")

    urls = [page["url"] for page in response.context["pages"]]
    assert "/smederijen/krakeel/" in urls
    assert "/smederijen/elim/" not in urls
    assert 'href="/smederijen/krakeel/"' in response.content.decode()


def test_an_empty_search_finds_nothing_and_shows_the_form(client):
    response = search_page(client, "  ")
    assert response.context["page"] is None and response.context["pages"] == []
    assert 'name="q"' in response.content.decode()


def test_the_plain_fallback_for_sqlite_finds_plurals_and_needs_every_word(db):
    """The quick start's SQLite has no full-text search: the fallback still finds plurals."""
    assert [plain_stem(w) for w in words("Speeltuinen, bankjes en kinderen's")] == [
        "speeltuin",
        "bankje",
        "en",
        "kinder",
    ]
    match = published_idea(title="Nieuwe speeltuin", description="Met bankjes voor ouders.")
    published_idea(title="Nieuwe speeltuin", description="Zonder iets om op te zitten.")
    found = plain_search(Idea.objects.published(), words("speeltuinen bankje"))
    assert list(found) == [match]


def test_the_name_of_a_smederij_finds_its_ideas_and_narrows_the_other_words(people):
    krakeel_idea = published_idea(
        smederij=people["krakeel"], title="Moestuinbakken", description="Groente kweken."
    )
    speeltuin = published_idea(smederij=people["krakeel"], title="Nieuwe speeltuin")
    elsewhere = published_idea(smederij=people["elim"], title="Speeltuin in het dorp")
    assert set(search_ideas("krakeel")) == {krakeel_idea, speeltuin}
    assert list(search_ideas("speeltuin Krakeel")) == [speeltuin]
    assert elsewhere in search_ideas("speeltuin")
