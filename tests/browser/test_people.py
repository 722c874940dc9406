"""People journeys in headless Chromium, with axe-core on every page they pass."""

import re

import pytest
from playwright.sync_api import expect

from ideas.demo.people import DEMO_PASSWORD, current_totp_code
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def menu(page):
    return page.get_by_role("navigation", name="Hoofdmenu")


def main(page):
    return page.get_by_role("main")


def test_a_visitor_finds_the_wijkagent_of_krakeel_from_the_home_page(page):
    page.goto("/")
    menu(page).get_by_role("link", name="Wijk- en dorpenteams").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijk- en dorpenteams")
    assert_accessible(page)
    main(page).get_by_role("link", name="Wijkteam Krakeel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijkteam Krakeel")
    assert_accessible(page)

    wijkagent = page.locator("#wijkagent")
    expect(wijkagent).to_have_text(re.compile("Wijkagent", re.IGNORECASE))
    card = page.locator("article, li, section").filter(has=wijkagent).last
    expect(card).to_contain_text("Politie")
    expect(card.get_by_role("link", name=re.compile(r"^06 "))).to_have_attribute(
        "href", re.compile(r"^tel:")
    )
    # The kernteam comes first: opbouwwerker, wijkbeheerder, wijkagent, then the others.
    headings = main(page).get_by_role("heading", level=2).all_inner_texts()
    assert headings[0] == "Het kernteam" and headings[1] == "Andere teamleden"

    # The same team is one click from the Smederij's own page.
    page.goto("/smederijen/krakeel/")
    expect(main(page)).to_contain_text("Wijkagent")
    main(page).get_by_role("link", name=re.compile("Wijkteam Krakeel")).click()
    expect(page).to_have_url(re.compile("/wijk-en-dorpenteams/krakeel/$"))

    for path, heading in [
        ("/gebiedsregisseurs/", "Gebiedsregisseurs"),
        ("/stuurgroep/", "stuurgroep"),
        ("/initiatiefgroepen/", "Initiatiefgroepen"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)


def test_a_resident_signs_in_with_the_mailed_code_and_joins_the_initiatiefgroep(page, mailoutbox):
    page.goto("/initiatiefgroepen/initiatiefgroep-krakeel/")
    assert_accessible(page)
    expect(main(page)).not_to_contain_text("Fatima el Amrani")  # names are for members only
    main(page).get_by_role("link", name=re.compile("Log in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen met een code")
    assert_accessible(page)

    page.get_by_label("Je e-mailadres").fill("kees.deboer@example.org")
    page.get_by_role("button", name="Stuur mij een code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vul de code in")
    assert_accessible(page)
    code = re.search(r"^\s*(\d{6})\s*$", mailoutbox[-1].body, re.MULTILINE).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Inloggen").click()

    expect(page).to_have_url(re.compile("/initiatiefgroepen/initiatiefgroep-krakeel/$"))
    page.get_by_role("button", name=re.compile("Word lid|Doe mee|Meld je aan")).click()
    expect(page.get_by_role("status").first).to_contain_text("Je bent nu lid")
    expect(main(page)).to_contain_text("Fatima el Amrani")
    expect(main(page)).to_contain_text("Kees de Boer")
    expect(main(page)).to_contain_text("2 leden")
    assert_accessible(page)

    page.get_by_role("link", name="Mijn gegevens").click()
    expect(main(page)).to_contain_text("kees.deboer@example.org")
    expect(main(page).get_by_role("link", name="Initiatiefgroep Krakeel")).to_be_visible()
    assert_accessible(page)
    page.goto("/account/email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verander je e-mailadres")
    assert_accessible(page)


def test_staff_cannot_reach_admin_without_the_second_factor(page):
    page.goto("/beheer/")
    expect(page).to_have_url(re.compile("/account/login/"))
    assert_accessible(page)
    staff = page.get_by_role("region", name="Medewerkers")
    staff.get_by_label("E-mailadres").fill("jan.bouwmeester@example.org")
    staff.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="Inloggen met wachtwoord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code uit je app")
    assert_accessible(page)

    # Password alone does not open admin.
    page.goto("/beheer/")
    expect(page).to_have_url(re.compile("/account/"))
    expect(page.get_by_role("heading", level=1)).not_to_have_text(re.compile("beheer", re.I))

    page.goto("/account/2fa/authenticate/")
    page.get_by_label("Code").fill("000000" if current_totp_code() != "000000" else "111111")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(current_totp_code())
    page.get_by_role("button", name="Inloggen").click()
    expect(page).not_to_have_url(re.compile("/account/2fa/authenticate/"))
    page.wait_for_load_state("load")

    page.goto("/beheer/")
    expect(page.locator("#site-name")).to_contain_text("De Smederijen")
    assert_accessible(page)
