"""The ideeformulier refuses wrong input the same way on every step, as a table.

Each row is one kind of bad input. The browser posts the step as it would; the page comes back
with the error next to the field (and the field pointing to it), everything else that was typed
still filled in, and nothing of the step stored. The texts are the English source texts of
ideas/forms.py (the visitor chose English), so the table does not depend on the catalogue;
tests/ideas/test_dutch_errors.py checks the Dutch page.
"""

import html as html_lib
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ideas import services
from ideas.models import Attachment, BudgetLine, Idea
from ideas.uploads import check_upload
from ideas.workflow import Status
from tests.ideas.conftest import (
    assert_error_next_to,
    budget_data,
    give_session_concept,
    step_url,
)
from tests.ideas.factories import IdeaFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def concept(english, people):
    """A concept this (English-speaking, not signed-in) browser started, all questions answered
    except the consent boxes."""
    idea = IdeaFactory(
        smederij=people["krakeel"],
        submitted_by=None,
        contact_email="rita@example.org",
        accepted_conditions=False,
        accepted_privacy=False,
    )
    give_session_concept(english, idea)
    return idea


def step_data(step: str, krakeel) -> dict:
    """What a resident types on each step when everything is right."""
    return {
        "plek": {
            "kind": "korte_klap",
            "smederij": str(krakeel.pk),
            "location": "Speelveld aan de Vijverlaan",
            "reach": "buurt",
            "target_group": "Kinderen tot 12 jaar",
        },
        "idee": {
            "title": "Picknicktafels bij de vijver",
            "summary": "Twee tafels om samen te eten.",
            "description": "Bij de vijver kun je nergens zitten. Aan tafels ontmoet je je buren.",
            "notions": ["leefbaarheid", "ontmoeten"],
            "notions_explanation": "Buren komen elkaar tegen aan de tafel.",
        },
        "draagvlak": {
            "support_description": "De bewoners van de Vijverlaan",
            "supporters_estimate": "25",
            "neighbours_involvement": "We gingen langs de deuren.",
            "own_effort": "We verven de tafels zelf.",
        },
        "geld": {
            "amount_requested": "1.234,50",
            "own_contribution": "100",
            "other_funding": "0",
            "other_funding_note": "",
            "start_date": in_days(30).isoformat(),
            "end_date": in_days(120).isoformat(),
            **budget_data(
                [("Twee picknicktafels", "1.000,00"), ("Verf en kwasten", "234,50")], initial=2
            ),
        },
        "contact": {
            "submitter_kind": "inwoner",
            "organisation_name": "",
            "contact_name": "Rita de Vries",
            "contact_email": "rita@example.org",
            "contact_phone": "06 11122233",
            "contact_address": "Vijverlaan 3, Hoogeveen",
            "name_is_public": "on",
        },
        "versturen": {"accepted_conditions": "on", "accepted_privacy": "on", "website": ""},
    }[step]


def stored(idea) -> tuple:
    """Everything of the idea in the database: the row, its begroting and its files."""
    row = Idea.objects.filter(pk=idea.pk).values().get()
    lines = list(BudgetLine.objects.filter(idea=idea).values_list("item", "amount", "position"))
    return row, lines, Attachment.objects.filter(idea=idea).count()


def shows_typed(html: str, name: str, value: str) -> bool:
    """Whether the re-rendered form still holds ``value`` in the field called ``name``."""
    escaped = html_lib.escape(value, quote=True)
    tags = re.findall(rf'<(?:input|textarea|select)\b[^>]*\sname="{re.escape(name)}"[^>]*>', html)
    for tag in tags:
        if re.search(r'type="(radio|checkbox)"', tag):
            if f'value="{escaped}"' in tag and re.search(r"\schecked\b", tag):
                return True
            if value == "on" and 'value="' not in tag and re.search(r"\schecked\b", tag):
                return True
        elif tag.startswith("<textarea"):
            rest = html[html.index(tag) + len(tag) :]
            if escaped in rest[: rest.index("</textarea>")]:
                return True
        elif tag.startswith("<select"):
            rest = html[html.index(tag) + len(tag) :]
            options = rest[: rest.index("</select>")]
            if re.search(rf'<option value="{re.escape(escaped)}"[^>]*\sselected\b', options):
                return True
        elif f'value="{escaped}"' in tag:
            return True
    return False


def typed_values(data: dict, left_out: set[str]) -> list[tuple[str, str]]:
    values = []
    for name, value in data.items():
        if name in left_out or name.endswith("_FORMS") or name == "website":
            continue
        for one in value if isinstance(value, list) else [value]:
            if one:
                values.append((name, one))
    return values


TOO_LONG_TITLE = "Speeltuin " * 12 + "x"  # 121 characters
TOO_LONG_SUMMARY = "Een mooie speeltuin. " * 14 + "Fijn!!!"  # 301 characters
assert len(TOO_LONG_TITLE) == 121 and len(TOO_LONG_SUMMARY) == 301

# (case, step, what the resident changes (None: leaves it out), field id, English error)
CASES = [
    ("kind missing", "plek", {"kind": None}, "id_kind", "Choose korte klap or lange klap."),
    ("smederij missing", "plek", {"smederij": ""}, "id_smederij", "Choose your wijk or dorp."),
    ("place missing", "plek", {"location": ""}, "id_location", "Write where your idea takes place"),
    ("reach missing", "plek", {"reach": None}, "id_reach", "Choose who in the area it is for."),
    ("title missing", "idee", {"title": ""}, "id_title", "Give your idea a name."),
    (
        "title too long",
        "idee",
        {"title": TOO_LONG_TITLE},
        "id_title",
        "Use at most 120 characters (you used 121).",
    ),
    (
        "summary too long",
        "idee",
        {"summary": TOO_LONG_SUMMARY},
        "id_summary",
        "Use at most 300 characters (you used 301).",
    ),
    ("no notion", "idee", {"notions": None}, "id_notions", "Choose at least one."),
    (
        "description missing",
        "idee",
        {"description": ""},
        "id_description",
        "Write a few sentences about your idea.",
    ),
    (
        "support missing",
        "draagvlak",
        {"support_description": ""},
        "id_support_description",
        "Write who supports your idea.",
    ),
    (
        "own effort missing",
        "draagvlak",
        {"own_effort": ""},
        "id_own_effort",
        "Write what you will do yourselves.",
    ),
    (
        "end before start",
        "geld",
        {"start_date": in_days(60).isoformat(), "end_date": in_days(30).isoformat()},
        "id_end_date",
        "The end cannot be before the start.",
    ),
    (
        "start in the past",
        "geld",
        {"start_date": in_days(-1).isoformat()},
        "id_start_date",
        "The start cannot be in the past.",
    ),
    (
        "korte klap longer than a year",
        "geld",
        {"start_date": in_days(30).isoformat(), "end_date": in_days(30 + 400).isoformat()},
        "id_end_date",
        "A korte-klap idea is carried out within one year.",
    ),
    (
        "negative amount",
        "geld",
        {"amount_requested": "-50"},
        "id_amount_requested",
        "Fill in an amount of 0 or more.",
    ),
    (
        "absurd amount",
        "geld",
        {"amount_requested": "2.000.000"},
        "id_amount_requested",
        "This amount is too high. Fill in at most € 1.000.000.",
    ),
    (
        "amount is no number",
        "geld",
        {"amount_requested": "veel geld"},
        "id_amount_requested",
        "Fill in an amount in euros, for example 250 or 1.250,50.",
    ),
    (
        "asks more than the budget",
        "geld",
        {"amount_requested": "5.000"},
        "id_amount_requested",
        "You ask more than the total of your budget (€ 1.234,50).",
    ),
    (
        "budget line without amount",
        "geld",
        {"lines-1-amount": ""},
        "id_lines-1-amount",
        "Fill in what this costs.",
    ),
    ("start missing", "geld", {"start_date": ""}, "id_start_date", "Fill in when you want to"),
    ("name missing", "contact", {"contact_name": ""}, "id_contact_name", "Fill in your name."),
    (
        "e-mail missing",
        "contact",
        {"contact_email": ""},
        "id_contact_email",
        "Fill in your e-mail address.",
    ),
    (
        "e-mail invalid",
        "contact",
        {"contact_email": "rita@"},
        "id_contact_email",
        "Fill in an e-mail address like name@example.nl.",
    ),
    (
        "organisation without a name",
        "contact",
        {"submitter_kind": "organisatie"},
        "id_organisation_name",
        "Fill in the name of the organisation or vereniging.",
    ),
    (
        "conditions not ticked",
        "versturen",
        {"accepted_conditions": None},
        "id_accepted_conditions",
        "Tick this box to send your idea.",
    ),
    (
        "privacy not ticked",
        "versturen",
        {"accepted_privacy": None},
        "id_accepted_privacy",
        "Tick this box to send your idea.",
    ),
]


@pytest.mark.parametrize(
    "step, changes, field_id, message", [row[1:] for row in CASES], ids=[row[0] for row in CASES]
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_lost_or_stored(
    english, concept, people, step, changes, field_id, message
):
    data = step_data(step, people["krakeel"])
    for name, value in changes.items():
        if value is None:
            data.pop(name)
        else:
            data[name] = value
    before = stored(concept)

    response = english.post(step_url(concept, step), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert_error_next_to(html, field_id, message)
    # Everything that was typed is still there, the wrong value too (to correct it).
    for name, value in typed_values(data, left_out=set()):
        assert shows_typed(html, name, value), f"{name}={value!r} is no longer filled in"
        assert not shows_typed(html, name, "nooit getypt"), name  # the check can fail
    # Nothing of the step was stored.
    assert stored(concept) == before
    assert Idea.objects.get(pk=concept.pk).status == Status.CONCEPT


def test_amounts_typed_the_dutch_way_are_stored_as_euros(english, concept, people):
    response = english.post(step_url(concept, "geld"), step_data("geld", people["krakeel"]))

    assert response.status_code == 302
    assert response.headers["Location"] == step_url(concept, "bijlagen")
    concept.refresh_from_db()
    assert concept.amount_requested == Decimal("1234.50")
    assert concept.own_contribution == Decimal("100.00")
    assert list(concept.budget_lines.values_list("item", "amount")) == [
        ("Twee picknicktafels", Decimal("1000.00")),
        ("Verf en kwasten", Decimal("234.50")),
    ]


# Uploads ----------------------------------------------------------------------------------------


def photo_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "green").save(out, format="JPEG")
    return out.getvalue()


def photo(name="foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(), content_type="image/jpeg")


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 500
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 500
NOT_A_PHOTO = "is not a photo (JPG, PNG or WebP) or a PDF. Choose another file."


def add_existing(idea, count):
    for n in range(count):
        services.add_attachment(idea, check_upload(photo(f"bestaand-{n}.jpg")))


# (case, files to choose, files already there, English error)
UPLOAD_CASES = [
    (
        "program named .jpg",
        lambda: [SimpleUploadedFile("vakantie.jpg", EXE, content_type="image/jpeg")],
        0,
        f"The file vakantie.jpg {NOT_A_PHOTO}",
    ),
    (
        "linux program named .jpg",
        lambda: [SimpleUploadedFile("feest.jpg", ELF, content_type="image/jpeg")],
        0,
        f"The file feest.jpg {NOT_A_PHOTO}",
    ),
    (
        "text named .pdf",
        lambda: [
            SimpleUploadedFile("begroting.pdf", b"Gewoon tekst.\n", content_type="application/pdf")
        ],
        0,
        f"The file begroting.pdf {NOT_A_PHOTO}",
    ),
    (
        "too large",
        lambda: [
            SimpleUploadedFile(
                "groot.jpg", photo_bytes() + b"\x00" * (1536 * 1024), content_type="image/jpeg"
            )
        ],
        0,
        "A file may be at most 1 MB.",
    ),
    (
        "six at once",
        lambda: [photo(f"foto-{n}.jpg") for n in range(6)],
        0,
        "You can add at most 5 files in all. You already have 0, so choose at most 5 more.",
    ),
    (
        "one more than five",
        lambda: [photo("zesde.jpg")],
        5,
        "You can add at most 5 files in all. You already have 5, so choose at most 0 more.",
    ),
]


@pytest.mark.parametrize(
    "make_files, existing, message",
    [row[1:] for row in UPLOAD_CASES],
    ids=[row[0] for row in UPLOAD_CASES],
)
def test_bad_uploads_are_refused_next_to_the_field_and_nothing_is_stored(
    english, concept, settings, make_files, existing, message
):
    settings.SMEDERIJEN_MAX_UPLOAD_MB = 1
    add_existing(concept, existing)
    before = stored(concept)

    response = english.post(step_url(concept, "bijlagen"), {"files": make_files(), "upload": ""})

    assert response.status_code == 200
    assert_error_next_to(response.content.decode(), "id_files", message)
    assert stored(concept) == before
    assert Attachment.objects.filter(idea=concept).count() == existing
