"""The werkvoorraad, the review page and the report are kept per session
(smederijen/pagecache.py ``for_this_session``): quick to open again, never another person's, out
of date after any change, in the audit trail once per opening of new data, gone after an
erasure."""

import pytest
from django.test import Client
from django.urls import reverse

from ideas.privacy import erase_account
from smederijen import pagecache
from smederijen.models import AuditEvent
from tests.ideas import test_review_pages
from tests.ideas.test_review_pages import review_url

pytestmark = pytest.mark.django_db

world = test_review_pages.world  # the fixture: Olga's ideas in Krakeel, and the people


@pytest.fixture(autouse=True)
def keep_pages(settings):
    settings.PAGE_CACHE_SECONDS = 300


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_review_page_opens_again_from_the_cache_and_each_opening_of_new_data_is_audited(
    world, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    member = world["people"]["users"]["wijkteam_a"]
    idea = world["ideas"]["taken"]
    client = signed_in(member)
    url = review_url(idea)
    views = AuditEvent.objects.filter(actor=member, kind=AuditEvent.Kind.VIEW)
    assert client.get(url).status_code == 200
    assert views.count() == 1
    # Opened again: the same data for the same person, in the same session. The session (from
    # the sessions cache, in memory here), the user, the kept page; no new audit row.
    with django_assert_max_num_queries(2):
        again = client.get(url)
    assert again.content.decode().count("Picknicktafels bij de vijver") >= 1
    assert views.count() == 1
    # Something changed: the page is made again, and that opening is a row of its own.
    with django_capture_on_commit_callbacks(execute=True):
        idea.contact_phone = "06 98765432"
        idea.save(update_fields=["contact_phone"])
    assert "06 98765432" in client.get(url).content.decode()
    assert views.count() == 2
    # Signed in again (a new session): a row of its own too.
    assert signed_in(member).get(url).status_code == 200
    assert views.count() == 3
    assert {(v.action, v.object_id, v.smederij_id) for v in views} == {
        ("contact_details", str(idea.pk), idea.smederij_id)
    }


def test_a_kept_page_is_never_given_to_another_person(world):
    url = review_url(world["ideas"]["taken"])
    assert signed_in(world["people"]["users"]["wijkteam_a"]).get(url).status_code == 200
    assert signed_in(world["people"]["users"]["wijkteam_b"]).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_a_note_shows_at_once_after_it_is_saved(world):
    client = signed_in(world["people"]["users"]["wijkteam_a"])
    url = review_url(world["ideas"]["taken"])
    client.get(url)
    client.post(url, {"add_note": "1", "note": "Gebeld met de school over de plek."})
    assert "Gebeld met de school over de plek." in client.get(url).content.decode()


def test_the_werkvoorraad_counts_a_new_idea_at_once(world, django_capture_on_commit_callbacks):
    from tests.ideas.factories import submitted_idea

    client = signed_in(world["people"]["users"]["wijkteam_a"])
    url = reverse("ideas:review-queue")
    assert "Zandbak op het plein" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        submitted_idea(smederij=world["people"]["krakeel"], title="Zandbak op het plein")
    assert "Zandbak op het plein" in client.get(url).content.decode()


def test_an_erasure_leaves_no_kept_page_behind(world, django_capture_on_commit_callbacks):
    client = signed_in(world["people"]["users"]["wijkteam_a"])
    client.get(review_url(world["ideas"]["taken"]))
    assert any(key.startswith(":1:own:") for key in pagecache._cache()._cache)
    owner = world["ideas"]["taken"].submitted_by
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(user=owner)
    assert not any(key.startswith(":1:own:") for key in pagecache._cache()._cache)
