"""Supporting a public idea (draagvlak): it counts once the link in the mail is confirmed, once per
e-mail address, together with the signatures on paper that staff count."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ideas import services
from ideas.models import Support
from tests.ideas.conftest import assert_error_next_to
from tests.ideas.factories import published_idea, submitted_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(people, owner):
    return published_idea(
        smederij=people["krakeel"],
        submitted_by=owner,
        publisher=people["users"]["gebiedsregisseur"],
        title="Picknicktafels bij de vijver",
    )


def support(client, idea, **changes):
    data = {
        "name": "Piet Jansen",
        "email": "piet@example.org",
        "street": "Vijverlaan",
        "smederij": "",
        "website": "",
        **changes,
    }
    return client.post(reverse("ideas:idea-support", kwargs={"reference": idea.reference}), data)


def confirm_path(mail) -> str:
    return re.search(r"https?://[^/\s]+(/steun-bevestigen/[0-9a-f-]+/)", mail.body).group(1)


def shown_count(client, idea) -> int:
    response = client.get(idea.get_absolute_url())
    assert response.status_code == 200
    return response.context["support_total"]


def test_support_counts_once_the_link_in_the_mail_is_confirmed(
    client, idea, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = support(client, idea, smederij=str(people["krakeel"].pk))
        assert response.status_code == 302
        assert response.headers["Location"] == reverse(
            "ideas:support-sent", kwargs={"reference": idea.reference}
        )
        assert mailoutbox == []  # the mail leaves only after the commit
    [mail] = mailoutbox
    assert mail.to == ["piet@example.org"]
    assert "Picknicktafels bij de vijver" in mail.subject
    assert shown_count(client, idea) == 0  # not confirmed yet

    # Opening the link (as a mail scanner does) confirms nothing: it shows a button.
    page = client.get(confirm_path(mail))
    assert page.status_code == 200
    assert re.search(r'<form[^>]*method="post"', page.content.decode())
    assert shown_count(client, idea) == 0

    response = client.post(confirm_path(mail))
    assert response.status_code == 302 and response.headers["Location"] == idea.get_absolute_url()
    assert shown_count(client, idea) == 1
    assert re.search(r'idea-support__count">\s*1\b', client.get(idea.get_absolute_url()).text)


def test_an_unconfirmed_support_does_not_count(client, idea, mailoutbox):
    assert support(client, idea).status_code == 302
    assert Support.objects.filter(idea=idea).count() == 1
    assert shown_count(client, idea) == 0


def test_the_same_address_counts_once_whatever_its_capitals(
    client, idea, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        support(client, idea, email="piet@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        support(client, idea, email="Piet@Example.ORG", name="P. Jansen")
    for mail in mailoutbox:
        client.post(confirm_path(mail))

    assert Support.objects.filter(idea=idea).count() == 1
    assert shown_count(client, idea) == 1


def test_the_same_address_counts_once_in_the_service_too(idea):
    first = services.give_support(idea, name="Piet", email="piet@example.org", street="Dorpsweg")
    again = services.give_support(idea, name="Piet", email=" PIET@example.org ", street="Dorpsweg")
    assert again.pk == first.pk
    services.confirm_support(first)
    services.confirm_support(again)
    assert services.support_count(idea) == 1


def test_signatures_on_paper_add_up_with_confirmed_support(client, idea, people):
    team_member = people["users"]["wijkteam_a"]
    services.add_paper_list(idea, actor=team_member, count=40, note="Vijverlaan")
    services.add_paper_list(idea, actor=team_member, count=12, note="Parklaan")
    online = services.give_support(idea, name="Piet", email="piet@example.org", street="Dorpsweg")
    services.confirm_support(online)
    services.give_support(idea, name="Nog niet", email="later@example.org", street="Dorpsweg")

    assert services.support_count(idea) == 53
    assert shown_count(client, idea) == 53
    assert re.search(r'idea-support__count">\s*53\b', client.get(idea.get_absolute_url()).text)
    # Staff of another area cannot add lists to this one.
    with pytest.raises(PermissionDenied):
        services.add_paper_list(idea, actor=people["users"]["wijkteam_b"], count=5)


def test_an_unpublished_idea_cannot_be_supported(client, people, owner, mailoutbox):
    hidden = submitted_idea(smederij=people["krakeel"], submitted_by=owner)

    assert support(client, hidden).status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert not Support.objects.exists()
    assert mailoutbox == []


def test_the_support_form_shows_dutch_errors_next_to_the_fields(client, idea, mailoutbox):
    response = support(client, idea, name="", email="piet@", street="")

    assert response.status_code == 200
    html = response.content.decode()
    assert_error_next_to(html, "id_name", "Vul je naam in.")
    assert_error_next_to(html, "id_email", "Vul een e-mailadres in zoals naam@voorbeeld.nl.")
    assert 'id="id_street_error_1"' in html
    assert 'value="piet@"' in html  # what was typed stays
    assert not Support.objects.exists()
    assert mailoutbox == []


def test_a_filled_honeypot_is_thanked_but_stores_and_sends_nothing(
    client, idea, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = support(client, idea, website="https://spam.example")

    assert response.status_code == 302
    assert not Support.objects.exists()
    assert mailoutbox == []
