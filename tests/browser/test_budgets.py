"""The money in headless Chromium, with axe-core on every page: a resident follows the money from
the footer to one area and to a plan's funding; a gebiedsregisseur signs in (password and app
code) and reads the budgets, one budget's ledger and the year's report, on screen and in print.

The figures on the pages are checked against the services, in Dutch notation (€ 1.234,56)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from budgets import services
from budgets.models import Budget, FundingSource, Grant
from ideas.demo.people import DEMO_PASSWORD, current_totp_code
from ideas.models import Idea
from smederijen.templatetags.money import format_euro
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

EURO = re.compile(r"€\s\d{1,3}(\.\d{3})*,\d{2}")


def main(page):
    return page.get_by_role("main")


def figures(totals) -> list[str]:
    return [
        format_euro(v)
        for v in (totals.budget, totals.granted, totals.spent, totals.returned, totals.available)
    ]


def test_a_resident_follows_the_money_from_the_footer(page):
    year = timezone.localdate().year
    budgets = list(
        Budget.objects.filter(year=year, smederij__is_active=True).select_related("smederij")
    )
    assert budgets, "the demo data has budgets for this year"
    totals = services.totals_by_budget(budgets)
    overall = sum(totals.values(), start=services.Totals())

    page.goto("/")
    footer_link = page.get_by_role("contentinfo").get_by_role(
        "link", name="Waar gaat het geld heen?"
    )
    expect(footer_link).to_have_attribute("href", "/bewonersbudget/")
    footer_link.click()
    expect(page).to_have_url(re.compile("/bewonersbudget/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    assert_accessible(page)

    table = main(page).get_by_role("table")
    expect(table).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_count(len(budgets))
    for amount in figures(overall):
        expect(table.locator("tfoot")).to_contain_text(amount)
    expect(main(page).locator("dl").first).to_contain_text(figures(overall)[-1])

    # One area: Krakeel.
    krakeel = next(b for b in budgets if b.smederij.slug == "krakeel")
    table.get_by_role("link", name=re.compile("Krakeel")).click()
    expect(page).to_have_url(re.compile(f"/bewonersbudget/krakeel/{year}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Krakeel")
    assert_accessible(page)
    for amount in figures(totals[krakeel.pk]):
        expect(main(page).locator("dl").first).to_contain_text(amount)
    grants = Grant.objects.filter(budget=krakeel).exclude(state=Grant.State.WITHDRAWN)
    shown = [g for g in grants.select_related("idea") if g.idea.is_published]
    if shown:
        rows = main(page).get_by_role("table").locator("tbody tr")
        expect(rows).to_have_count(len(shown))
        for grant in shown:
            expect(main(page)).to_contain_text(grant.idea.title)
            expect(main(page)).to_contain_text(format_euro(grant.amount))
    for grant in grants.filter(idea__is_published=False).select_related("idea"):
        expect(main(page)).not_to_contain_text(grant.idea.title)

    # Other years of the same area are one click away, when there are any.
    years = main(page).get_by_role("navigation").get_by_role("link")
    if Budget.objects.filter(smederij=krakeel.smederij).count() > 1:
        expect(years.filter(has_text=str(year - 1))).to_have_count(1)


@pytest.mark.parametrize(
    "title",
    ["Groene binnentuin achter de Verzetsstraat", "Dorpshuis Elim groter maken"],
    ids=["partly funded", "fully funded"],
)
def test_a_resident_reads_how_a_plan_is_funded(page, title):
    plan = Idea.objects.published().get(title=title)
    funding = services.funding_of(plan)
    sources = FundingSource.objects.filter(idea=plan)

    page.goto(f"/ideeen/{plan.reference}/geld/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page)
    body = main(page)
    expect(body).to_contain_text(plan.title)
    for amount in (funding.needed, funding.committed, funding.missing):
        expect(body.locator("dl").first).to_contain_text(format_euro(amount))
    expect(body).to_contain_text(f"{funding.percentage}%")
    expect(body.get_by_role("table").locator("tbody tr")).to_have_count(sources.count())
    for source in sources:
        expect(body.get_by_role("table")).to_contain_text(source.name)
    if funding.fully_funded:
        expect(body.locator(".utrecht-alert--ok")).to_have_count(1)
    else:
        expect(body.locator(".utrecht-alert--ok")).to_have_count(0)
        assert funding.missing > 0

    # From the funding page back to the plan's own page.
    body.get_by_role("link", name=plan.title).first.click()
    expect(page).to_have_url(re.compile(f"/ideeen/{plan.reference}/$"))


def sign_in_as_staff(page, email: str) -> None:
    page.goto("/budgetten/")
    expect(page).to_have_url(re.compile("/account/login/"))
    staff = page.get_by_role("region", name="Medewerkers")
    staff.get_by_label("E-mailadres").fill(email)
    staff.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="Inloggen met wachtwoord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code uit je app")
    page.get_by_label("Code").fill(current_totp_code())
    page.get_by_role("button", name="Inloggen").click()
    expect(page).not_to_have_url(re.compile("/account/2fa/authenticate/"))
    page.wait_for_load_state("load")


def test_a_gebiedsregisseur_reads_the_budgets_the_ledger_and_the_report(page):
    year = timezone.localdate().year
    sign_in_as_staff(page, "jan.bouwmeester@example.org")

    # The budgets of this year of his own five areas.
    page.goto("/budgetten/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    assert_accessible(page)
    budgets = list(
        Budget.objects.filter(
            year=year, smederij__gebiedsregisseur__email="jan.bouwmeester@example.org"
        ).select_related("smederij")
    )
    assert len(budgets) == 5
    totals = services.totals_by_budget(budgets)
    table = main(page).get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(len(budgets))

    # One budget: its figures, its grants and its ledger, with the balance at the foot.
    krakeel = next(b for b in budgets if b.smederij.slug == "krakeel")
    table.get_by_role("link", name=re.compile("Krakeel")).click()
    expect(page).to_have_url(re.compile(f"/budgetten/krakeel/{year}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Krakeel")
    assert_accessible(page)
    for amount in figures(totals[krakeel.pk]):
        expect(main(page).locator("dl").first).to_contain_text(amount)
    ledger = main(page).get_by_role("table").last
    expect(ledger.locator("tbody tr")).to_have_count(krakeel.entries.count())
    expect(ledger.locator("tfoot")).to_contain_text(format_euro(krakeel.available))
    assert services.ledger_balance(krakeel) == krakeel.available

    # The report of the year: charts with their tables, the figures per area and in total.
    page.goto("/rapportage/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    assert_accessible(page)
    tables = main(page).get_by_role("table")
    assert tables.count() >= 2
    expect(main(page).locator("svg[role=img]").first).to_be_visible()
    expect(main(page)).to_contain_text(EURO)
    # The report covers every area (it holds no personal data).
    every_budget = list(Budget.objects.filter(year=year))
    report_totals = sum(services.totals_by_budget(every_budget).values(), start=services.Totals())
    expect(main(page)).to_contain_text(format_euro(report_totals.granted))
    for link in ("export.csv", "export.xlsx"):
        expect(main(page).locator(f'a[href*="{link}"]')).to_have_count(1)

    # On paper the tables are all still there, whole.
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for i in range(tables.count()):
        expect(tables.nth(i)).to_be_visible()
    expect(main(page)).to_contain_text(format_euro(report_totals.granted))
    page.emulate_media(media="screen")
