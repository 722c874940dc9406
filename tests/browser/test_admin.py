"""Admin in the browser: the gebiedsregisseur's start page with what needs attention, the lists
grouped by task, the audit trail and a page text; support staff's undeliverable mail. Each page
is checked with axe-core."""

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from mailer.models import Message
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_review import sign_in_as_staff

pytestmark = pytest.mark.browser


def test_a_gebiedsregisseur_starts_in_admin_with_what_needs_attention(page):
    sign_in_as_staff(page, "jan.bouwmeester@example.org", "/beheer/")
    attention = page.get_by_role("region", name="Vraagt je aandacht")
    expect(attention).to_contain_text("wacht")
    for task in ("Ideeën", "Budgetten", "Teams", "Stuurgroep", "Inhoud", "Accounts en privacy"):
        expect(page.locator("#content-main").get_by_text(task, exact=True).first).to_be_visible()
    assert_accessible(page)

    page.locator("#content-main").get_by_role("link", name="Logboek").first.click()
    expect(page.locator("#content")).to_contain_text("logboek", ignore_case=True)
    assert_accessible(page)

    page.goto("/beheer/ideas/idea/")
    expect(page.locator("#result_list")).to_be_visible()
    assert_accessible(page)

    page.goto("/beheer/smederijen/pagetext/add/")
    page.get_by_label("Pagina").select_option("over")
    page.get_by_label("Tekst").fill("Samen maken we de buurt mooier.")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert_accessible(page)
    page.goto("/over-de-smederijen/")
    expect(page.get_by_role("main")).to_contain_text("Samen maken we de buurt mooier.")
    assert_accessible(page)


def test_support_staff_find_undeliverable_mail_and_queue_it_again(page, settings):
    # A mail with a line break in its subject (queued before the rule against it) is set aside
    # by the sender, and the next mail still goes out.
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    EmailMessage(subject="Vraag\r\nBcc: victim@evil.example", body="x", to=["a@example.org"]).send()
    call_command("send_mail", verbosity=0)

    sign_in_as_staff(page, "annette.bartels@example.org", "/beheer/")
    page.locator("#content-main").get_by_role("link", name="Onbestelbare mail").first.click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Vraag Bcc: victim@evil.example")
    expect(rows.first).to_contain_text("Deze mail kan nooit worden verstuurd")
    assert_accessible(page)

    rows.first.get_by_role("link").first.click()
    expect(page.locator("#content")).to_contain_text("BadHeaderError")
    assert_accessible(page)
    page.go_back()

    rows.first.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label="Geselecteerde mail opnieuw versturen")
    page.get_by_role("button", name="Uitvoeren").click()
    expect(page.locator(".messagelist")).to_contain_text("staan weer klaar om te versturen")
    assert_accessible(page)
    assert Message.objects.count() == 1
