"""A new year by clicking (issue 20, item 4): support staff open next year's budgets of every
area in one step (checked first) and copy this year's voorwaarden to next year in admin; axe on
every page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from budgets.models import Budget
from ideas.models import Condition
from smederijen.models import Smederij
from tests.browser.conftest import assert_accessible
from tests.browser.test_staff_start import sign_in_from_the_home_page, staff_menu

pytestmark = pytest.mark.browser


def test_support_opens_next_years_budgets_and_copies_the_voorwaarden(page):
    year = timezone.localdate().year
    sign_in_from_the_home_page(page, "annette.bartels@example.org")
    staff_menu(page).get_by_role("link", name="Budgetten").click()
    page.get_by_role("link", name=f"Budgetten van {year + 1} openen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Budgetten van {year + 1} openen")
    assert_accessible(page)

    # Last year's amounts are there; one area gets more, one is skipped for now.
    krakeel = page.get_by_label("Krakeel")
    expect(krakeel).not_to_have_value("")
    krakeel.fill("2.500,00")
    page.get_by_label("Elim").fill("")
    page.get_by_role("button", name="Budgetten controleren").click()
    expect(page.get_by_role("heading", name="Controleer voor je ze opent")).to_be_visible()
    assert_accessible(page)
    assert not Budget.objects.filter(year=year + 1).exists()
    page.get_by_role("button", name="Deze budgetten openen").click()
    expect(page.get_by_role("status").first).to_contain_text(f"voor {year + 1} zijn geopend")
    assert_accessible(page)
    areas = Smederij.objects.count()
    assert Budget.objects.filter(year=year + 1).count() == areas - 1
    assert str(Budget.objects.get(year=year + 1, smederij__slug="krakeel").available) == "2500.00"

    # The voorwaarden of this year to next year, in admin.
    staff_menu(page).get_by_role("link", name="Beheer").click()
    page.locator("#content-main").get_by_role("link", name=re.compile("^Voorwaarden")).first.click()
    page.get_by_role("link", name=str(year), exact=True).first.click()
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option(
        label="Gekozen voorwaarden kopiëren naar het volgende jaar"
    )
    page.get_by_role("button", name="Uitvoeren").click()
    expect(page.locator("#content")).to_contain_text(f"{year} → {year + 1}")
    assert_accessible(page)
    this_year = Condition.objects.filter(year=year).count()
    page.get_by_role("button", name="Ja, kopieer ze").click()
    expect(page.locator(".messagelist")).to_contain_text("gekopieerd naar het volgende jaar")
    assert_accessible(page)
    assert Condition.objects.filter(year=year + 1).count() == this_year
