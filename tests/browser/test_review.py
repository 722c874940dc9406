"""The wijkteam's review in headless Chromium, with axe-core on every page: a member of the wijkteam
of Krakeel finds a new idea in the werkvoorraad and asks a question; the resident signs in with a
mailed code and answers it in "Mijn ideeën"; the member approves the idea and grants € 750; the
bewonersbudget of Krakeel drops by exactly € 750; the resident sees the new status and has the mail.
Later the work is done: the resident accounts for € 690 with a receipt and a photo, the member signs
it off and € 60 returns to the budget; the public page shows the result, and the resident answers
the satisfaction question from the link in the closing mail.

Every page is checked in Dutch, as residents and staff see it: headings, links, buttons, labels
and messages by their Dutch text (the review pages' texts are in locale/nl since issue 6).
"""

import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from budgets.models import Budget
from ideas.demo.ideas import DEMO_RECEIPT
from ideas.demo.people import DEMO_PASSWORD, current_totp_code
from ideas.models import Idea, Kind, SatisfactionSurvey
from ideas.workflow import Status
from smederijen.models import Smederij
from teams.models import User
from tests.browser.conftest import assert_accessible
from tests.ideas.factories import submitted_idea

pytestmark = pytest.mark.browser

MEMBER = "sanne.jonker@example.org"  # opbouwwerker in the wijkteam of Krakeel
RESIDENT = "kees.deboer@example.org"
TITLE = "Bankjes bij buurthuis De Tamboer"
QUESTION = "Hoeveel bankjes wilt u, en wie zet ze neer?"
ANSWER = "Drie bankjes. De buren van de Tamboerlaan zetten ze samen neer."
STORY = "De bankjes staan er. Op zaterdag hebben tien buren ze samen neergezet."
WHY = "Snel geholpen en duidelijke uitleg."


def a_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (40, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def main(page):
    return page.get_by_role("main")


def form_with(page, field: str):
    """The form that holds the field named ``field``."""
    return page.locator("form", has=page.locator(f"[name='{field}']"))


def sign_in_as_staff(page, email: str, start: str) -> None:
    page.goto(start)
    expect(page).to_have_url(re.compile("/account/login/"))
    assert_accessible(page)
    staff = page.get_by_role("region", name="Medewerkers")
    staff.get_by_label("E-mailadres").fill(email)
    staff.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="Inloggen met wachtwoord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code uit je app")
    assert_accessible(page)
    page.get_by_label("Code").fill(current_totp_code())
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(re.escape(start) + "$"))


def sign_in_with_mailed_code(page, email: str, start: str) -> None:
    page.goto(start)
    expect(page).to_have_url(re.compile("/account/login/"))
    main(page).get_by_role("link", name=re.compile("code", re.IGNORECASE)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen met een code")
    assert_accessible(page)
    page.get_by_label("Je e-mailadres").fill(email)
    page.get_by_role("button", name="Stuur mij een code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vul de code in")
    assert_accessible(page)
    codes = [
        re.search(r"^\s*(\d{6})\s*$", m.body, re.MULTILINE) for m in mail.outbox if email in m.to
    ]
    page.get_by_label("Code").fill([c for c in codes if c][-1].group(1))
    page.get_by_role("button", name="Inloggen").click()
    expect(page).not_to_have_url(re.compile("/account/login/"))
    if not page.url.endswith(start):
        page.goto(start)


def open_from_the_queue(page, idea, status: str) -> None:
    """In the werkvoorraad: filter on the status and open the idea."""
    page.goto("/werkvoorraad/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkvoorraad")
    form_with(page, "status").locator("select[name='status']").select_option(status)
    main(page).get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(rf"[?&]status={status}"))
    assert_accessible(page)
    main(page).get_by_role("link", name=idea.title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/werkvoorraad/{idea.public_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(idea.title)
    assert_accessible(page)


def take_step(page, idea, slug: str, link: str, heading: str) -> None:
    """On the review page: follow the step's link to its confirm page."""
    step = main(page).get_by_role("link", name=link, exact=True)
    expect(step).to_have_attribute("href", f"/werkvoorraad/{idea.public_id}/{slug}/")
    step.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(main(page)).to_contain_text(idea.title)
    assert_accessible(page)


def confirm(page, button: str) -> None:
    """Press the confirm button (it is named like the step)."""
    main(page).locator("form[method='post']").get_by_role("button", name=button).click()


def back_on_the_review_page(page, idea, status: str, message: str) -> None:
    expect(page).to_have_url(re.compile(rf"/werkvoorraad/{idea.public_id}/(#.*)?$"))
    # The step is done: a success message says so (not an error).
    expect(page.locator(".site-messages .utrecht-alert--ok")).to_contain_text(message)
    assert_accessible(page)
    assert Idea.objects.get(pk=idea.pk).status == status


def test_the_wijkteam_grants_750_and_the_resident_accounts_for_690(
    page, browser, live_server, mailoutbox
):
    year = timezone.localdate().year
    kees = User.objects.get(email=RESIDENT)
    krakeel = Smederij.objects.get(slug="krakeel")
    idea = submitted_idea(
        submitted_by=kees,
        smederij=krakeel,
        kind=Kind.KORTE_KLAP,
        title=TITLE,
        amount_requested=Decimal("750.00"),
        contact_name="Kees de Boer",
    )
    budget = Budget.objects.get(smederij=krakeel, year=year)
    available = budget.available
    assert available >= Decimal("750.00"), "the demo budget of Krakeel has room for € 750"

    # The member signs in and finds the new idea in the werkvoorraad.
    sign_in_as_staff(page, MEMBER, "/werkvoorraad/")
    assert_accessible(page)
    expect(main(page)).to_contain_text(idea.reference)
    open_from_the_queue(page, idea, Status.INGEDIEND)
    expect(main(page)).to_contain_text(RESIDENT)  # the contact details, for staff

    # She asks a question.
    take_step(page, idea, "vraag", "Vraag stellen", "De indiener een vraag stellen")
    page.get_by_label("Je vraag aan de indiener").fill(QUESTION)
    confirm(page, "Vraag stellen")
    back_on_the_review_page(
        page, idea, Status.AANVULLING_GEVRAAGD, "Je vraag is naar de indiener gestuurd."
    )
    asked = [m for m in mailoutbox if RESIDENT in m.to and QUESTION in m.body]
    assert len(asked) == 1

    # The resident signs in with a mailed code and answers in "Mijn ideeën".
    resident_context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    resident = resident_context.new_page()
    script_errors = []
    resident.on("pageerror", lambda error: script_errors.append(str(error)))
    try:
        sign_in_with_mailed_code(resident, RESIDENT, "/account/mijn-ideeen/")
        expect(resident.get_by_role("heading", level=1)).to_have_text("Mijn ideeën")
        assert_accessible(resident)
        main(resident).get_by_role("link", name=TITLE, exact=True).click()
        expect(resident.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(main(resident)).to_contain_text("Het wijkteam heeft een vraag voor je")
        expect(main(resident)).to_contain_text(QUESTION)
        assert_accessible(resident)
        main(resident).get_by_role("link", name="Beantwoord de vraag").click()
        answer = resident.get_by_label("Je antwoord aan het wijkteam")
        expect(answer).to_be_visible()
        assert_accessible(resident)
        answer.fill(ANSWER)
        resident.get_by_role("button", name="Verstuur mijn antwoord").click()
        expect(resident).to_have_url(re.compile(rf"/account/mijn-ideeen/{idea.public_id}/$"))
        expect(main(resident)).not_to_contain_text("Het wijkteam heeft een vraag voor je")
        assert_accessible(resident)
        assert Idea.objects.get(pk=idea.pk).status == Status.IN_BEHANDELING

        # The idea is back in the werkvoorraad, with the answer; the member approves it.
        open_from_the_queue(page, idea, Status.IN_BEHANDELING)
        expect(main(page)).to_contain_text(ANSWER)
        take_step(page, idea, "goedkeuren", "Goedkeuren", "Het idee goedkeuren")
        confirm(page, "Goedkeuren")
        back_on_the_review_page(
            page,
            idea,
            Status.GOEDGEKEURD,
            "Het idee is goedgekeurd: het voldoet aan de voorwaarden.",
        )

        # And grants € 750: the asked amount is filled in already.
        take_step(
            page, idea, "toekennen", "Geld toekennen", "Geld toekennen uit het bewonersbudget"
        )
        amount = page.get_by_label("Bedrag dat je toekent")
        expect(amount).to_have_attribute("name", "amount")
        expect(amount).to_have_value(re.compile(r"^750([.,]00)?$"))
        confirm(page, "Geld toekennen")
        back_on_the_review_page(page, idea, Status.BUDGET_TOEGEKEND, "Het geld is toegekend.")
        budget.refresh_from_db()
        assert budget.available == available - Decimal("750.00")

        # The resident sees the new status, and has the mail.
        resident.reload()
        expect(resident.locator(".idea-status")).to_contain_text("Budget toegekend")
        assert_accessible(resident)
        main(resident).get_by_role("link", name=re.compile("Mijn ideeën")).first.click()
        expect(main(resident).get_by_role("link", name=TITLE, exact=True)).to_be_visible()
        expect(main(resident)).to_contain_text(re.compile("budget toegekend", re.IGNORECASE))
        assert_accessible(resident)

        # The work starts, and when it is done the member marks it realised.
        take_step(page, idea, "starten", "Uitvoering starten", "Het idee laten beginnen")
        confirm(page, "Uitvoering starten")
        back_on_the_review_page(page, idea, Status.IN_UITVOERING, "Het idee wordt nu uitgevoerd.")
        take_step(page, idea, "gerealiseerd", "Gerealiseerd", "Het idee op gerealiseerd zetten")
        confirm(page, "Gerealiseerd")
        back_on_the_review_page(
            page, idea, Status.GEREALISEERD, "Het idee staat nu op gerealiseerd."
        )
        main(page).get_by_role("button", name="Het idee op de website zetten").click()
        expect(page.locator(".site-messages")).to_contain_text("Het idee staat nu op de website.")

        # The resident accounts for € 690, with a receipt and a photo of the result.
        resident.goto(f"/account/mijn-ideeen/{idea.public_id}/")
        main(resident).get_by_role("link", name="Vertel hoe het ging en wat het kostte").click()
        expect(resident.get_by_role("heading", level=1)).to_have_text(
            "Vertel hoe het ging en wat het kostte"
        )
        assert_accessible(resident)
        resident.get_by_label("Wat heeft het echt gekost?").fill("690")
        resident.get_by_label("Hoe ging het?").fill(STORY)
        resident.get_by_label("De foto's van het resultaat mogen op de website staan").check()
        resident.get_by_label("Voeg bonnetjes of facturen toe").set_input_files(
            {"name": "bon-bouwmarkt.pdf", "mimeType": "application/pdf", "buffer": DEMO_RECEIPT}
        )
        resident.get_by_label("Voeg foto's van het resultaat toe").set_input_files(
            {"name": "bankjes.jpg", "mimeType": "image/jpeg", "buffer": a_photo()}
        )
        main(resident).get_by_role("button", name="Voeg deze bestanden toe").first.click()
        expect(main(resident)).to_contain_text("bon-bouwmarkt.pdf")
        expect(main(resident)).to_contain_text("bankjes.jpg")
        expect(resident.get_by_label("Wat heeft het echt gekost?")).to_have_value(
            re.compile(r"^690([.,]00)?$")
        )  # what was typed stays
        assert_accessible(resident)
        main(resident).get_by_role("button", name="Naar het wijkteam sturen").click()
        expect(resident.locator(".site-messages")).to_contain_text(
            "Je verantwoording is naar het wijkteam gestuurd."
        )
        assert_accessible(resident)

        # The member finds it in the werkvoorraad and signs it off: € 60 goes back.
        open_from_the_queue(page, idea, "verantwoording")
        expect(main(page)).to_contain_text(STORY)
        take_step(
            page, idea, "afronden", "De verantwoording goedkeuren", "De verantwoording goedkeuren"
        )
        expect(page.get_by_label("Kosten die je goedkeurt")).to_have_value(
            re.compile(r"^690([.,]00)?$")
        )
        expect(main(page)).to_contain_text("60,00")
        confirm(page, "De verantwoording goedkeuren")
        back_on_the_review_page(
            page, idea, Status.AFGEROND, "De verantwoording is goedgekeurd. Het idee is afgerond."
        )
        budget.refresh_from_db()
        assert budget.available == available - Decimal("750.00") + Decimal("60.00")

        # The public page shows the result, with the photo the resident allowed.
        resident.goto(f"/ideeen/{idea.reference}/")
        result = main(resident).get_by_role("region", name="Resultaat")
        expect(result).to_contain_text(STORY)
        expect(result).to_contain_text("690,00")
        expect(result.get_by_role("img")).to_have_count(1)
        expect(main(resident)).not_to_contain_text("bon-bouwmarkt.pdf")
        assert_accessible(resident)

        # The closing mail asks how satisfied the resident is: one click to a short form.
        closing = [m for m in mailoutbox if RESIDENT in m.to and "afgerond" in m.body]
        assert len(closing) == 1
        link = re.search(r"(/tevredenheid/[0-9a-f-]+/\?cijfer=4)", closing[0].body).group(1)
        resident.goto(link)
        expect(resident.get_by_role("heading", level=1)).to_have_text("Hoe tevreden ben je?")
        expect(resident.get_by_label("Tevreden", exact=True)).to_be_checked()
        assert_accessible(resident)
        resident.get_by_label("Waarom kies je dit antwoord?").fill(WHY)
        main(resident).get_by_role("button", name="Verstuur mijn antwoord").click()
        expect(resident.get_by_role("heading", level=1)).to_have_text("Bedankt voor je antwoord")
        assert_accessible(resident)
        survey = SatisfactionSurvey.objects.get(idea=idea)
        assert (survey.score, survey.reason) == (4, WHY)
    finally:
        resident_context.close()
    assert script_errors == []

    news = [m for m in mailoutbox if RESIDENT in m.to and idea.reference in m.subject]
    # The grant's mail says the amount, in its subject too.
    assert all(
        f"je idee {idea.reference} krijgt € 750,00" in m.subject.replace("\xa0", " ")
        for m in news
        if "budget toegekend" in m.body
    )
    granted = [m for m in news if "budget toegekend" in m.body and "750,00" in m.body]
    assert len(granted) == 1, [m.body for m in news]
    assert f"/account/mijn-ideeen/{idea.public_id}/" in granted[0].body
