"""The ideeformulier as a new resident uses it, in headless Chromium with axe-core on every step."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from ideas.models import Idea
from ideas.workflow import Status
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def main(page):
    return page.get_by_role("main")


def next_step(page):
    page.get_by_role("button", name="Opslaan en verder").click()


@pytest.fixture
def photo_with_gps(tmp_path):
    path = tmp_path / "speelplek.jpg"
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (52.0, 43.0, 12.0), 3: "E", 4: (6.0, 28.0, 40.0)})
    Image.new("RGB", (64, 48), "green").save(path, exif=exif)
    return path


def test_a_new_resident_sends_in_an_idea_from_the_home_page(page, mailoutbox, photo_with_gps):
    start = timezone.localdate() + timedelta(days=30)

    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Idee indienen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Idee indienen")
    assert_accessible(page)
    main(page).get_by_role("button", name=re.compile("formulier", re.IGNORECASE)).click()

    # 1. Where and for whom.
    expect(page.get_by_role("heading", level=1)).to_have_text("Waar en voor wie")
    expect(page.get_by_text("Stap 1 van 7")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("korte klap", exact=True).check()
    page.get_by_label("In welke Smederij is je idee?").select_option(label="Krakeel")
    page.get_by_label("Waar precies?").fill("Speelveldje aan de Krakeelstraat")
    page.get_by_role("group", name=re.compile("Voor wie in de buurt")).get_by_role("radio").nth(
        1
    ).check()
    next_step(page)

    # 2. The idea.
    expect(page.get_by_role("heading", level=1)).to_have_text("Je idee")
    assert_accessible(page)
    page.get_by_label("Geef je idee een korte naam").fill("Nieuwe bankjes bij het speelveld")
    page.get_by_label(re.compile("Je idee in één of twee zinnen")).fill(
        "Twee bankjes zodat ouders bij het speelveld kunnen zitten."
    )
    page.get_by_label(re.compile("Vertel meer over je idee")).fill(
        "Ouders staan nu de hele middag. Met bankjes praten buren met elkaar."
    )
    page.get_by_label(re.compile("^ontmoeten")).check()
    next_step(page)

    # 3. Support and own effort.
    expect(page.get_by_role("heading", level=1)).to_have_text("Steun en zelf doen")
    assert_accessible(page)
    page.get_by_label("Wie steunt je idee?").fill("De bewoners van de Krakeelstraat.")
    page.get_by_label(re.compile("Hoeveel mensen")).fill("25")
    page.get_by_label(re.compile("Wat doe jij")).fill("Wij schilderen de bankjes zelf.")
    next_step(page)

    # 4. Money and planning, with one mistake: a korte-klap idea that takes two years.
    expect(page.get_by_role("heading", level=1)).to_have_text("Geld en planning")
    assert_accessible(page)
    page.get_by_label("Wat heb je nodig?").first.fill("Twee bankjes")
    page.get_by_label("Kosten in euro").first.fill("1.250,50")
    page.get_by_label("Hoeveel geld vraag je?").fill("1.000")
    page.get_by_label("Wanneer wil je beginnen?").fill(start.isoformat())
    page.get_by_label("Wanneer is het klaar?").fill((start + timedelta(days=730)).isoformat())
    next_step(page)
    expect(page).to_have_title(re.compile("^Fout:"))
    end_field = page.get_by_label("Wanneer is het klaar?")
    expect(end_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_end_date_error_1")).to_contain_text("binnen een jaar")
    # Nothing typed is lost.
    expect(page.get_by_label("Wat heb je nodig?").first).to_have_value("Twee bankjes")
    expect(page.get_by_label("Hoeveel geld vraag je?")).to_have_value("1.000")
    assert_accessible(page)
    end_field.fill((start + timedelta(days=120)).isoformat())
    next_step(page)

    # 5. A photo (with a GPS position in it).
    expect(page.get_by_role("heading", level=1)).to_have_text("Foto's en documenten")
    assert_accessible(page)
    page.get_by_label(re.compile("Voeg foto's of documenten toe")).set_input_files(photo_with_gps)
    page.get_by_role("button", name=re.compile("Voeg deze bestanden toe")).click()
    expect(main(page).get_by_role("link", name="speelplek.jpg")).to_be_visible()
    assert_accessible(page)
    next_step(page)

    # 6. Contact details.
    expect(page.get_by_role("heading", level=1)).to_have_text("Je gegevens")
    assert_accessible(page)
    page.get_by_label("een inwoner").check()
    page.get_by_label("Je naam").fill("Anna Visser")
    page.get_by_label("Je e-mailadres").fill("anna.visser@example.org")
    next_step(page)

    # 7. Check and send; a new resident confirms the address with the mailed code.
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleren en versturen")
    expect(main(page)).to_contain_text("Nieuwe bankjes bij het speelveld")
    expect(main(page)).to_contain_text("€\u00a01.250,50")
    assert_accessible(page)
    page.get_by_label(re.compile("voorwaarden")).check()
    page.get_by_label(re.compile("gegevens")).check()
    page.get_by_role("button", name="Verstuur mijn idee").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer je e-mailadres")
    assert_accessible(page)
    page.get_by_role("button", name="Stuur mij de code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vul de code in")
    code = re.search(r"^\s*(\d{6})\s*$", mailoutbox[-1].body, re.MULTILINE).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Inloggen").click()

    idea = Idea.objects.get(title="Nieuwe bankjes bij het speelveld")
    expect(page.get_by_role("heading", level=1)).to_contain_text("verstuurd")
    expect(main(page)).to_contain_text(idea.reference)
    assert re.fullmatch(rf"{timezone.localdate().year}-\d{{4}}", idea.reference)
    assert idea.status == Status.INGEDIEND and idea.submitted_by.email == "anna.visser@example.org"
    assert any(idea.reference in mail.subject for mail in mailoutbox)
    assert_accessible(page)

    # The idea is in "Mijn ideeën", with its photo, which no longer carries a position.
    main(page).get_by_role("link", name=re.compile("Mijn ideeën")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nieuwe bankjes bij het speelveld")
    assert_accessible(page)
    page.get_by_role("link", name="Mijn ideeën").first.click()
    expect(
        main(page).get_by_role("link", name="Nieuwe bankjes bij het speelveld", exact=True)
    ).to_be_visible()
    assert_accessible(page)
    attachment = idea.attachments.get()
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert 0x8825 not in image.getexif()


def test_a_kept_page_arrives_compressed_and_its_language_button_works(page):
    """The second visitor gets the kept idea list: one gzip stream made of parts compressed
    when it was kept and this visitor's own token (smederijen/gzipparts.py). Chromium reads it
    whole, and the token in it switches the language."""
    page.goto("/")
    page.get_by_role("link", name="Ideeën", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Ideeën")).to_be_visible()
    with page.expect_response(re.compile(r"/ideeen/$")) as kept:
        page.reload()
    assert kept.value.header_value("content-encoding") == "gzip"
    expect(page.get_by_role("heading", level=1, name="Ideeën")).to_be_visible()
    expect(page.locator(".idea-card").first).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_be_visible()  # the whole page, to its footer
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1, name="Ideas")).to_be_visible()
