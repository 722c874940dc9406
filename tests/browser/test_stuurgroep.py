"""The stuurgroep's pages in headless Chromium, with axe-core on every page, on the demo data:
the secretary (the gebiedsregisseur of Krakeel) opens the dossiers and the meetings, plans a
meeting, opens the print agenda and the decision form; a resident member of the stuurgroep
assesses the Krakeel playground; the opbouwwerker of Krakeel records the position of her
organisation; a visitor sees the running lange-klap plans and their milestones.

This walks every new page; the full decision journey (seven present, four assessments, the chair's
decision, funding, start, a milestone, the mails) comes with the rest of issue 7.
"""

import re

import pytest
from playwright.sync_api import expect

from ideas.models import Assessment, Idea, Meeting, OrganisationPosition
from tests.browser.conftest import assert_accessible
from tests.browser.test_review import main, sign_in_as_staff

pytestmark = pytest.mark.browser

SECRETARY = "jan.bouwmeester@example.org"  # gebiedsregisseur of Krakeel
MEMBER = "ingrid.mulder@example.org"  # resident seat in the stuurgroep
OPBOUWWERKER = "sanne.jonker@example.org"  # Stichting Welzijnswerk, wijkteam Krakeel
PLAYGROUND = "Nieuwe speeltuin voor heel Krakeel"


def opens(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_every_stuurgroep_page_is_accessible(page, browser, live_server):
    playground = Idea.objects.get(title=PLAYGROUND)
    upcoming = Meeting.objects.order_by("-starts_at").first()

    sign_in_as_staff(page, SECRETARY, "/stuurgroep/dossiers/")
    assert_accessible(page)
    main(page).get_by_role("link", name=PLAYGROUND).first.click()
    expect(page).to_have_url(re.compile(rf"/stuurgroep/dossiers/{playground.public_id}/$"))
    expect(main(page)).to_contain_text("Domesta")  # the organisations' positions
    assert_accessible(page)
    opens(page, "/stuurgroep/vergaderingen/")
    opens(page, "/stuurgroep/vergaderingen/nieuw/")
    opens(page, f"/stuurgroep/vergaderingen/{upcoming.pk}/")
    opens(page, f"/stuurgroep/vergaderingen/{upcoming.pk}/agenda/")
    expect(main(page)).to_contain_text(PLAYGROUND)
    opens(page, f"/stuurgroep/vergaderingen/{upcoming.pk}/besluit/{playground.public_id}/")

    # A member of the stuurgroep records her assessment (a staff sign-in in another tab).
    member_context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    member = member_context.new_page()
    try:
        sign_in_as_staff(member, MEMBER, f"/stuurgroep/dossiers/{playground.public_id}/beoordelen/")
        assert_accessible(member)
        radios = main(member).locator("input[type='radio']")
        for name in ("residents_support", "professionals_support"):
            main(member).locator(f"input[name='{name}'][value='4']").check()
        main(member).locator("input[name='recommendation'][value='positief']").check()
        assert radios.count() >= 13
        main(member).locator("form[method='post'] button[type='submit']").last.click()
        expect(member).to_have_url(re.compile(rf"/stuurgroep/dossiers/{playground.public_id}/"))
        assert_accessible(member)
    finally:
        member_context.close()
    assessment = Assessment.objects.get(idea=playground)
    assert (assessment.residents_support, assessment.recommendation) == (4, "positief")

    # The opbouwwerker records the position of Stichting Welzijnswerk again, changed.
    staff_context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    staff = staff_context.new_page()
    try:
        sign_in_as_staff(
            staff, OPBOUWWERKER, f"/stuurgroep/dossiers/{playground.public_id}/standpunt/"
        )
        assert_accessible(staff)
        main(staff).locator("input[name='stance'][value='neutraal']").check()
        main(staff).locator("textarea[name='explanation']").fill(
            "We denken nog na over het beheer."
        )
        main(staff).locator("form[method='post'] button[type='submit']").last.click()
        expect(staff.locator(".site-messages")).to_be_visible()
        assert_accessible(staff)
    finally:
        staff_context.close()
    position = OrganisationPosition.objects.get(
        idea=playground, organisation__name="Stichting Welzijnswerk"
    )
    assert position.stance == "neutraal"

    # A visitor sees the running lange-klap plans, and one plan's milestones.
    visitor_context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    visitor = visitor_context.new_page()
    try:
        opens(visitor, "/lange-klap/")
        running = Idea.objects.filter(milestones__isnull=False, is_published=True).first()
        expect(main(visitor)).to_contain_text(running.title)
        opens(visitor, f"/ideeen/{running.reference}/")
        expect(main(visitor)).to_contain_text(running.milestones.first().title)
    finally:
        visitor_context.close()
