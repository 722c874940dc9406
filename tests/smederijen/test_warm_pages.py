"""`manage.py warm_pages` (issue 19): after a deploy every public page is visited once over HTTP,
so the first visitors get kept pages (smederijen/pagecache.py) instead of making them."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import recreate_migration_data
from tests.factories import SmederijFactory
from tests.ideas.factories import published_idea


@pytest.fixture
def site(transactional_db, settings):
    recreate_migration_data()
    settings.PAGE_CACHE_SECONDS = 300
    area = SmederijFactory(name="Elim", slug="elim")
    return [published_idea(title=f"Bankjes {n}", smederij=area) for n in range(3)]


def test_every_public_page_is_kept_after_the_warm_up(
    live_server, site, django_assert_max_num_queries
):
    out = io.StringIO()
    call_command("warm_pages", "--url", live_server.url, "--workers", "2", stdout=out)
    kept, _, total = out.getvalue().split(" pages kept")[0].partition(" of ")
    assert int(kept) == int(total) >= 3 + 7, out.getvalue()
    # The first visitor of an idea page, of the list and of the area's list gets the kept page
    # (a list reads at most the current numbers of supporters of its cards).
    for url, queries in [
        (site[0].get_absolute_url(), 0),
        ("/ideeen/?pagina=1", 1),
        ("/ideeen/?smederij=elim", 1),
    ]:
        with django_assert_max_num_queries(queries):
            response = Client().get(url)
        assert response.status_code == 200, url
