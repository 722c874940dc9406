"""Issue 7's journey in headless Chromium, with axe-core on every page: a lange-klap plan of Krakeel
is sent to the stuurgroep by the wijkteam; two organisations record their positions; the secretary
plans a meeting and records seven members present; four members assess the plan; the chair records
a positive decision; the money is found; the wijkteam starts the plan and adds a milestone, which
appears on the public page; the submitter has a mail at each step."""

import re
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from budgets import services as budget_services
from ideas.demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET
from ideas.models import Assessment, Idea, Kind, OrganisationPosition
from ideas.workflow import Status
from smederijen.models import Smederij
from teams import services as team_services
from teams.models import StuurgroepMember, User
from tests.browser.conftest import assert_accessible
from tests.browser.test_review import (
    confirm,
    main,
    open_from_the_queue,
    sign_in_as_staff,
    take_step,
)
from tests.ideas.factories import submitted_idea

pytestmark = pytest.mark.browser

SECRETARY = "jan.bouwmeester@example.org"  # gebiedsregisseur of Krakeel
OPBOUWWERKER = "sanne.jonker@example.org"  # Stichting Welzijnswerk, wijkteam Krakeel
WIJKBEHEERDER = "ruud.hendriks@example.org"  # Domesta, dorpenteam Elim
RESIDENT = "kees.deboer@example.org"
TITLE = "Een buurtkamer in de oude bibliotheek van Krakeel"
REASON = "Bewoners en organisaties steunen het plan breed. Nu zoeken we samen het geld."


def give_account(member: StuurgroepMember, email: str) -> User:
    """Test set-up: a seated member of the demo gets an account to sign in with."""
    first, _, last = member.name.partition(" ")
    user = User.objects.create_user(
        email=email, password=DEMO_PASSWORD, first_name=first, last_name=last
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    TOTP.activate(user, DEMO_TOTP_SECRET)
    member.user = user
    member.save(update_fields=["user"])
    team_services.sync_role_groups(user)
    return user


def as_someone(browser, live_server, email: str, start: str):
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    tab = context.new_page()
    sign_in_as_staff(tab, email, start)
    assert_accessible(tab)
    return context, tab


def submit(tab) -> None:
    main(tab).locator("form[method='post'] button[type='submit']").last.click()


def test_the_stuurgroep_decides_and_the_funded_plan_starts(page, browser, live_server, mailoutbox):
    kees = User.objects.get(email=RESIDENT)
    krakeel = Smederij.objects.get(slug="krakeel")
    idea = submitted_idea(
        submitted_by=kees,
        smederij=krakeel,
        kind=Kind.LANGE_KLAP,
        title=TITLE,
        amount_requested=Decimal("24000.00"),
    )
    seated = list(StuurgroepMember.objects.seated().order_by("seat"))
    chair = next(m for m in seated if m.is_chair)
    ingrid = next(m for m in seated if m.user and m.user.email == "ingrid.mulder@example.org")
    chair_user = give_account(chair, "ellen.drenth@example.org")
    others = [m for m in seated if m.user is None and not m.is_chair][:2]
    assessors = [ingrid.user, chair_user] + [
        give_account(m, f"lid{m.seat}@example.org") for m in others
    ]

    # The wijkteam takes the plan up and sends it to the stuurgroep.
    sign_in_as_staff(page, OPBOUWWERKER, "/werkvoorraad/")
    open_from_the_queue(page, idea, Status.INGEDIEND)
    take_step(page, idea, "oppakken", "Het idee oppakken", "Het idee oppakken")
    confirm(page, "Het idee oppakken")
    expect(page).to_have_url(re.compile(rf"/werkvoorraad/{idea.public_id}/"))
    take_step(
        page, idea, "stuurgroep", "Naar de stuurgroep sturen", "Het plan naar de stuurgroep sturen"
    )
    confirm(page, "Naar de stuurgroep sturen")
    expect(page).to_have_url(re.compile(rf"/werkvoorraad/{idea.public_id}/"))
    assert Idea.objects.get(pk=idea.pk).status == Status.BIJ_STUURGROEP

    # Two organisations record their positions: Welzijnswerk (Sanne) and Domesta (Ruud).
    page.goto(f"/stuurgroep/dossiers/{idea.public_id}/standpunt/")
    assert_accessible(page)
    main(page).locator("input[name='stance'][value='steunt']").check()
    main(page).locator("textarea[name='explanation']").fill("Ons jongerenwerk helpt mee.")
    submit(page)
    expect(page.locator(".site-messages")).to_be_visible()
    context, ruud = as_someone(
        browser, live_server, WIJKBEHEERDER, f"/stuurgroep/dossiers/{idea.public_id}/standpunt/"
    )
    main(ruud).locator("input[name='stance'][value='neutraal']").check()
    main(ruud).locator("textarea[name='explanation']").fill("Eerst afspraken over de huur.")
    submit(ruud)
    expect(ruud.locator(".site-messages")).to_be_visible()
    context.close()
    assert OrganisationPosition.objects.filter(idea=idea).count() == 2

    # The secretary plans a meeting with the plan on the agenda and records seven present.
    context, jan = as_someone(browser, live_server, SECRETARY, "/stuurgroep/vergaderingen/nieuw/")
    main(jan).locator("input[name='date']").fill("2026-12-10")
    main(jan).locator("input[name='time']").fill("19:30")
    main(jan).locator("input[name='place']").fill("Raadhuis Hoogeveen")
    main(jan).get_by_label(re.compile(re.escape(TITLE))).check()
    submit(jan)
    expect(jan).to_have_url(re.compile(r"/stuurgroep/vergaderingen/\d+/$"))
    assert_accessible(jan)
    meeting_url = jan.url
    present = [chair, ingrid, *others] + [m for m in seated if m not in (chair, ingrid, *others)][
        :3
    ]
    for member in present:
        main(jan).locator(f"input[name='present'][value='{member.pk}']").check()
    main(jan).locator("form", has=jan.locator("input[name='present']")).locator(
        "button[type='submit']"
    ).click()
    expect(main(jan)).to_contain_text("7")
    assert_accessible(jan)
    context.close()

    # Four members assess the plan.
    for user in assessors:
        context, member = as_someone(
            browser, live_server, user.email, f"/stuurgroep/dossiers/{idea.public_id}/beoordelen/"
        )
        main(member).locator("input[name='residents_support'][value='4']").check()
        main(member).locator("input[name='professionals_support'][value='5']").check()
        main(member).locator("input[name='recommendation'][value='positief']").check()
        submit(member)
        expect(member).to_have_url(re.compile(rf"/stuurgroep/dossiers/{idea.public_id}/(#.*)?$"))
        assert_accessible(member)
        if user == chair_user:
            chair_context, ellen = context, member  # she records the decision later
        else:
            context.close()
    assert Assessment.objects.filter(idea=idea).count() == 4

    # The chair records the positive decision.
    # (Signed in already: a code from the app is used only once.)
    ellen.goto(meeting_url)
    assert_accessible(ellen)
    ellen.goto(meeting_url + f"besluit/{idea.public_id}/")
    assert_accessible(ellen)
    main(ellen).locator("input[name='outcome'][value='positief']").check()
    main(ellen).locator("textarea[name='public_reason']").fill(REASON)
    main(ellen).locator("input[name='votes_for']").fill("7")
    main(ellen).locator("input[name='votes_against']").fill("0")
    main(ellen).locator("input[name='abstentions']").fill("0")
    submit(ellen)
    expect(ellen).to_have_url(re.compile(re.escape(meeting_url) + "(#.*)?$"))
    assert_accessible(ellen)
    chair_context.close()
    assert Idea.objects.get(pk=idea.pk).status == Status.FINANCIERING

    # The money is found (the budgets issue's funding pages), so the wijkteam starts the plan.
    budget_services.save_funding_source(
        idea,
        actor=User.objects.get(email=SECRETARY),
        kind="gemeente",
        name="Gemeente Hoogeveen",
        amount=idea.budget_total,
        status="toegezegd",
    )
    open_from_the_queue(page, idea, Status.FINANCIERING)
    take_step(page, idea, "starten", "Uitvoering starten", "Het idee laten beginnen")
    confirm(page, "Uitvoering starten")
    expect(page).to_have_url(re.compile(rf"/werkvoorraad/{idea.public_id}/"))
    assert Idea.objects.get(pk=idea.pk).status == Status.IN_UITVOERING

    # A milestone on the review page appears on the public page.
    milestone_form = main(page).locator("form", has=page.locator("input[name='milestone-title']"))
    milestone_form.locator("input[name='milestone-title']").fill("Verbouwing klaar")
    milestone_form.locator("input[name='milestone-planned_on']").fill("2027-03-01")
    milestone_form.locator("button[type='submit']").click()
    expect(main(page)).to_contain_text("Verbouwing klaar")
    main(page).get_by_role("button", name="Het idee op de website zetten").click()
    visitor = browser.new_context(locale="nl-NL", base_url=live_server.url).new_page()
    visitor.goto(f"/ideeen/{idea.reference}/")
    expect(main(visitor)).to_contain_text("Verbouwing klaar")
    expect(main(visitor)).to_contain_text(REASON)
    expect(main(visitor)).not_to_contain_text("7 voor")
    assert_accessible(visitor)
    visitor.context.close()

    # The submitter has a mail at each step: taken up, with the stuurgroep, decided, started.
    news = [m for m in mailoutbox if RESIDENT in m.to and "Er is nieuws over je idee" in m.body]
    assert len(news) == 4, [m.body for m in news]
    assert [idea.reference in m.subject for m in news] == [True] * 4
    for status in ("in behandeling", "bij de stuurgroep", "op zoek naar geld", "in uitvoering"):
        assert len([m for m in news if f"De status is nu: {status}" in m.body]) == 1, status
    assert REASON in next(m.body for m in news if "op zoek naar geld" in m.body)
