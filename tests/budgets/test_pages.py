"""The money pages: staff pages and public transparency show the right totals in Dutch notation,
the public never sees an unpublished idea's title or anyone's name, every page needs the same
queries for 2 or 40 grants, and the exports give the same figures as the report page."""

import html as html_lib
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse
from django.utils import timezone

from budgets import services
from budgets.models import Budget, FundingSource
from ideas import services as idea_services
from ideas.models import Idea
from smederijen.templatetags.money import format_euro
from teams.models import User
from tests.budgets.conftest import THIS_YEAR, grantable_idea, lange_klap_plan
from tests.smederijen.dates import assert_no_english_month, in_dutch

pytestmark = pytest.mark.django_db

D = Decimal


def text(response) -> str:
    assert response.status_code == 200, response
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def money(people, regisseur, team_member, elim_member, office):
    """Krakeel: € 1.234,56 this year; two published ideas and one unpublished idea got money;
    one spent part and is settled. Elim: € 500,00, one grant."""
    krakeel, elim = people["krakeel"], people["elim"]
    budget = services.open_budget(krakeel, THIS_YEAR, "1000.00", actor=regisseur)
    services.top_up(budget, "234.56", actor=regisseur, reason="Extra van de gemeente")
    benches = grantable_idea(
        krakeel, team_member, asked="750.00", published=True, title="Bankjes bij de vijver"
    )
    party = grantable_idea(
        krakeel, team_member, asked="400.00", published=True, title="Buurtfeest in de Krakeel"
    )
    secret = grantable_idea(krakeel, team_member, asked="300.00", title="Geheim plan bij school")
    benches_grant = idea_services.grant_budget(benches, "500.00", actor=team_member)
    services.record_payment(benches_grant, "123.45", actor=team_member, description="Hout")
    party_grant = idea_services.grant_budget(party, "400.00", actor=regisseur)
    services.record_payment(party_grant, "350.10", actor=team_member, description="Tent")
    services.settle_grant(party_grant, actor=team_member)  # € 49,90 comes back
    idea_services.grant_budget(secret, "250.00", actor=team_member)

    elim_budget = services.open_budget(elim, THIS_YEAR, "500.00", actor=office)
    village = grantable_idea(
        elim, elim_member, asked="120.00", published=True, title="Dorpsquiz in Elim"
    )
    idea_services.grant_budget(village, "120.00", actor=elim_member)
    return {
        "budget": budget,
        "elim_budget": elim_budget,
        "published": [benches, party, village],
        "secret": secret,
    }


# Krakeel's figures: budget, granted, spent, returned, available.
KRAKEEL = ("1234.56", "1150.00", "473.55", "49.90", "134.46")
ELIM = ("500.00", "120.00", "0.00", "0.00", "380.00")
OVERALL = ("1734.56", "1270.00", "473.55", "49.90", "514.46")


def figures(totals) -> tuple:
    return tuple(
        str(v)
        for v in (totals.budget, totals.granted, totals.spent, totals.returned, totals.available)
    )


def euro(amount: str) -> str:
    return format_euro(D(amount))


def test_the_services_agree_with_the_figures_of_these_tests(money):
    for budget in (money["budget"], money["elim_budget"]):
        budget.refresh_from_db()
    assert figures(services.budget_totals(money["budget"])) == KRAKEEL
    assert figures(services.budget_totals(money["elim_budget"])) == ELIM
    assert euro("1234.56") == "€\xa01.234,56"


# Staff pages -----------------------------------------------------------------------------------


def test_the_budget_list_shows_each_areas_figures(client, people, money):
    client.force_login(people["users"]["ondersteuning"])
    page = text(client.get(reverse("budgets:budget-list")))
    for amount in KRAKEEL + ELIM:
        assert euro(amount) in page, amount
    assert money["budget"].get_absolute_url() in page
    assert money["elim_budget"].get_absolute_url() in page


def test_a_wijkteam_member_lists_only_the_budget_of_their_area(client, people, money):
    client.force_login(people["users"]["wijkteam_a"])
    response = client.get(reverse("budgets:budget-list"))
    page = text(response)
    assert [row["budget"] for row in response.context["rows"]] == [money["budget"]]
    assert euro("1234.56") in page
    assert money["elim_budget"].get_absolute_url() not in page
    assert euro(ELIM[-1]) not in page


def test_the_budget_detail_shows_figures_grants_and_ledger(client, people, money):
    client.force_login(people["users"]["wijkteam_a"])
    response = client.get(money["budget"].get_absolute_url())
    page = text(response)
    assert figures(response.context["totals"]) == KRAKEEL
    for amount in KRAKEEL:
        assert euro(amount) in page, amount
    # Every grant (unpublished ones too: this is a staff page) and every ledger line's amount.
    for title in ["Bankjes bij de vijver", "Buurtfeest in de Krakeel", "Geheim plan bij school"]:
        assert title in page
    for amount in ["-500.00", "-400.00", "-250.00", "234.56", "49.90", "123.45", "350.10"]:
        assert euro(amount) in page, amount
    assert len(response.context["entries"]) == 6  # opening, top-up, three grants, one return


def test_the_report_shows_the_years_figures(client, people, money):
    client.force_login(people["users"]["gebiedsregisseur"])
    response = client.get(reverse("ideas:report"), {"jaar": THIS_YEAR})
    page = text(response)
    report = response.context["report"]
    assert report.year == THIS_YEAR
    assert figures(report.total.money) == OVERALL
    rows = {row.smederij.slug: row for row in report.rows}
    assert figures(rows["krakeel"].money) == KRAKEEL
    assert figures(rows["elim"].money) == ELIM
    assert (rows["krakeel"].ideas, rows["elim"].ideas) == (3, 1)
    assert report.total.asked == D("1570.00")  # 750 + 400 + 300 + 120
    for amount in OVERALL + KRAKEEL + ELIM:
        assert euro(amount) in page, amount


# Public pages ----------------------------------------------------------------------------------


def test_the_transparency_page_shows_every_area_and_the_total(client, money):
    response = client.get(reverse("budgets:transparency"))
    page = text(response)
    assert figures(response.context["overall"]) == OVERALL
    for amount in OVERALL + KRAKEEL + ELIM:
        assert euro(amount) in page, amount
    detail = reverse("budgets:transparency-detail", args=["krakeel", THIS_YEAR])
    assert detail in page


def test_the_transparency_detail_lists_published_ideas_and_only_counts_the_others(
    client, people, money
):
    url = reverse("budgets:transparency-detail", args=["krakeel", THIS_YEAR])
    response = client.get(url)
    page = text(response)
    assert figures(response.context["totals"]) == KRAKEEL
    for amount in KRAKEEL:
        assert euro(amount) in page, amount
    assert "Bankjes bij de vijver" in page and "Buurtfeest in de Krakeel" in page
    assert euro("500.00") in page and euro("350.10") in page
    # The unpublished idea: no title, no reference, only how many and how much.
    secret = money["secret"]
    assert secret.title not in page and secret.reference not in page
    assert (response.context["hidden_count"], response.context["hidden_total"]) == (1, D("250.00"))
    assert euro("250.00") in page
    # Elim's idea is on Elim's page, not here.
    assert "Dorpsquiz in Elim" not in page


@pytest.mark.parametrize("slug", ["krakeel", "elim"])
def test_no_name_or_address_of_anyone_on_the_public_money_pages(client, people, money, slug):
    pages = [
        text(client.get(reverse("budgets:transparency"))),
        text(client.get(reverse("budgets:transparency-detail", args=[slug, THIS_YEAR]))),
    ]
    private = set()
    for user in User.objects.all():
        private.add(user.email)
        if user.get_full_name().strip():
            private.add(user.get_full_name())
    for idea in Idea.objects.all():
        private.update({idea.contact_name, idea.contact_email, idea.contact_phone})
    private.discard("")
    for page in pages:
        found = sorted(p for p in private if p in page)
        assert found == []


def test_a_transparency_page_of_an_unknown_year_or_area_is_not_found(client, money):
    assert (
        client.get(reverse("budgets:transparency-detail", args=["krakeel", 1999])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("budgets:transparency-detail", args=["bestaat-niet", THIS_YEAR])
        ).status_code
        == 404
    )


@pytest.fixture
def plan(people):
    regisseur = people["users"]["gebiedsregisseur"]
    plan = lange_klap_plan(
        people["krakeel"],
        regisseur,
        lines=[("Speeltoestellen", D("6000.00")), ("Bestrating", D("4000.00"))],
        title="Het Krakeelpark opnieuw ingericht",
    )
    for name, amount, status in [
        ("Gemeente Hoogeveen", "4000.00", FundingSource.Status.ONTVANGEN),
        ("Domesta", "1234.56", FundingSource.Status.TOEGEZEGD),
        ("Oranje Fonds", "2500.00", FundingSource.Status.GEVRAAGD),
        ("Rabobank", "900.00", FundingSource.Status.AFGEWEZEN),
    ]:
        services.save_funding_source(
            plan, actor=regisseur, kind="fonds", name=name, amount=amount, status=status
        )
    return plan


def test_the_plan_funding_page_shows_what_is_covered_and_what_is_missing(client, plan):
    response = client.get(reverse("ideas:plan-funding", args=[plan.reference]))
    page = text(response)
    funding = response.context["funding"]
    assert (funding.needed, funding.committed, funding.missing) == (
        D("10000.00"),
        D("5234.56"),
        D("4765.44"),
    )
    assert funding.fully_funded is False
    for amount in ["10000.00", "5234.56", "4765.44"]:
        assert euro(amount) in page, amount
    assert plan.title in page


def test_the_plan_funding_page_of_an_unpublished_plan_is_not_found(client, people):
    plan = lange_klap_plan(
        people["krakeel"],
        people["users"]["gebiedsregisseur"],
        lines=[("Bankjes", D("100.00"))],
        published=False,
    )
    assert client.get(reverse("ideas:plan-funding", args=[plan.reference])).status_code == 404


# Queries ---------------------------------------------------------------------------------------


def more_grants(smederij, actor, count: int, *, first: int) -> None:
    """``count`` grants with a payment each; every other idea published, every third settled."""
    for n in range(first, first + count):
        idea = grantable_idea(
            smederij, actor, asked="10.00", published=n % 2 == 0, title=f"Idee nummer {n}"
        )
        grant = idea_services.grant_budget(idea, "10.00", actor=actor)
        services.record_payment(grant, "2.50", actor=actor, description=f"Bon {n}")
        if n % 3 == 0:
            services.settle_grant(grant, actor=actor)


QUERY_PAGES = [
    ("budgets:budget-list", None, "gebiedsregisseur"),
    ("budgets:budget-detail", ["krakeel", THIS_YEAR], "wijkteam_a"),
    ("ideas:report", None, "ondersteuning"),
    ("budgets:transparency", None, "anonymous"),
    ("budgets:transparency-detail", ["krakeel", THIS_YEAR], "anonymous"),
]


@pytest.mark.parametrize("url_name, args, role", QUERY_PAGES, ids=[p[0] for p in QUERY_PAGES])
def test_the_money_pages_need_the_same_queries_for_2_or_40_grants(
    client, people, django_assert_num_queries, django_assert_max_num_queries, url_name, args, role
):
    regisseur, member = people["users"]["gebiedsregisseur"], people["users"]["wijkteam_a"]
    services.open_budget(people["krakeel"], THIS_YEAR, "1000.00", actor=regisseur)
    more_grants(people["krakeel"], member, 2, first=0)
    if people["users"][role] is not None:
        client.force_login(people["users"][role])
    url = reverse(url_name, args=args)

    with django_assert_max_num_queries(20) as few:
        response = client.get(url)
    assert response.status_code == 200

    more_grants(people["krakeel"], member, 38, first=2)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200


def test_the_plan_funding_page_needs_the_same_queries_for_2_or_40_sources(
    client, people, django_assert_num_queries, django_assert_max_num_queries
):
    regisseur = people["users"]["gebiedsregisseur"]
    plan = lange_klap_plan(people["krakeel"], regisseur, lines=[("Bankjes", D("5000.00"))])

    def sources(count: int, first: int) -> None:
        for n in range(first, first + count):
            services.save_funding_source(
                plan,
                actor=regisseur,
                kind="fonds",
                name=f"Fonds {n}",
                amount="100.00",
                status=FundingSource.Status.TOEGEZEGD,
            )

    sources(2, 0)
    url = reverse("ideas:plan-funding", args=[plan.reference])
    with django_assert_max_num_queries(15) as few:
        assert client.get(url).status_code == 200
    sources(38, 2)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.context["funding"].committed == D("4000.00")
    assert euro("4000.00") in text(response)


# Exports ---------------------------------------------------------------------------------------


def number(value) -> Decimal:
    """A figure read back from a file: Dutch text in a CSV (1234,56), a number in Excel."""
    return D(str(value).replace(",", ".")).quantize(D("0.01"))


def read_export(client, fmt: str) -> tablib.Dataset:
    response = client.get(reverse("ideas:report-export", args=[fmt]), {"jaar": THIS_YEAR})
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith(f'.{fmt}"')
    if fmt == "csv":
        assert response.headers["Content-Type"].startswith("text/csv")
        assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
        content = response.content.decode("utf-8-sig")
        assert content.splitlines()[0].count(";") == 9  # as Dutch spreadsheets read CSV
        return tablib.Dataset().load(content, format="csv", delimiter=";")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    return tablib.Dataset().load(response.content, format="xlsx")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_has_the_same_figures_as_the_report_page(client, people, money, fmt):
    client.force_login(people["users"]["ondersteuning"])
    report = client.get(reverse("ideas:report"), {"jaar": THIS_YEAR}).context["report"]

    data = read_export(client, fmt)

    assert len(data.headers) == 10
    rows = {row[0]: row for row in data}
    assert len(data) == len(report.rows) + 1  # one row per Smederij and the total
    for area_row in [*report.rows, report.total]:
        name = area_row.smederij.name if area_row.smederij else data[-1][0]
        row = rows[name]
        assert [int(number(v)) for v in row[1:4]] == [
            area_row.ideas,
            area_row.korte_klap,
            area_row.lange_klap,
        ]
        money_row = area_row.money
        assert [number(v) for v in row[4:]] == [
            area_row.asked,
            money_row.budget,
            money_row.granted,
            money_row.spent,
            money_row.returned,
            money_row.available,
        ]
    # And those are the services' own figures.
    assert tuple(str(number(v)) for v in data[-1][5:]) == OVERALL
    assert tuple(str(number(v)) for v in rows["Krakeel"][5:]) == KRAKEEL
    assert tuple(str(number(v)) for v in rows["Elim"][5:]) == ELIM


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_needs_staff(client, people, money, fmt):
    url = reverse("ideas:report-export", args=[fmt])
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))

    client.force_login(people["users"]["resident"])
    assert client.get(url).status_code == 403


def test_an_unknown_export_format_is_not_found(client, people):
    client.force_login(people["users"]["ondersteuning"])
    assert client.get(reverse("ideas:report-export", args=["pdf"])).status_code == 404


def test_only_budgets_of_the_year_asked_are_shown(client, people, money):
    last_year = services.open_budget(
        people["krakeel"], THIS_YEAR - 1, "7777.77", actor=people["users"]["gebiedsregisseur"]
    )
    assert Budget.objects.count() == 3
    page = text(client.get(reverse("budgets:transparency")))
    assert euro("7777.77") not in page
    page = text(client.get(reverse("budgets:transparency"), {"jaar": THIS_YEAR - 1}))
    assert euro("7777.77") in page
    assert euro("1234.56") not in page
    assert last_year.year == THIS_YEAR - 1


def test_the_report_of_one_smederij_counts_only_its_ideas_and_money(client, people, money):
    client.force_login(people["users"]["ondersteuning"])
    whole = client.get(reverse("ideas:report"), {"jaar": THIS_YEAR}).context["report"]
    krakeel = client.get(reverse("ideas:report"), {"jaar": THIS_YEAR, "gebied": "krakeel"})
    report = krakeel.context["report"]
    assert [row.smederij.slug for row in report.rows] == ["krakeel"]
    only = next(row for row in whole.rows if row.smederij.slug == "krakeel")
    assert report.total.ideas == only.ideas and report.total.money == only.money
    assert "gebied=krakeel" in krakeel.content.decode()  # the downloads follow the choice
    data = read_export_for(client, {"jaar": THIS_YEAR, "gebied": "krakeel"})
    assert [row[0] for row in data][:1] == ["Krakeel"] and len(data) == 2


def read_export_for(client, query) -> tablib.Dataset:
    response = client.get(reverse("ideas:report-export", args=["xlsx"]), query)
    return tablib.Dataset().load(response.content, format="xlsx")


def test_the_budget_page_writes_its_dates_in_dutch(client, people, money):
    """The ledger and the payments: "5 december 2026", never "5 Dec 2026"."""
    client.force_login(people["users"]["wijkteam_a"])
    page = text(client.get(money["budget"].get_absolute_url()))
    assert_no_english_month(page)
    assert in_dutch(timezone.localdate()) in page
