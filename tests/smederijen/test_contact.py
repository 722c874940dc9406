import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/contact/"


def test_a_message_reaches_the_programme_mailbox_with_reply_to_the_visitor(
    client, mailoutbox, settings
):
    settings.CONTACT_EMAIL = "smederijen@example.org"
    response = client.post(
        URL,
        {"name": "Fatima de Vries", "email": "fatima@example.org", "message": "Wanneer is het?"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("smederijen:contact-sent")
    [mail] = mailoutbox
    assert mail.to == ["smederijen@example.org"]
    assert mail.reply_to == ["fatima@example.org"]
    assert "Fatima de Vries" in mail.subject
    assert mail.body == "Wanneer is het?"


def test_errors_are_dutch_next_to_the_field_linked_to_it_and_keep_what_was_typed(
    client, mailoutbox
):
    response = client.post(URL, {"name": "Piet Jansen", "email": "geen-adres", "message": ""})
    html = response.content.decode()

    assert response.status_code == 200
    assert mailoutbox == []
    assert "<title>Fout: Contact" in html
    # The summary at the top links to the fields.
    assert 'href="#id_email"' in html and 'href="#id_message"' in html
    # Each error sits next to its field and the field points to it.
    assert (
        'id="id_email_error_1"' in html
        and "Vul een e-mailadres in zoals naam@voorbeeld.nl." in html
    )
    assert "Schrijf je vraag of bericht." in html
    assert re.search(r'<input[^>]*aria-describedby="id_email_helptext id_email_error_1"', html)
    assert re.search(r'<textarea[^>]*aria-describedby="id_message_error_1"', html)
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_email"', html) or re.search(
        r'<input[^>]*id="id_email"[^>]*aria-invalid="true"', html
    )
    assert "utrecht-form-field--invalid" in html and "utrecht-textbox--invalid" in html
    # Nothing typed is lost.
    assert 'value="Piet Jansen"' in html and 'value="geen-adres"' in html


def test_the_form_uses_the_nl_design_system_classes(client):
    html = client.get(URL).content.decode()
    for css_class in (
        "utrecht-form-field",
        "utrecht-form-label",
        "utrecht-form-field-description",
        "utrecht-textbox",
        "utrecht-textarea",
        "utrecht-button--primary-action",
    ):
        assert css_class in html, css_class
    assert re.search(r'<label class="utrecht-form-label" for="id_name">', html)
    assert 'autocomplete="email"' in html


def test_a_filled_honeypot_is_thanked_but_sends_nothing(client, mailoutbox):
    response = client.post(
        URL,
        {
            "name": "Robot",
            "email": "robot@example.org",
            "message": "Koop nu!",
            "website": "spam.example",
        },
    )
    assert response.status_code == 302
    assert mailoutbox == []
