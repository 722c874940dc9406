"""Journeys through the site in headless Chromium, with axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

MENU = ["Over De Smederijen", "Smederijen", "Home"]
FOOTER = {"Toegankelijkheid": "/toegankelijkheid/", "Privacy": "/privacy/", "Contact": "/contact/"}


def menu(page):
    return page.get_by_role("navigation", name="Hoofdmenu")


def test_a_visitor_follows_the_menu_to_every_page_and_switches_language(page):
    page.goto("/")
    expect(page).to_have_title(re.compile("Home"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="Uitgelicht")).to_be_visible()
    expect(page.get_by_role("link", name="Elim").first).to_be_visible()
    assert_accessible(page)

    for label in MENU:
        menu(page).get_by_role("link", name=label, exact=True).click()
        expect(menu(page).get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="Zeeheldenbuurt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Smederij Zeeheldenbuurt")
    assert_accessible(page)

    for label, path in FOOTER.items():
        page.get_by_role("contentinfo").get_by_role("link", name=label).click()
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        assert_accessible(page)

    # Switch to English and back, staying on the same page.
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile("/contact/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact")
    expect(menu(page)).to_have_count(0)  # the menu's name is English now
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="About De Smederijen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About De Smederijen")
    assert_accessible(page)

    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Over De Smederijen")


def test_error_pages_are_accessible(page):
    response = page.goto("/bestaat-niet/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    assert_accessible(page)
    page.get_by_role("link", name="Ga naar de homepage").click()
    expect(page).to_have_url(re.compile("/$"))


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(page):
    page.goto("/over-de-smederijen/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def tab_to(page, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with Tab")


def test_the_contact_form_works_by_keyboard_alone_and_keeps_input_on_errors(page, mailoutbox):
    page.goto("/contact/")
    tab_to(page, "id_name")
    page.keyboard.type("Anna Kuipers")
    page.keyboard.press("Tab")
    page.keyboard.type("anna-zonder-apenstaartje")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_message"
    page.keyboard.press("Tab")  # the honeypot is skipped: next is the send button
    expect(page.get_by_role("button", name="Bericht versturen")).to_be_focused()
    page.keyboard.press("Enter")

    # The errors come back in Dutch; the focus is on the summary, which links to the fields.
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Vul een e-mailadres in zoals naam@voorbeeld.nl.")
    expect(page).to_have_title(re.compile("^Fout: "))
    email = page.get_by_label("Je e-mailadres")
    expect(email).to_have_value("anna-zonder-apenstaartje")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Je naam")).to_have_value("Anna Kuipers")
    assert_accessible(page)

    summary.get_by_role("link", name=re.compile("e-mailadres")).first.press("Enter")
    expect(email).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("anna@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Kan ik meedoen met de initiatiefgroep?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor je bericht")
    assert len(mailoutbox) == 1 and mailoutbox[0].reply_to == ["anna@example.org"]
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    ["/", "/over-de-smederijen/", "/smederijen/", "/smederijen/elim/", "/contact/", "/privacy/"],
)
def test_pages_fit_a_320_pixel_wide_screen(page, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(menu(page).get_by_role("link", name="Smederijen", exact=True)).to_be_visible()
    assert_accessible(page)


FAKE_SPEECH = """
window.__spoken = [];
window.__calls = [];
const fake = {
  speak(u) { window.__spoken.push({text: u.text, lang: u.lang}); this.last = u; },
  cancel() { window.__calls.push("cancel"); },
  pause() { window.__calls.push("pause"); },
  resume() { window.__calls.push("resume"); },
  getVoices() { return []; },
};
Object.defineProperty(window, "speechSynthesis", {value: fake, configurable: true});
"""


def test_read_aloud_reads_the_main_content_in_dutch_and_can_pause_and_stop(page):
    page.add_init_script(FAKE_SPEECH)
    page.goto("/over-de-smederijen/")
    page.get_by_role("button", name="Lees voor").click()

    spoken = page.evaluate("window.__spoken")
    texts = [part["text"] for part in spoken]
    assert texts[0] == "Over De Smederijen"
    assert {part["lang"] for part in spoken} == {"nl-NL"}
    assert "Hoofdmenu" not in " ".join(texts) and "Toegankelijkheid" not in texts
    expect(page.get_by_role("status")).to_have_text("De pagina wordt voorgelezen.")

    expect(page.get_by_role("button", name="Pauze")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Verder voorlezen")).to_be_visible()
    page.get_by_role("button", name="Verder voorlezen").click()
    page.get_by_role("button", name="Stop met voorlezen").click()
    assert page.evaluate("window.__calls") == ["cancel", "pause", "resume", "cancel"]
    expect(page.get_by_role("button", name="Lees voor")).to_be_focused()

    # When the last part has been read, the controls return to the start.
    page.get_by_role("button", name="Lees voor").click()
    page.evaluate("window.speechSynthesis.last.onend()")
    expect(page.get_by_role("button", name="Lees voor")).to_be_visible()
    expect(page.get_by_role("button", name="Pauze")).to_be_hidden()


def test_read_aloud_says_so_when_the_browser_fails_to_speak(page):
    page.add_init_script(
        FAKE_SPEECH.replace(
            "this.last = u; }",
            "this.last = u; setTimeout(() => u.onerror({error: 'synthesis-failed'}), 0); }",
        )
    )
    page.goto("/smederijen/")
    page.get_by_role("button", name="Lees voor").click()
    expect(page.get_by_role("status")).to_have_text(
        "Je browser kan de pagina niet voorlezen. Kijk of er een stem is geïnstalleerd."
    )
    expect(page.get_by_role("button", name="Lees voor")).to_be_focused()
    expect(page.get_by_role("button", name="Pauze")).to_be_hidden()


def test_read_aloud_is_hidden_where_the_browser_cannot_speak(page):
    page.add_init_script(
        'Object.defineProperty(window, "speechSynthesis", {value: undefined, configurable: true});'
    )
    page.goto("/")
    expect(page.get_by_role("button", name="Lees voor")).to_be_hidden()


def test_read_aloud_is_offered_in_real_chromium(page):
    page.goto("/smederijen/")
    expect(page.get_by_role("button", name="Lees voor")).to_be_visible()
