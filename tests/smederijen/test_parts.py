"""Parts of pages kept by the version of what they show (smederijen/parts.py): an idea's content,
the choices and the number of ideas of the list, the pages a search finds. Made once, used for
every visitor (signed in or not, with the page cache off), made anew after a committed change of
what they show, never because something else changed."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgets.services import ledger
from ideas import services
from ideas.models import BudgetLine, Idea
from smederijen import parts
from tests.factories import (
    FeaturedItemFactory,
    SmederijFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)
from tests.ideas.factories import published_idea

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_parts(settings):
    settings.PART_SECONDS = 300
    parts.forget_all()
    yield
    parts.forget_all()


@pytest.fixture
def idea(db):
    return published_idea(
        title="Bankjes bij de Vaart",
        description="Drie bankjes langs het water.",
        smederij=SmederijFactory(slug="elim", name="Elim"),
    )


def queries(url, client=None):
    with CaptureQueriesContext(connection) as made:
        response = (client or Client()).get(url)
    assert response.status_code == 200, url
    return response.content.decode(), [query["sql"] for query in made]


def test_an_ideas_page_is_made_once_per_version_and_a_confirmed_support_counts_at_once(
    idea, django_capture_on_commit_callbacks
):
    url = idea.get_absolute_url()
    first, made = queries(url)
    second, kept = queries(url)
    # At most the stamps: neither the idea with its number nor the rows of its content (budget,
    # files, history, decisions, milestones) are read again.
    assert len(kept) <= 1 < len(made), kept
    assert not any("ideas_" in sql for sql in kept), kept
    assert "Drie bankjes langs het water." in second
    assert "0 mensen steunen dit idee." in second
    with django_capture_on_commit_callbacks(execute=True):
        support = services.give_support(idea, name="Olga", email="olga@example.org", street="Vaart")
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_support(support)
    after, _ = queries(url)
    assert "1 persoon steunt dit idee." in after


def test_a_committed_change_of_the_idea_or_one_of_its_rows_shows_at_once(
    idea, django_capture_on_commit_callbacks
):
    url = idea.get_absolute_url()
    queries(url)
    with django_capture_on_commit_callbacks(execute=True):
        idea.description = "Vier bankjes, ook bij de school."
        idea.save()
    page, _ = queries(url)
    assert "Vier bankjes, ook bij de school." in page
    assert "Drie bankjes" not in page
    with django_capture_on_commit_callbacks(execute=True):
        BudgetLine.objects.create(idea=idea, item="Bankje van eikenhout", amount=Decimal("450"))
    page, _ = queries(url)
    assert "Bankje van eikenhout" in page
    with django_capture_on_commit_callbacks(execute=True):
        services.set_published(idea, actor=UserFactory(is_superuser=True), published=False)
    assert Client().get(url).status_code == 404


def test_a_change_not_yet_committed_is_not_kept_as_the_new_version(idea):
    """Inside a transaction that is not committed (as in a view that fails later) the stamp
    stays: no visitor gets a part made of rows that may still be rolled back as current."""
    url = idea.get_absolute_url()
    queries(url)
    idea.description = "Nog niet bewaard."
    idea.save()
    page, _ = queries(url)
    assert "Nog niet bewaard." not in page


def test_a_change_of_another_idea_keeps_the_content(idea, django_capture_on_commit_callbacks):
    other = published_idea(title="Speeltuin Krakeel", smederij=SmederijFactory(slug="krakeel"))
    url = idea.get_absolute_url()
    queries(url)
    with django_capture_on_commit_callbacks(execute=True):
        other.description = "Een klimrek erbij."
        other.save()
    page, kept = queries(url)
    assert len(kept) <= 3, kept
    assert "Drie bankjes langs het water." in page


def test_signed_in_people_and_a_form_with_errors_get_the_same_content(client, idea):
    url = idea.get_absolute_url()
    visitor, _ = queries(url)
    client.force_login(UserFactory())
    signed_in, kept = queries(url, client)
    assert "Drie bankjes langs het water." in signed_in
    assert not any("ideas_statuschange" in sql for sql in kept)
    wrong = client.post(
        reverse("ideas:idea-support", kwargs={"reference": idea.reference}),
        {"name": "", "email": "geen adres", "street": "", "smederij": "", "website": ""},
    )
    page = wrong.content.decode()
    assert wrong.status_code == 200
    assert "Drie bankjes langs het water." in page
    assert 'aria-invalid="true"' in page


def test_the_list_counts_again_once_a_new_idea_is_published(
    idea, django_capture_on_commit_callbacks
):
    url = reverse("ideas:idea-list")
    page, _ = queries(url)
    assert "1 idee" in page
    page, kept = queries(url)
    assert not any("COUNT(*)" in sql for sql in kept)
    with django_capture_on_commit_callbacks(execute=True):
        published_idea(title="Speeltuin Krakeel", smederij=idea.smederij)
    page, _ = queries(url)
    assert "2 ideeën" in page
    assert "Speeltuin Krakeel" in page
    filtered, _ = queries(f"{url}?smederij=elim")
    assert "2 ideeën gevonden" in filtered


def test_a_new_area_is_a_choice_of_the_list_at_once(idea, django_capture_on_commit_callbacks):
    url = reverse("ideas:idea-list")
    queries(url)
    with django_capture_on_commit_callbacks(execute=True):
        SmederijFactory(slug="de-wieke", name="De Wieke")
    page, _ = queries(url)
    assert '<option value="de-wieke">De Wieke</option>' in page
    page, _ = queries(f"{url}?smederij=de-wieke")
    assert "0 ideeën gevonden" in page


def test_a_search_finds_a_new_area_at_once(idea, django_capture_on_commit_callbacks):
    url = reverse("ideas:search") + "?q=wieke"
    page, _ = queries(url)
    assert "Smederij De Wieke" not in page
    with django_capture_on_commit_callbacks(execute=True):
        SmederijFactory(slug="de-wieke", name="De Wieke")
    page, _ = queries(url)
    assert "Smederij De Wieke" in page


def test_nothing_is_kept_when_the_setting_is_zero(settings, idea):
    settings.PART_SECONDS = 0
    url = idea.get_absolute_url()
    _, made = queries(url)
    _, again = queries(url)
    assert len(again) == len(made)


def test_a_new_team_member_and_a_new_featured_item_show_at_once(
    django_capture_on_commit_callbacks,
):
    team = TeamFactory(name="Wijkteam Krakeel", slug="krakeel")
    url = reverse("teams:team-detail", kwargs={"slug": "krakeel"})
    page, _ = queries(url)
    _, kept = queries(url)
    assert len(kept) <= 1, kept  # the stamp; not the team, its areas or its members
    with django_capture_on_commit_callbacks(execute=True):
        TeamMemberFactory(team=team, name="Ria de Boer")
    page, _ = queries(url)
    assert "Ria de Boer" in page
    assert Client().get(reverse("teams:team-detail", kwargs={"slug": "weg"})).status_code == 404
    home, _ = queries(reverse("smederijen:home"))
    assert "Dorpshuis Elim" not in home
    with django_capture_on_commit_callbacks(execute=True):
        FeaturedItemFactory(title="Dorpshuis Elim", link="/smederijen/elim/")
    home, _ = queries(reverse("smederijen:home"))
    assert "Dorpshuis Elim" in home


def test_the_money_page_counts_again_after_a_top_up(idea, django_capture_on_commit_callbacks):
    """The budgets and what went to ideas: made again once a budget changes (the site's stamp)."""
    office = UserFactory(is_superuser=True, is_staff=True)
    year = timezone.localdate().year
    url = reverse("budgets:transparency")
    with django_capture_on_commit_callbacks(execute=True):
        budget = ledger.open_budget(idea.smederij, year, Decimal("5000"), actor=office)
    page, _ = queries(url)
    assert "5.000" in page
    with django_capture_on_commit_callbacks(execute=True):
        ledger.top_up(budget, Decimal("2500"), actor=office, reason="Extra van de gemeente")
    page, _ = queries(url)
    assert "7.500" in page


@pytest.mark.parametrize("kept", [True, False])
def test_deep_pages_show_every_idea_once_in_order(settings, kept):
    """Pages after the first are read from where they start (``_starts``), kept by the version
    of the ideas: together the pages show every idea once, newest first, also ideas sent at the
    same moment."""
    if not kept:
        settings.PART_SECONDS = 0
    area = SmederijFactory(slug="elim")
    made = [published_idea(title=f"Idee nummer {n:02d}", smederij=area) for n in range(45)]
    same = timezone.now() - timedelta(days=3)
    Idea.objects.filter(pk__in=[i.pk for i in made[18:23]]).update(submitted_at=same)
    expected = [
        i.title
        for i in Idea.objects.filter(pk__in=[i.pk for i in made]).order_by("-submitted_at", "-pk")
    ]
    shown = []
    for number in (1, 2, 3):
        page, _ = queries(reverse("ideas:idea-list") + f"?pagina={number}")
        shown += re.findall(r"Idee nummer \d\d", page)
    assert shown == expected
    last, _ = queries(reverse("ideas:idea-list") + "?smederij=elim&pagina=3")
    assert re.findall(r"Idee nummer \d\d", last) == expected[40:]


def test_many_different_searches_never_push_out_an_ideas_content(idea, monkeypatch):
    """Anyone can type a search or an address: what searches find and the cards of the pages of
    the list are kept apart from the ideas' content."""
    monkeypatch.setattr(parts.SEARCHES, "size", 3)
    monkeypatch.setattr(parts.RESULTS, "size", 3)
    url = idea.get_absolute_url()
    queries(url)
    for word in ("bankjes", "vaart", "water", "speeltuin", "elim", "bloemen"):
        queries(reverse("ideas:search") + f"?q={word}")
        queries(reverse("ideas:idea-list") + f"?{word}=1")
    assert len(parts.RESULTS._parts) == 3
    _, kept = queries(url)
    assert not any("ideas_statuschange" in sql for sql in kept), kept


def test_a_filter_that_is_not_there_shows_its_error_and_is_never_kept(idea):
    for garbage in ("smederij=nergens", "year=twintig", "kind=%00", "status=concept"):
        html, _ = queries(f"/ideeen/?{garbage}")
        assert "Kijk de filters nog eens na" in html
    assert len(parts.FILTERS._parts) == 0
    html, _ = queries("/ideeen/?smederij=elim&pagina=1")
    assert "Bankjes bij de Vaart" in html and "Kijk de filters nog eens na" not in html
    assert 'value="elim" selected' in html
    again, _ = queries("/ideeen/?smederij=elim&pagina=1")
    assert len(parts.FILTERS._parts) == 1
    assert 'value="elim" selected' in again


def test_a_search_kept_by_version_finds_a_new_idea_and_shows_current_numbers(
    idea, django_capture_on_commit_callbacks
):
    """The ideas a search finds are kept by the version of the ideas; their cards are read each
    time: a new idea is found at once, a confirmed support counts at once, and an unpublished
    idea is gone at once."""
    url = reverse("ideas:search") + "?q=bankjes"
    page, _ = queries(url)
    assert "1 idee gevonden" in page and "0 mensen" in page
    _, kept = queries(url)
    assert not any("ts_rank" in sql or "icontains" in sql.lower() for sql in kept[1:])
    with django_capture_on_commit_callbacks(execute=True):
        other = published_idea(title="Nog meer bankjes", smederij=idea.smederij)
    with django_capture_on_commit_callbacks(execute=True):
        support = services.give_support(idea, name="An", email="an@example.org", street="Vaart")
        services.confirm_support(support)
    page, _ = queries(url)
    assert "2 ideeën gevonden" in page and "Nog meer bankjes" in page
    assert "1 persoon" in page
    with django_capture_on_commit_callbacks(execute=True):
        services.set_published(other, actor=UserFactory(is_superuser=True), published=False)
    page, _ = queries(url)
    assert "1 idee gevonden" in page and "Nog meer bankjes" not in page


def test_a_page_of_the_list_is_kept_whole_until_its_ideas_or_their_supporters_change(
    idea, django_capture_on_commit_callbacks
):
    """The cards of a page of the list (and its links to other pages) are made once per version
    of the ideas and of the numbers of supporters: kept, the page reads no idea (at most the
    versions); a support that is not confirmed yet changes nothing; a confirmed
    support or a list of signatures on paper counts at once."""
    url = reverse("ideas:idea-list")
    page, _ = queries(url)
    assert "Bankjes bij de Vaart" in page and "0 mensen" in page
    _, kept = queries(url)
    assert len(kept) <= 1 and not any("ideas_" in sql for sql in kept), kept
    with django_capture_on_commit_callbacks(execute=True):
        support = services.give_support(idea, name="An", email="an@example.org", street="Vaart")
    page, kept = queries(url)
    assert "0 mensen" in page and not any("ideas_" in sql for sql in kept), kept
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_support(support)
    page, _ = queries(url)
    assert "1 persoon" in page
    with django_capture_on_commit_callbacks(execute=True):
        services.add_paper_list(idea, actor=UserFactory(is_superuser=True), count=4)
    page, _ = queries(url)
    assert "5 mensen" in page
    filtered, _ = queries(f"{url}?smederij=elim")
    assert "5 mensen" in filtered
