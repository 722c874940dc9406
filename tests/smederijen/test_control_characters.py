"""A line break typed (or posted) into a name or a title can never add a header to a mail.

One-line fields refuse control characters with a Dutch error next to the field and keep what
was typed; every mail the portal makes puts its subject on one line (smederijen/mail.py), the
sign-in mails of django-allauth too."""

import importlib
import inspect
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.urls import reverse

from ideas.models import Support
from smederijen import services
from smederijen.forms import OneLineFieldsMixin
from teams.models import User
from tests.ideas.conftest import assert_error_next_to, start_concept, step_url
from tests.ideas.factories import published_idea
from tests.teams.conftest import organisations, people  # noqa: F401 (fixtures used here)

__all__ = ["organisations", "people"]

pytestmark = pytest.mark.django_db

POISON = "Piet\r\nBcc: victim@evil.example"
ONE_LINE_ERROR = "Typ dit op één regel, zonder tab, enter of andere onzichtbare tekens."


def test_the_contact_form_refuses_a_name_with_a_line_break_and_queues_no_mail(client, mailoutbox):
    response = client.post(
        reverse("smederijen:contact"),
        {"name": POISON, "email": "piet@example.org", "message": "Wanneer is het?"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert mailoutbox == []
    assert_error_next_to(html, "id_name", ONE_LINE_ERROR)
    assert "Wanneer is het?" in html  # nothing typed is lost


@pytest.mark.parametrize("char", ["\t", "\x1b", "\x00", "\x85", "\u2028"])
def test_other_control_characters_are_refused_too(client, mailoutbox, char):
    response = client.post(
        reverse("smederijen:contact"),
        {"name": f"Piet{char}Jansen", "email": "piet@example.org", "message": "Hallo"},
    )
    assert response.status_code == 200
    assert mailoutbox == []


def test_a_message_of_several_lines_keeps_its_line_breaks_but_no_other_control_character(
    client, mailoutbox
):
    url = reverse("smederijen:contact")
    ok = client.post(
        url, {"name": "Piet", "email": "piet@example.org", "message": "Hallo,\r\n\tgroet"}
    )
    assert ok.status_code == 302
    assert mailoutbox[0].body == "Hallo,\r\n\tgroet"
    refused = client.post(url, {"name": "Piet", "email": "piet@example.org", "message": "a\x07b"})
    assert refused.status_code == 200
    assert_error_next_to(
        refused.content.decode(),
        "id_message",
        "Deze tekst bevat een onzichtbaar teken dat hier niet kan.",
    )
    assert len(mailoutbox) == 1


def test_the_title_of_an_idea_and_a_supporters_name_refuse_control_characters(client, people):
    public_id = start_concept(client)
    response = client.post(
        step_url(public_id, "idee"),
        {
            "title": "Picknicktafels\r\nBcc: victim@evil.example",
            "summary": "Twee tafels.",
            "description": "Bij de vijver.",
            "notions": ["ontmoeten"],
            "next": "",
        },
    )
    assert response.status_code == 200
    assert_error_next_to(response.content.decode(), "id_title", ONE_LINE_ERROR)

    idea = published_idea(smederij=people["krakeel"], publisher=people["users"]["gebiedsregisseur"])
    response = client.post(
        reverse("ideas:idea-support", kwargs={"reference": idea.reference}),
        {"name": POISON, "email": "piet@example.org", "street": "Vijverlaan", "website": ""},
    )
    assert response.status_code == 200
    assert_error_next_to(response.content.decode(), "id_name", ONE_LINE_ERROR)
    assert not Support.objects.exists()


def test_a_resident_cannot_put_a_line_break_in_their_own_name(client, people):
    resident = people["users"]["resident"]
    client.force_login(resident)
    response = client.post(
        reverse("teams:my-details"), {"first_name": "Kees\nBcc: x@evil.example", "last_name": ""}
    )
    assert response.status_code == 200
    resident.refresh_from_db()
    assert "\n" not in resident.first_name


def test_person_typed_text_reaches_a_subject_on_one_line_without_a_new_header(mailoutbox, settings):
    # A name from before this rule (or from anywhere else) still cannot add a header.
    services.send_contact_message(name=POISON, email="piet@example.org", message="Hallo")
    [mail] = mailoutbox
    assert "\r" not in mail.subject and "\n" not in mail.subject
    assert mail.subject == "Bericht via de website van Piet Bcc: victim@evil.example"
    message = mail.message()  # what the mail server gets: no Bcc header was added
    assert message["Bcc"] is None
    assert mail.recipients() == [settings.CONTACT_EMAIL]


def test_the_sign_in_code_mail_goes_through_the_same_header_rule(people, mailoutbox, settings):
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = "De Smederijen:\r\nBcc: victim@evil.example "
    Client().post(reverse("account_request_login_code"), {"email": "nieuw@example.org"})
    [mail] = mailoutbox
    assert mail.subject.startswith("De Smederijen: Bcc: victim@evil.example")
    assert mail.message()["Bcc"] is None


def portal_form_classes() -> list[type]:
    """Every form class the portal's own apps define (the admin's forms are checked in
    tests/smederijen/test_admin_control_characters.py)."""
    found = set()
    for app in ("smederijen", "ideas", "teams", "budgets"):
        config = apps.get_app_config(app)
        for path in sorted(Path(config.path).glob("*.py")):
            if path.stem in {"admin", "admin_site", "settings", "wsgi", "demo"}:
                continue
            module = importlib.import_module(f"{config.name}.{path.stem}")
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def test_every_form_of_the_portal_refuses_control_characters():
    classes = portal_form_classes()
    assert len(classes) > 30
    missing = [
        f"{cls.__module__}.{cls.__name__}"
        for cls in classes
        if not issubclass(cls, OneLineFieldsMixin)
    ]
    assert missing == []


def test_the_staff_sign_in_form_refuses_control_characters_in_the_address(client):
    response = client.post(
        reverse("account_login"),
        {"login": "jan@example.org\r\nBcc: x@evil.example", "password": "x"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email__contains="evil").exists()
