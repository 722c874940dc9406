"""The ideeformulier in Dutch, the site's first language: errors in plain Dutch (B1, "je").

These tests pass once the Dutch catalogue (locale/nl) has the texts of ideas/forms.py and is
compiled. The expected texts below are the Dutch the site should show; if the translator chose
other, equally plain words, change them here together with the catalogue.
"""

import pytest
from django.urls import reverse

from tests.ideas.conftest import assert_error_next_to, give_session_concept, step_url
from tests.ideas.factories import IdeaFactory, in_days
from tests.ideas.test_form_validation import step_data

pytestmark = pytest.mark.django_db

# (step, what the resident changes (None: leaves it out), field id, Dutch error, English source)
CASES = [
    ("idee", {"title": ""}, "id_title", "Geef je idee een naam.", "Give your idea a name."),
    (
        "plek",
        {"location": ""},
        "id_location",
        "Schrijf op waar je idee plaatsvindt.",
        "Write where your idea takes place.",
    ),
    (
        "geld",
        {"start_date": in_days(60).isoformat(), "end_date": in_days(30).isoformat()},
        "id_end_date",
        "Het einde kan niet vóór het begin zijn.",
        "The end cannot be before the start.",
    ),
    (
        "contact",
        {"contact_email": "rita@"},
        "id_contact_email",
        "Vul een e-mailadres in zoals naam@voorbeeld.nl.",
        "Fill in an e-mail address like name@example.nl.",
    ),
    (
        "versturen",
        {"accepted_conditions": None},
        "id_accepted_conditions",
        "Vink dit vakje aan om je idee te versturen.",
        "Tick this box to send your idea.",
    ),
]


@pytest.fixture
def concept(client, people):
    idea = IdeaFactory(smederij=people["krakeel"], submitted_by=None)
    give_session_concept(client, idea)
    return idea


@pytest.mark.parametrize(
    "step, changes, field_id, dutch, english", CASES, ids=[row[2] for row in CASES]
)
def test_the_dutch_page_shows_the_error_in_plain_dutch(
    client, concept, people, step, changes, field_id, dutch, english
):
    data = step_data(step, people["krakeel"])
    for name, value in changes.items():
        if value is None:
            data.pop(name)
        else:
            data[name] = value

    response = client.post(step_url(concept, step), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert "<title>Fout:" in html
    assert_error_next_to(html, field_id, dutch)
    assert english not in html


def test_searching_in_dutch_finds_the_conditions_page(client):
    response = client.get(reverse("ideas:search"), {"q": "voorwaarden"})
    assert "/ideeen/voorwaarden/" in [page["url"] for page in response.context["pages"]]
