"""Staff find their work by clicking only (issue 20, item 1): each staff role signs in from the
home page, lands on Mijn werk, and reaches every page of its role through the staff menu in the
header and the links on those pages, with axe-core on each page. No address is typed after the
home page."""

import re

import pytest
from playwright.sync_api import expect

from ideas.demo.people import DEMO_PASSWORD, current_totp_code
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# Per page of the staff menu: the heading it opens with, and the kind of link on it that leads one
# level deeper (clicked too, when the demo data has one).
DEEPER = {
    "Werkvoorraad": ("Werkvoorraad", rf"^/werkvoorraad/{UUID}/$"),
    "Wijkoverleg": ("Wijkoverleg", rf"^/wijkoverleg/{UUID}/$"),
    "Dossiers": ("Dossiers", rf"^/stuurgroep/dossiers/{UUID}/$"),
    "Vergaderingen": ("Vergaderingen", r"^/stuurgroep/vergaderingen/\d+/$"),
    "Budgetten": ("Budgetten", r"^/budgetten/[-a-z]+/\d{4}/$"),
    "Rapportages": ("Rapportage", None),
    "Beheer": (None, None),
}

# From the page one level deeper, the pages further on (each clicked when the role has the link;
# the browser's back button returns).
FURTHER = {
    "Werkvoorraad": [rf"^/werkvoorraad/{UUID}/[a-z-]+/$"],  # a step's confirm page, the print view
    "Dossiers": [rf"^/stuurgroep/dossiers/{UUID}/(beoordelen|standpunt)/$"],
    "Vergaderingen": [r"^/stuurgroep/vergaderingen/\d+/agenda/$"],
}
# On the menu's page itself: a page to add something.
ALSO = {
    "Vergaderingen": r"^/stuurgroep/vergaderingen/nieuw/$",
    "Wijkoverleg": r"^/wijkoverleg/plannen/$",
}

ROLES = [
    (
        "wijkteam",
        "sanne.jonker@example.org",
        ["Mijn werk", "Werkvoorraad", "Wijkoverleg", "Budgetten", "Rapportages"],
    ),
    (
        "gebiedsregisseur",
        "jan.bouwmeester@example.org",
        [
            "Mijn werk",
            "Werkvoorraad",
            "Wijkoverleg",
            "Dossiers",
            "Vergaderingen",
            "Budgetten",
            "Rapportages",
            "Beheer",
        ],
    ),
    (
        "stuurgroep member",
        "ingrid.mulder@example.org",
        ["Mijn werk", "Dossiers", "Vergaderingen", "Rapportages"],
    ),
    ("support", "annette.bartels@example.org", ["Mijn werk", "Budgetten", "Rapportages", "Beheer"]),
]


def sign_in_from_the_home_page(page, email: str) -> None:
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Inloggen").click()
    staff = page.get_by_role("region", name="Medewerkers")
    staff.get_by_label("E-mailadres").fill(email)
    staff.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="Inloggen met wachtwoord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code uit je app")
    page.get_by_label("Code").fill(current_totp_code())
    page.get_by_role("button", name="Inloggen").click()


def staff_menu(page):
    return page.get_by_role("navigation", name="Menu voor medewerkers")


def first_link_matching(page, pattern: str):
    """The first link in the page's main part whose address matches ``pattern``, or None."""
    main = page.locator("main")
    for href in main.locator("a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    ):
        if re.match(pattern, href):
            return main.locator(f'a[href="{href}"]').first
    return None


@pytest.mark.parametrize("role, email, menu", ROLES, ids=[r[0] for r in ROLES])
def test_staff_reach_every_page_of_their_role_by_clicking(page, role, email, menu):
    sign_in_from_the_home_page(page, email)

    # Staff land on Mijn werk, with the staff menu of exactly their pages.
    expect(page).to_have_url(re.compile("/account/mijn-werk/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk")
    expect(staff_menu(page).get_by_role("link")).to_have_text(menu)
    assert_accessible(page)

    # A line of Mijn werk leads to the page where the work is done.
    work = first_link_matching(page, rf"^/(werkvoorraad|stuurgroep/dossiers)/{UUID}/$")
    if role != "support":
        assert work is not None, "Mijn werk shows nothing that waits in the demo data"
        work.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        staff_menu(page).get_by_role("link", name="Mijn werk").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk")

    for label in menu[1:]:
        staff_menu(page).get_by_role("link", name=label).click()
        heading, deeper = DEEPER[label]
        if label == "Beheer":
            expect(page).to_have_url(re.compile("/beheer/$"))
            expect(page.locator("#content-main")).to_be_visible()
            assert_accessible(page)
            # Admin leads back to the portal's own pages.
            page.locator("#user-tools").get_by_role("link", name="Mijn werk").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk")
            continue
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(staff_menu(page).get_by_role("link", name=label)).to_have_attribute(
            "aria-current", "page"
        )
        assert_accessible(page)
        if label == "Werkvoorraad" and role == "wijkteam":
            # Several ideas at once: tick two, choose herself, save; by keyboard-usable controls.
            # Saving with nothing ticked says what is missing, next to the field.
            page.get_by_role("button", name="Gekozen ideeën toewijzen").click()
            expect(page.get_by_role("alert")).to_contain_text("Kies minstens één idee")
            assert_accessible(page)
            page.get_by_role("link", name="Ga terug naar de werkvoorraad").click()
            boxes = page.get_by_role("checkbox", name=re.compile("^Kies idee "))
            boxes.nth(0).check()
            boxes.nth(1).check()
            bulk = page.get_by_role("form", name="Meer ideeën tegelijk")
            bulk.get_by_label("Behandelaar").select_option(label="Sanne Jonker")
            bulk.get_by_role("button", name="Gekozen ideeën toewijzen").click()
            expect(page.get_by_role("status").first).to_contain_text(
                "2 ideeën worden nu behandeld door Sanne Jonker."
            )
            page.get_by_label("Behandelaar", exact=True).first.select_option(
                label="Aan mij toegewezen"
            )
            page.get_by_role("button", name="Filteren").click()
            expect(page.locator("main table tbody tr")).to_have_count(2)
            assert_accessible(page)
            # The same two ideas on paper, then the dossier of one of them to print.
            page.get_by_role("link", name="Printversie", exact=True).click()
            expect(page.locator("main table tbody tr")).to_have_count(2)
            expect(page.get_by_role("button", name="Print deze pagina")).to_be_visible()
            assert_accessible(page)
            page.get_by_role("link", name="Terug naar de werkvoorraad").click()
            page.locator("main table tbody tr").first.get_by_role("link").first.click()
            page.get_by_role("link", name="Printversie: het dossier voor een vergadering").click()
            expect(
                page.get_by_role("heading", name=re.compile("^De voorwaarden van"))
            ).to_be_visible()
            assert_accessible(page)
            page.get_by_role("link", name="Terug naar de beoordelingspagina").click()
            staff_menu(page).get_by_role("link", name="Werkvoorraad").click()
        if label in ALSO and (extra := first_link_matching(page, ALSO[label])) is not None:
            extra.click()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_accessible(page)
            page.go_back()
        if deeper:
            link = first_link_matching(page, deeper)
            assert link is not None, f"nothing to open on {label} in the demo data"
            link.click()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_accessible(page)
            for further in FURTHER.get(label, []):
                if (next_link := first_link_matching(page, further)) is not None:
                    next_link.click()
                    expect(page.get_by_role("heading", level=1)).to_be_visible()
                    assert_accessible(page)
                    page.go_back()
