"""Dutch dates on every staff page (issue 20, item 6): with the demo data, each staff page of the
portal, the first page one level deeper, and admin's lists and change pages, rendered in Dutch,
hold no English month name ("16 Dec 2026")."""

import io
import re

import pytest
from django.core.management import call_command

from ideas.models import Idea
from teams.models import User
from tests.smederijen.dates import assert_no_english_month

pytestmark = pytest.mark.django_db

# (who, page, the kind of link on it that leads one level deeper)
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
STAFF_PAGES = [
    ("jan.bouwmeester@example.org", "/account/mijn-werk/", None),
    ("jan.bouwmeester@example.org", "/werkvoorraad/?status=open", rf"/werkvoorraad/{UUID}/"),
    ("jan.bouwmeester@example.org", "/budgetten/", r"/budgetten/[-a-z]+/\d{4}/"),
    ("jan.bouwmeester@example.org", "/rapportage/", None),
    (
        "jan.bouwmeester@example.org",
        "/stuurgroep/vergaderingen/",
        r"/stuurgroep/vergaderingen/\d+/",
    ),
    ("ingrid.mulder@example.org", "/account/mijn-werk/", None),
    ("ingrid.mulder@example.org", "/stuurgroep/dossiers/", rf"/stuurgroep/dossiers/{UUID}/"),
    ("annette.bartels@example.org", "/beheer/", None),
    ("annette.bartels@example.org", "/beheer/ideas/idea/", r"/beheer/ideas/idea/\d+/change/"),
    (
        "annette.bartels@example.org",
        "/beheer/budgets/budget/",
        r"/beheer/budgets/budget/\d+/change/",
    ),
    ("annette.bartels@example.org", "/beheer/budgets/grant/", r"/beheer/budgets/grant/\d+/change/"),
    ("annette.bartels@example.org", "/beheer/ideas/meeting/", r"/beheer/ideas/meeting/\d+/change/"),
    ("jan.bouwmeester@example.org", "/beheer/smederijen/auditevent/", None),
]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO())
    settings.DEBUG = False


def test_staff_pages_in_dutch_have_no_english_month(client, demo):
    seen = 0
    for email, url, deeper in STAFF_PAGES:
        client.force_login(User.objects.get(email=email))
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_no_english_month(html)
        seen += 1
        if deeper:
            found = re.search(f'href="({deeper})"', html)
            assert found, f"no link to follow on {url}"
            response = client.get(found.group(1))
            assert response.status_code == 200, found.group(1)
            assert_no_english_month(response.content.decode())
            seen += 1
    # And the review page of every idea of an area, in every status the demo has.
    client.force_login(User.objects.get(email="jan.bouwmeester@example.org"))
    for idea in Idea.objects.submitted().filter(
        smederij__gebiedsregisseur__email="jan.bouwmeester@example.org"
    ):
        response = client.get(f"/werkvoorraad/{idea.public_id}/")
        assert response.status_code == 200
        assert_no_english_month(response.content.decode())
        seen += 1
    assert seen > 25
