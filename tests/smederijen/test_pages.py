import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import PUBLIC_PAGES, page_url
from tests.factories import FeaturedItemFactory, SmederijFactory, UserFactory

pytestmark = pytest.mark.django_db


class AttributeCollector(HTMLParser):
    """Collects every URL-bearing attribute and inline script/style use of a page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self.style_attributes = 0
        self.event_handlers = 0
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        for name in ("href", "src", "action", "srcset", "poster", "data"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts += 1
        if "style" in attrs:
            self.style_attributes += 1
        self.event_handlers += sum(1 for name in attrs if name.startswith("on"))


def parse(response) -> AttributeCollector:
    collector = AttributeCollector()
    collector.feed(response.content.decode())
    return collector


@pytest.fixture
def pages(site_data):
    return [page_url(page) for page in PUBLIC_PAGES] + ["/bestaat-niet/"]


def test_every_page_answers_in_dutch_with_the_site_frame(client, pages):
    for url in pages:
        response = client.get(url)
        expected = 404 if url == "/bestaat-niet/" else 200
        assert response.status_code == expected, url
        html = response.content.decode()
        assert parse(response).lang == "nl", url
        assert 'href="#main"' in html and 'id="main"' in html, f"{url}: no skip link to <main>"
        assert "Direct naar de inhoud" in html, url
        assert "Over De Smederijen" in html, url
        for footer_link in ("Toegankelijkheid", "Privacy", "Contact"):
            assert footer_link in html, f"{url}: footer lacks {footer_link}"


def test_every_page_sends_strict_security_headers(client, pages):
    for url in pages:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
        )
        script_src = directives.get("script-src", directives.get("default-src"))
        assert script_src == "'self'", url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert directives["frame-ancestors"] == "'none'", url
        assert directives["object-src"] == "'none'", url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert "camera=()" in response.headers["Permissions-Policy"], url


def test_no_page_refers_to_another_host_or_runs_inline_script(client, pages):
    for url in pages:
        page = parse(client.get(url))
        for link in page.urls:
            assert not re.match(r"^(https?:)?//", link), f"{url} refers to another host: {link}"
            assert link.startswith(("/", "#", "mailto:", "tel:")) or link == "", (url, link)
        assert page.inline_scripts == 0, f"{url} has inline script"
        assert page.style_attributes == 0, f"{url} has a style attribute"
        assert page.event_handlers == 0, f"{url} has an inline event handler"


def test_home_lists_active_smederijen_by_kind_and_published_featured_items(client, site_data):
    today = timezone.localdate()
    FeaturedItemFactory(title="Verlopen bericht", publish_until=today - timedelta(days=1))
    FeaturedItemFactory(title="Nog niet zichtbaar", publish_from=today + timedelta(days=1))
    FeaturedItemFactory(title="Verborgen bericht", is_published=False)

    html = client.get("/").content.decode()

    assert "Uitgelicht" in html and "Dorpshuis Elim" in html
    for hidden in ("Verlopen bericht", "Nog niet zichtbaar", "Verborgen bericht"):
        assert hidden not in html
    assert 'href="/smederijen/krakeel/"' in html and 'href="/smederijen/elim/"' in html
    assert "/smederijen/oud/" not in html, "an inactive Smederij is shown"
    wijken, dorpen = html.index("Wijken"), html.index("Dorpen")
    assert (
        wijken
        < html.index("Krakeel", wijken)
        < dorpen
        < html.index('href="/smederijen/elim/"', dorpen)
    )


def test_smederij_page_shows_the_area_and_hides_inactive_ones(client, site_data):
    response = client.get(reverse("teams:smederij-detail", kwargs={"slug": "elim"}))
    html = response.content.decode()
    assert "Smederij Elim" in html and "Dorp aan de Vaart." in html
    assert "<title>Elim | De Smederijen Hoogeveen</title>" in html
    assert client.get("/smederijen/oud/").status_code == 404
    assert client.get("/smederijen/nergens/").status_code == 404


def test_menu_marks_the_current_page(client, site_data):
    html = client.get("/smederijen/elim/").content.decode()
    assert re.search(r'href="/smederijen/"\s+aria-current="page"', html)
    assert not re.search(r'href="/"\s+aria-current="page"', html)


def test_the_header_menu_and_footer_drawn_once_still_fit_each_page_and_person(client, site_data):
    """The fixed parts of the frame are drawn once per worker ({% kept %}): each page still marks
    its own menu item, a signed-in resident sees their own links, English stays English."""
    home = client.get("/").content.decode()
    ideas = client.get("/ideeen/").content.decode()
    assert re.search(r'href="/"\s+aria-current="page"', home)
    assert re.search(r'href="/ideeen/"\s+aria-current="page"', ideas)
    assert not re.search(r'href="/"\s+aria-current="page"', ideas)
    assert "Inloggen" in ideas and "Mijn ideeën" not in ideas

    client.force_login(UserFactory())
    signed_in = client.get("/ideeen/").content.decode()
    assert "Mijn ideeën" in signed_in and "Inloggen" not in signed_in
    assert re.search(r'href="/ideeen/"\s+aria-current="page"', signed_in)

    english = client.get("/ideeen/", headers={"accept-language": "en"}).content.decode()
    assert "Skip to main content" in english and "Where the money goes" in english
    assert "Toegankelijkheid" not in english


@pytest.mark.parametrize("count", [3, 30])
def test_query_counts_do_not_grow_with_the_number_of_smederijen(
    client, django_assert_num_queries, count
):
    SmederijFactory.create_batch(count)
    SmederijFactory(slug="elim", name="Elim", kind="dorp")
    FeaturedItemFactory.create_batch(count // 3)
    # home: Smederijen, featured items and its text kept in admin; list: Smederijen; detail: the
    # Smederij, its team (none here; with one, its kernteam is one more), its initiatiefgroepen
    # and its wijkoverleg (the next one, the ideas discussed lately).
    for url, queries in [("/", 3), ("/smederijen/", 1), ("/smederijen/elim/", 5)]:
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_text_pages_need_one_query_for_their_text_kept_in_admin(client, django_assert_num_queries):
    for url in ["/over-de-smederijen/", "/toegankelijkheid/", "/contact/"]:
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200


def test_english_is_the_second_language_and_dutch_comes_back(client, site_data):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/smederijen/"})
    assert response.status_code == 302 and response.headers["Location"] == "/smederijen/"
    html = client.get("/smederijen/").content.decode()
    assert '<html lang="en"' in html
    assert "About De Smederijen" in html and "Skip to main content" in html

    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="nl"' in html and "Over De Smederijen" in html


def test_a_browser_asking_for_english_gets_english(client, site_data):
    html = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en"' in html and "Featured" in html


def test_error_pages_have_the_site_frame(client, site_data, settings):
    response = client.get("/bestaat-niet/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Pagina niet gevonden" in html and "Over De Smederijen" in html


def test_403_and_500_pages_have_the_site_frame(rf, site_data):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    from smederijen.views import server_error

    request = rf.get("/ergens/")
    # Called directly, without the middleware that picks the language: the site's own, Dutch
    # (not whatever an earlier test in this worker left active).
    with translation.override("nl"):
        responses = [
            (permission_denied(request, PermissionDenied()), "Geen toegang"),
            (server_error(request), "Er ging iets mis"),
        ]
    for response, heading in responses:
        html = response.content.decode()
        assert heading in html and "Over De Smederijen" in html and 'id="main"' in html


def test_favicon_ico_leads_to_the_portal_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.headers["Location"].endswith("favicon.svg")
