"""A resident downloads their data and deletes their account, by keyboard where it matters, with
axe-core on every page of the way."""

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_review import sign_in_with_mailed_code

pytestmark = pytest.mark.browser

KEES = "kees.deboer@example.org"


def test_a_resident_downloads_their_data_and_deletes_their_account(page, mailoutbox):
    sign_in_with_mailed_code(page, KEES, "/account/mijn-gegevens/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Je gegevens")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as waiting:
        main.get_by_role("link", name="Je gegevens downloaden").click()
    download = waiting.value
    assert download.suggested_filename == "mijn-gegevens-de-smederijen.zip"
    archive = zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read()))
    data = json.loads(archive.read("mijn-gegevens.json"))
    assert data["account"]["e-mailadres"] == KEES
    assert len(data["ideeën"]) >= 3  # a concept, a question to answer, a granted idea

    main.get_by_role("link", name="Je account verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je account verwijderen?")
    assert_accessible(page)
    # Without the tick nothing happens, and the error sits at the box.
    page.get_by_role("button", name="Mijn account verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je account verwijderen?")
    expect(page.get_by_text("Zet een vinkje om te bevestigen").first).to_be_visible()
    assert_accessible(page)
    box = page.get_by_label(re.compile("Ik begrijp dat mijn account en mijn persoonsgegevens"))
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.get_by_role("button", name="Mijn account verwijderen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Je account is verwijderd")
    assert_accessible(page)

    page.goto("/account/mijn-gegevens/")
    expect(page).to_have_url(re.compile("/account/login/"))
