"""The gebiedsregisseur's admin in the browser: the start page with what needs attention, the
lists grouped by task, the audit trail and a page text, each checked with axe-core."""

import pytest
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

    page.locator("#content-main").get_by_role("link", name="Audit trail").first.click()
    expect(page.locator("#content")).to_contain_text("audit trail", ignore_case=True)
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
