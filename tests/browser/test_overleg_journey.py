"""Issue 21's journey in headless Chromium, with axe-core on every page: the gebiedsregisseur of
Krakeel plans a wijkoverleg with two ideas; an initiatiefgroep member says with the link in her
mail that she comes and adds a remark; the evening comes; the chair records the advice and who was
there, sends the draft and makes the minutes final; the submitter has the mail, and the idea's
public page shows the discussion."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from ideas import services
from ideas.models import Invitation, Overleg
from smederijen.models import Smederij
from teams.models import User
from tests.browser.conftest import assert_accessible
from tests.browser.test_review import main, sign_in_as_staff, sign_in_with_mailed_code
from tests.ideas.factories import submitted_idea

pytestmark = pytest.mark.browser

REGISSEUR = "jan.bouwmeester@example.org"  # gebiedsregisseur of Krakeel
FATIMA = "fatima.elamrani@example.org"  # initiatiefgroep Krakeel
RESIDENT = "kees.deboer@example.org"
FIRST = "Bloembakken langs de Schutstraat"
SECOND = "Een jeu de boules-baan bij de Kaap"
SUMMARY = "De initiatiefgroep steunt de bloembakken. Het wijkteam vraagt een offerte."


def test_an_overleg_is_planned_prepared_recorded_and_shown(page, browser, live_server):
    kees = User.objects.get(email=RESIDENT)
    krakeel = Smederij.objects.get(slug="krakeel")
    jan = User.objects.get(email=REGISSEUR)
    first = submitted_idea(submitted_by=kees, smederij=krakeel, title=FIRST)
    services.set_published(first, actor=jan, published=True)
    submitted_idea(submitted_by=kees, smederij=krakeel, title=SECOND)

    # The gebiedsregisseur plans it from the staff menu.
    sign_in_as_staff(page, REGISSEUR, "/wijkoverleg/")
    assert_accessible(page)
    main(page).get_by_role("link", name="Wijkoverleg plannen").click()
    # Jan works for five areas: he chooses Krakeel first, then sees its ideas that wait.
    assert_accessible(page)
    page.get_by_label("Wijk of dorp").select_option("krakeel")
    main(page).get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijkoverleg plannen")
    assert_accessible(page)
    day = timezone.localdate() + timedelta(days=5)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Begint om").fill("19:30")
    page.get_by_label("Eindigt om").fill("21:00")
    page.get_by_label("Plaats").fill("Wijkcentrum Krakeel, zaal 2")
    ideas = page.get_by_role("group", name="Ideeën op de agenda")
    for box in ideas.get_by_role("checkbox").all():
        box.set_checked(False)
    ideas.get_by_label(re.compile(FIRST)).check()
    ideas.get_by_label(re.compile(SECOND)).check()
    page.get_by_label("Andere onderwerpen").fill("Rondvraag")
    main(page).get_by_role("button", name="Plannen en uitnodigen").click()
    expect(page.locator(".site-messages")).to_contain_text("Het overleg is gepland")
    assert_accessible(page)
    # Cancelling asks first; he goes back without cancelling.
    main(page).get_by_role("button", name="Overleg afgelasten…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overleg afgelasten?")
    assert_accessible(page)
    main(page).get_by_role("link", name="Nee, terug naar het overleg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijkoverleg Krakeel")
    overleg = Overleg.objects.get(place="Wijkcentrum Krakeel, zaal 2")
    assert overleg.state == Overleg.State.GEPLAND
    assert [str(item).split(" ", 1)[-1] for item in overleg.items.all()] == [
        FIRST,
        SECOND,
        "Rondvraag",
    ]

    # Fatima's invitation: a calendar file, and her own link to answer.
    invitation = next(m for m in mail.outbox if m.to == [FATIMA] and "uitnodiging" in m.subject)
    (event,) = Calendar.from_ical(invitation.attachments[0][1]).walk("VEVENT")
    assert event.decoded("dtstart").strftime("%H:%M") == "19:30"
    answer_link = re.search(r"https?://\S+/wijkoverleg/antwoord/\S+/", invitation.body).group(0)
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    tab = context.new_page()
    tab.goto(re.sub(r"^https?://[^/]+", "", answer_link))
    expect(tab.get_by_role("heading", level=1)).to_have_text("Kom je naar het wijkoverleg?")
    assert_accessible(tab)
    tab.get_by_role("button", name="Ik kom", exact=True).click()
    expect(tab.locator(".site-messages")).to_contain_text("je antwoord is bewaard")
    assert Invitation.objects.get(overleg=overleg, user__email=FATIMA).answer == "ja"

    # She signs in and adds her remark to the first idea.
    tab.get_by_role("link", name="Bekijk de agenda (eerst inloggen)").click()
    sign_in_with_mailed_code(tab, FATIMA, f"/wijkoverleg/{overleg.public_id}/")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Wijkoverleg Krakeel")
    assert_accessible(tab)
    point = tab.locator("li.overleg-agenda__item", has=tab.get_by_role("heading", name=FIRST))
    point.get_by_label("Je advies").select_option("positief")
    point.get_by_label("Je opmerking").fill("Veel buren vragen hierom.")
    point.get_by_role("button", name=re.compile("Opmerking bewaren")).click()
    expect(tab.locator(".site-messages")).to_contain_text("Je opmerking is bewaard")
    assert_accessible(tab)
    context.close()

    # The evening has come (test set-up: the overleg moves to now).
    now = timezone.now()
    Overleg.objects.filter(pk=overleg.pk).update(
        starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=1)
    )
    page.reload()
    main(page).get_by_role("button", name="Verslag beginnen").click()
    point = page.locator("li.overleg-agenda__item", has=page.get_by_role("heading", name=FIRST))
    expect(point).to_contain_text("Veel buren vragen hierom.")
    expect(point.get_by_label("Wat is besproken")).to_be_visible()
    assert_accessible(page)
    point.get_by_label("Wat is besproken").fill("Iedereen is enthousiast; plek bij de school.")
    point.get_by_label("Advies van de initiatiefgroep").select_option("positief")
    point.get_by_label("Reden van het advies").fill("Veel steun in de straat.")
    point.get_by_label("Volgende stap: wat").fill("Offerte opvragen")
    point.get_by_label("Volgende stap: wie").fill("Sanne Jonker")
    point.get_by_label("Openbare samenvatting").fill(SUMMARY)
    point.get_by_role("button", name=re.compile("Verslag van dit punt bewaren")).click()
    expect(page.locator(".site-messages")).to_contain_text("Het verslag van dit punt is bewaard")
    point = page.locator("li.overleg-agenda__item", has=page.get_by_role("heading", name=SECOND))
    point.get_by_label("Advies van de initiatiefgroep").select_option("aanhouden")
    point.get_by_label("Reden van het advies").fill("Eerst met de buren praten.")
    point.get_by_label("Openbare samenvatting").fill("Besproken. Eerst praten met de buren.")
    with page.expect_navigation():
        point.get_by_role("button", name=re.compile("Verslag van dit punt bewaren")).click()
    assert_accessible(page)
    present = page.get_by_role("group", name="Wie waren er")
    present.get_by_label("Fatima el Amrani").check()
    present.get_by_label("Jan Bouwmeester").check()
    main(page).get_by_role("button", name="Bewaren wie er waren").click()
    expect(page.locator(".site-messages")).to_contain_text("Wie er waren is bewaard")
    main(page).get_by_role("button", name="Concept sturen naar wie er waren").click()
    expect(page.locator(".site-messages")).to_contain_text("concept-verslag is gestuurd naar de 2")
    assert any(m.to == [FATIMA, REGISSEUR] or set(m.to) == {FATIMA, REGISSEUR} for m in mail.outbox)
    main(page).get_by_role("button", name="Verslag vaststellen").click()
    expect(page.locator(".site-messages")).to_contain_text("Het verslag is vastgesteld")
    assert_accessible(page)

    # The submitter has the mail with the public summary only.
    to_kees = [m for m in mail.outbox if m.to == [kees.email] and SUMMARY in m.body]
    assert len(to_kees) == 1 and "Veel steun in de straat" not in to_kees[0].body

    # The idea's public page shows the discussion; the Smederij page lists it.
    visitor = browser.new_context(locale="nl-NL", base_url=live_server.url)
    tab = visitor.new_page()
    tab.goto("/smederijen/krakeel/")
    section = tab.locator("section", has=tab.get_by_role("heading", name="Wijkoverleg"))
    expect(section).to_contain_text(SUMMARY)
    assert_accessible(tab)
    section.get_by_role("link", name=FIRST).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text(FIRST)
    expect(main(tab)).to_contain_text("Besproken in het wijkoverleg van")
    expect(main(tab)).to_contain_text(SUMMARY)
    assert_accessible(tab)
    visitor.close()
