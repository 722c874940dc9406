"""Support staff keep the pages' texts and the mails' opening and closing words in admin,
without touching code; without a kept text the portal's own (translated) text shows."""

import pytest
from django.urls import reverse

from ideas import services
from smederijen.models import MailText, PageText
from tests.factories import SmederijFactory, UserFactory
from tests.ideas.factories import submitted_idea
from tests.teams.conftest import with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(client):
    from django.contrib.auth.models import Group

    user = with_second_factor(UserFactory(is_staff=True))
    user.groups.add(Group.objects.get(name="Ondersteuning"))
    client.force_login(user)
    return client


def test_support_staff_write_the_about_page_in_admin(office_client, client):
    response = office_client.post(
        "/beheer/smederijen/pagetext/add/",
        {
            "page": PageText.Page.ABOUT,
            "body": "De Smederijen is van ons allemaal.\n\nDoe mee <en> smeed plannen!\nNu.",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("smederijen:about")).content.decode()
    assert '<p class="utrecht-paragraph" lang="nl">De Smederijen is van ons allemaal.</p>' in html
    assert "Doe mee &lt;en&gt; smeed plannen!<br>Nu." in html  # escaped, line kept
    assert (
        "In De Smederijen werken vijf organisaties samen" not in html
    )  # the built-in text gave way
    # In English the kept Dutch text shows, marked as Dutch.
    client.cookies["django_language"] = "en"
    html = client.get(reverse("smederijen:about")).content.decode()
    assert 'lang="nl">De Smederijen is van ons allemaal.' in html


def test_without_a_kept_text_the_pages_show_their_own(client):
    SmederijFactory(slug="elim", name="Elim", kind="dorp")
    html = client.get(reverse("smederijen:about")).content.decode()
    assert "In De Smederijen werken vijf organisaties samen" in html
    PageText.objects.create(page=PageText.Page.HOME, body="Welkom bij De Smederijen!")
    html = client.get("/").content.decode()
    assert 'class="utrecht-paragraph utrecht-paragraph--lead" lang="nl">Welkom' in html


def test_a_mail_text_opens_and_closes_the_status_mail(
    mailoutbox, django_capture_on_commit_callbacks
):
    MailText.objects.create(
        mail=MailText.Mail.STATUS,
        opening="Fijn dat je meedoet met De Smederijen.",
        closing="Groeten van het team,\nGemeente Hoogeveen",
    )
    area = SmederijFactory(name="Zuid", slug="zuid")
    staff = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        idea = submitted_idea(smederij=area)
        services.take_up(idea, actor=staff)
    status_mail = mailoutbox[-1]
    assert "Fijn dat je meedoet met De Smederijen." in status_mail.body
    assert status_mail.body.rstrip().endswith("Groeten van het team,\nGemeente Hoogeveen")
    assert "Met vriendelijke groet" not in status_mail.body
    # The mail about the idea's arrival has no kept text: its standard words stay.
    arrived = next(m for m in mailoutbox if "is aangekomen" in m.subject or "ontvangen" in m.body)
    assert "Fijn dat je meedoet" not in arrived.body
