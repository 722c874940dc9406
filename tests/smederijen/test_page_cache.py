"""Public pages are kept for visitors without an account (smederijen/pagecache.py): fast for
everyone, never out of date after a change, never someone else's token or session."""

import gzip
import re
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas import services
from smederijen import pagecache
from tests.factories import SmederijFactory, UserFactory
from tests.ideas.factories import published_idea

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def keep_pages(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def idea(db):
    return published_idea(title="Bankjes bij de Vaart", smederij=SmederijFactory(slug="elim"))


def kept_answer(url, **headers):
    """The page answered from the kept pages: not made again. No query at all, but on a page with
    idea cards the one that reads their current numbers of supporters (the holes)."""
    with CaptureQueriesContext(connection) as made:
        response = Client().get(url, **headers)
    assert response.status_code == 200, url
    assert len(made) <= 1, (url, [query["sql"] for query in made])
    if made:
        assert "ideas_support" in made[0]["sql"], url
    return response


def test_a_second_visitor_gets_the_kept_page_without_a_query(idea, django_assert_num_queries):
    url = idea.get_absolute_url()
    first = Client().get(url)
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second.status_code == 200
    assert "Bankjes bij de Vaart" in second.content.decode()
    assert "Cookie" in second["Vary"]
    # The same page, apart from the token of the language form.
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())


def test_a_kept_list_reads_only_the_current_numbers_of_supporters(
    idea, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """One query for all cards, whatever their number, and the page is the same as made; none
    while no support was confirmed since; a confirmed support counts at once."""
    for number in range(5):
        published_idea(title=f"Idee {number}", smederij=idea.smederij)
    url = reverse("ideas:idea-list")
    first = Client().get(url)
    with django_assert_num_queries(1):
        second = Client().get(url)
    assert second.content.decode().count("0 mensen") == 6
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())
    with django_assert_num_queries(0):
        assert Client().get(url).content.decode().count("0 mensen") == 6
    with django_capture_on_commit_callbacks(execute=True):
        support = services.give_support(idea, name="An", email="an@example.org", street="Vaart")
    with django_assert_num_queries(0):  # not confirmed yet: counts for nothing
        Client().get(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_support(support)
    with django_assert_num_queries(1):
        after = Client().get(url).content.decode()
    assert after.count("0 mensen") == 5 and "1 persoon" in after


def test_every_visitor_gets_a_token_of_their_own_that_works(idea):
    url = reverse("ideas:idea-detail", kwargs={"reference": idea.reference})
    Client().get(url)  # keeps the page
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for visitor in visitors:
        page = visitor.get(url)
        tokens.append(TOKEN.search(page.content.decode()).group(1))
        assert pagecache.PLACEHOLDER not in page.content.decode()
        assert "csrftoken" in page.cookies
    assert tokens[0] != tokens[1]
    for visitor, token in zip(visitors, tokens, strict=True):
        switched = visitor.post(
            reverse("set_language"),
            {"language": "en", "next": url, "csrfmiddlewaretoken": token},
        )
        assert switched.status_code == 302
        assert "Support this idea" in visitor.get(url).content.decode()


def test_a_change_through_a_service_shows_at_once(idea, django_capture_on_commit_callbacks):
    url = reverse("ideas:idea-detail", kwargs={"reference": idea.reference})
    assert "0 mensen steunen dit idee." in Client().get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        support = services.give_support(
            idea, name="Olga", email="olga@example.org", street="Vaart 1"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_support(support)
    after = Client().get(url).content.decode()
    assert "0 mensen steunen dit idee." not in after
    assert "1 persoon steunt dit idee." in after


def test_a_new_idea_shows_in_the_list_at_once(idea, django_capture_on_commit_callbacks):
    url = reverse("ideas:idea-list")
    assert "Speeltuin Krakeel" not in Client().get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        published_idea(title="Speeltuin Krakeel", smederij=idea.smederij)
    assert "Speeltuin Krakeel" in Client().get(url).content.decode()


def stamp(scope=pagecache.SITE):
    return pagecache._cache().get(pagecache._stamp_key(scope))


def stamps(*scopes):
    return {scope: stamp(scope) for scope in (pagecache.SITE, pagecache.EVERY_IDEA, *scopes)}


def support_data(**changes) -> dict:
    return {
        "name": "Piet Jansen",
        "email": "piet@example.org",
        "street": "Vijverlaan",
        "smederij": "",
        "website": "",
        **changes,
    }


@pytest.mark.django_db(transaction=True)
def test_a_confirmed_support_makes_only_the_ideas_own_page_out_of_date_after_the_post(idea):
    """Committed for real (no test transaction around it). A support that is not confirmed yet
    shows on no public page and keeps them all; its confirmation changes the idea's own page,
    once, after the post. The lists keep their pages: the number on the idea's card is filled
    in anew for each visitor (a hole), plain and compressed."""
    own = pagecache.idea_scope(idea.reference)
    area = pagecache.area_scope("elim")
    lists = [
        reverse("ideas:idea-list"),
        reverse("ideas:idea-list") + "?smederij=elim",
        reverse("ideas:search") + "?q=bankjes",
    ]
    for url in [*lists, idea.get_absolute_url()]:
        Client().get(url)
    before = stamps(own, area)
    support_url = reverse("ideas:idea-support", kwargs={"reference": idea.reference})
    response = Client().post(support_url, support_data())
    assert response.status_code == 302
    support = idea.supports.get()
    assert stamps(own, area) == before  # not confirmed: no public page changed
    confirmed = Client().post(reverse("ideas:support-confirm", kwargs={"token": support.token}))
    assert confirmed.status_code == 302
    after = stamps(own, area)
    assert after[own] != before[own]
    assert {s: v for s, v in after.items() if s != own} == {
        s: v for s, v in before.items() if s != own
    }
    assert "1 persoon steunt dit idee." in Client().get(idea.get_absolute_url()).content.decode()
    for url in lists:
        assert "1 persoon" in kept_answer(url).content.decode(), url
        packed = kept_answer(url, HTTP_ACCEPT_ENCODING="gzip")
        assert "1 persoon" in gzip.decompress(packed.content).decode(), url


def test_a_paper_list_changes_the_ideas_page_and_only_the_number_on_the_lists(
    idea, django_capture_on_commit_callbacks
):
    """Signatures on paper add to the number like a confirmed support: the idea's own page is
    made again, the lists keep their pages and show the new number."""
    own = pagecache.idea_scope(idea.reference)
    lists = [reverse("ideas:idea-list"), reverse("ideas:idea-list") + "?smederij=elim"]
    for url in [*lists, idea.get_absolute_url()]:
        Client().get(url)
    before = stamps(own, pagecache.area_scope("elim"))
    staff = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_paper_list(idea, actor=staff, count=12, note="Vijverlaan")
    after = stamps(own, pagecache.area_scope("elim"))
    assert after[own] != before[own]
    assert {s: v for s, v in after.items() if s != own} == {
        s: v for s, v in before.items() if s != own
    }
    assert "12 mensen steunen dit idee." in Client().get(idea.get_absolute_url()).content.decode()
    for url in lists:
        assert "12 mensen" in kept_answer(url).content.decode(), url


def test_a_hole_cannot_be_made_by_a_visitor(idea):
    """What a visitor types is escaped: a search for a hole's marker finds nothing to fill."""
    url = reverse("ideas:search") + "?q=" + quote(f"<!--hole:supporters:{idea.pk}-->x<!--/hole-->")
    Client().get(url)
    page = kept_answer(url).content.decode()
    assert "&lt;!--hole:supporters" in page
    assert "<!--hole:supporters" not in page.split("<main", 1)[1].split("</form>", 1)[0]


@pytest.mark.django_db(transaction=True)
def test_a_bulk_update_in_a_service_makes_kept_pages_out_of_date(idea):
    """A bulk update sends no signal; the service says so itself (``bump_after_commit``)."""
    url = reverse("ideas:idea-list")
    Client().get(url)
    version = stamp()
    pagecache.bump_after_commit()  # outside a post and a transaction: at once
    assert stamp() != version
    with CaptureQueriesContext(connection) as made:
        Client().get(url)
    assert len(made) > 1  # made again from the database, not read from the cache


def test_a_change_to_one_idea_leaves_another_areas_kept_pages(
    idea, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """An idea in Elim gets a new title: its page, Elim's list and the lists of every idea are
    made again; the page of an idea in Krakeel, the list of Krakeel and the pages without ideas
    stay kept."""
    other = published_idea(title="Speeltuin Krakeel", smederij=SmederijFactory(slug="krakeel"))
    kept = [
        other.get_absolute_url(),
        reverse("ideas:idea-list") + "?smederij=krakeel",
        reverse("smederijen:home"),
        reverse("teams:team-list"),
    ]
    changed = [
        idea.get_absolute_url(),
        reverse("ideas:idea-list") + "?smederij=elim",
        reverse("ideas:idea-list"),
        reverse("ideas:search") + "?q=bankjes",
    ]
    for url in kept + changed:
        assert Client().get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        idea.title = "Bankjes en bloemen bij de Vaart"
        idea.save(update_fields=["title"])
    for url in kept:
        kept_answer(url)
    for url in changed:
        page = Client().get(url).content.decode()
        assert "Bankjes en bloemen bij de Vaart" in page, url


def test_a_wrong_filter_shows_every_idea_and_is_never_out_of_date(
    idea, django_capture_on_commit_callbacks
):
    """A list with an area that does not exist shows every idea with an error: it is not kept
    under that area's stamp, so a new idea elsewhere shows on it at once."""
    url = reverse("ideas:idea-list") + "?smederij=bestaat-niet"
    first = Client().get(url).content.decode()
    assert "Bankjes bij de Vaart" in first
    with django_capture_on_commit_callbacks(execute=True):
        published_idea(title="Speeltuin Krakeel", smederij=SmederijFactory(slug="krakeel"))
    again = Client().get(url).content.decode()
    assert "Speeltuin Krakeel" in again


def test_posts_that_change_nothing_keep_every_kept_page(idea, django_assert_num_queries):
    """An invalid form, a language switch, a contact message (only mail): nothing a page shows
    has changed, so no visitor can empty the cache by posting."""
    pages = [
        reverse("ideas:idea-list"),
        reverse("ideas:idea-detail", kwargs={"reference": idea.reference}),
    ]
    for url in pages:
        Client().get(url)
    version = stamps()
    visitor = Client()
    support_url = reverse("ideas:idea-support", kwargs={"reference": idea.reference})
    invalid_support = visitor.post(support_url, support_data(name="", email="geen-adres"))
    assert invalid_support.status_code == 200
    invalid_contact = visitor.post(reverse("smederijen:contact"), {"name": "", "email": "x"})
    assert invalid_contact.status_code == 200
    switched = visitor.post(reverse("set_language"), {"language": "en", "next": pages[0]})
    assert switched.status_code == 302
    assert idea.supports.count() == 0
    assert stamps() == version
    for url in pages:
        kept_answer(url)


@pytest.mark.django_db(transaction=True)
def test_a_rate_limited_support_keeps_every_kept_page(idea, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "support_idea": "1/h/ip"}
    support_url = reverse("ideas:idea-support", kwargs={"reference": idea.reference})
    visitor = Client()
    assert visitor.post(support_url, support_data()).status_code == 302
    Client().get(reverse("ideas:idea-list"))
    version = stamps(pagecache.idea_scope(idea.reference))
    refused = visitor.post(support_url, support_data(email="nog.een@example.org"))
    assert refused.status_code == 302
    assert idea.supports.count() == 1
    assert stamps(pagecache.idea_scope(idea.reference)) == version


def test_a_refused_post_leaves_the_kept_pages(idea):
    """A post without a valid token changes nothing; a flood of them must not empty the cache."""
    Client().get(reverse("ideas:idea-list"))
    version = stamps()
    refused = Client(enforce_csrf_checks=True).post(reverse("set_language"), {"language": "en"})
    assert refused.status_code == 403
    assert stamps() == version


def test_signed_in_people_never_get_the_visitors_page(client, idea):
    url = reverse("ideas:idea-list")
    Client().get(url)
    client.force_login(UserFactory(first_name="Kees"))
    page = client.get(url).content.decode()
    assert "Mijn ideeën" in page
    assert "Inloggen" not in page
    # ... and their page is not kept for the visitors after them.
    assert "Mijn ideeën" not in Client().get(url).content.decode()


def test_each_language_has_its_own_page(idea):
    url = reverse("ideas:idea-list")
    assert "Ideeën" in Client().get(url).content.decode()
    english = Client()
    english.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = english.get(url).content.decode()
    assert 'lang="en"' in page
    assert "Ideas" in page


def test_a_message_waiting_for_a_visitor_is_shown(idea):
    """A visitor who just did something sees the message about it, not the kept page."""
    url = reverse("ideas:idea-detail", kwargs={"reference": idea.reference})
    Client().get(url)
    visitor = Client()
    response = visitor.post(
        reverse("ideas:idea-support", kwargs={"reference": idea.reference}),
        {"name": "Olga", "email": "olga@example.org", "street": "Vaart 1"},
        follow=True,
    )
    assert response.status_code == 200
    support = idea.supports.get()
    confirmed = visitor.post(reverse("ideas:support-confirm", kwargs={"token": support.token}))
    assert confirmed.url == url
    assert "Dank je wel!" not in Client().get(url).content.decode()  # kept again, for others
    assert "Dank je wel! Je steun telt nu mee." in visitor.get(url).content.decode()


def test_off_when_the_setting_is_zero(settings, idea, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("ideas:idea-list")
    Client().get(url)
    assert not stamp()


def test_a_long_address_is_kept_in_the_shared_table_too(settings, idea, django_assert_num_queries):
    """The production cache is a database table whose keys are at most 255 characters."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "smederijen.cache.SharedTableCache",
            "LOCATION": "smederijen_page_cache",
        },
    }
    url = reverse("ideas:search") + "?q=" + "bankjes+" * 25 + "&" + "x=vaart&" * 100
    first = Client().get(url)
    # The stamps and the kept page, read together; the numbers of supporters of its cards.
    with django_assert_num_queries(2):
        again = Client().get(url)
    assert first.status_code == again.status_code == 200
    assert TOKEN.sub("", again.content.decode()) == TOKEN.sub("", first.content.decode())


@pytest.mark.django_db(transaction=True)
def test_a_wijkoverleg_keeps_the_kept_pages_until_its_minutes_reach_an_idea(idea):
    """Planning, changing and recording a wijkoverleg show on no kept page (the area's pages that
    show it are made per visit): every stamp stays. Its final minutes put a line in the idea's
    history, which makes the idea's own page out of date and no other area's."""
    from datetime import timedelta

    from django.utils import timezone

    chair = UserFactory(is_staff=True, is_superuser=True)
    own, area = pagecache.idea_scope(idea.reference), pagecache.area_scope("elim")
    other = pagecache.area_scope("krakeel")
    Client().get(idea.get_absolute_url())
    before = stamps(own, area, other)
    now = timezone.now()
    overleg = services.plan_overleg(
        actor=chair,
        smederijen=[idea.smederij],
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=1),
        place="Dorpshuis Elim",
        ideas=[idea],
        points=["Rondvraag"],
    )
    services.add_point(overleg, actor=chair, title="Dorpsfeest")
    overleg = services.start_minutes(overleg, actor=chair)
    item = overleg.items.get(idea=idea)
    services.record_item(item, actor=chair, public_summary="Iedereen is voor.")
    assert stamps(own, area, other) == before
    kept_answer(idea.get_absolute_url())
    services.close_minutes(overleg, actor=chair)
    after = stamps(own, area, other)
    assert after[own] != before[own] and after[other] == before[other]
    assert "Iedereen is voor." in Client().get(idea.get_absolute_url()).content.decode()
