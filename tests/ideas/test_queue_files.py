"""The werkvoorraad as a file and on paper, the dossier of one idea to print, and the ideas export
of admin (issue 20, item 7): files that open right in a Dutch Excel (dates as dates, amounts as
numbers in € format), granted / paid / returned per idea, no concepts, no contact details."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from budgets import services as budget_services
from ideas import services
from ideas.models import Idea
from smederijen.exports import DATE_FORMAT, EURO_FORMAT
from smederijen.models import AuditEvent
from tests.ideas.factories import IdeaFactory
from tests.ideas.test_review_pages import CONTACT, post, review_url, world

__all__ = ["post", "world"]  # fixtures


def sheet_of(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return book.active


def rows_by_reference(sheet) -> tuple[list, dict]:
    rows = list(sheet.iter_rows())
    headers = [cell.value for cell in rows[0]]
    return headers, {row[0].value: dict(zip(headers, row, strict=True)) for row in rows[1:]}


def test_the_werkvoorraad_as_excel_has_dates_amounts_and_the_money_of_each_idea(client, world):
    people = world["people"]
    member = people["users"]["wijkteam_a"]
    granted = world["ideas"]["granted"]  # € 150 granted
    grant = granted.grant
    budget_services.record_payment(grant, "100.00", actor=member, description="Voorschot")
    client.force_login(member)
    response = client.get("/werkvoorraad/export.xlsx?status=open")
    assert response.status_code == 200
    headers, rows = rows_by_reference(sheet_of(response))
    assert headers[:3] == ["Referentienummer", "Titel", "Smederij"]
    row = rows[granted.reference]
    submitted = row["Ingediend"]
    assert submitted.is_date and submitted.number_format == DATE_FORMAT
    assert submitted.value.date() == granted.submitted_at.astimezone().date()
    for column, amount in [
        ("Gevraagd (euro)", granted.amount_requested),
        ("Toegekend (euro)", Decimal("150.00")),
        ("Betaald (euro)", Decimal("100.00")),
    ]:
        cell = row[column]
        assert cell.data_type == "n" and cell.number_format == EURO_FORMAT, column
        assert Decimal(str(cell.value)) == amount, column
    assert row["Teruggestort (euro)"].value is None or row["Teruggestort (euro)"].value == 0
    # Only Krakeel's ideas, nobody's contact details; the download is in the audit trail.
    assert world["ideas"]["elim"].reference not in rows
    assert CONTACT["contact_email"] not in response.content.decode("latin-1")
    assert AuditEvent.objects.filter(action="export.ideas", actor=member).count() == 1


def test_the_werkvoorraad_as_csv_follows_the_filters(client, world):
    client.force_login(world["people"]["users"]["wijkteam_a"])
    text = client.get("/werkvoorraad/export.csv?status=ingediend").content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Referentienummer;Titel;Smederij")
    assert len(lines) == 2 and world["ideas"]["new"].reference in lines[1]
    assert client.get("/werkvoorraad/export.pdf").status_code == 404


def test_the_print_view_lists_every_chosen_idea_without_contact_details(client, world):
    client.force_login(world["people"]["users"]["wijkteam_a"])
    html = client.get("/werkvoorraad/afdrukken/?status=open").content.decode()
    for idea in world["ideas"].values():
        assert (idea.title in html) is (idea.smederij.slug == "krakeel")
    assert "Zonder contactgegevens en interne notities." in html
    assert CONTACT["contact_email"] not in html and CONTACT["contact_phone"] not in html
    assert "Gekozen: Status: Alle open ideeën" in html


def test_the_dossier_to_print_has_the_checklist_but_no_contact_details_or_notes(
    client, post, world
):
    people = world["people"]
    member = people["users"]["wijkteam_a"]
    idea = world["ideas"]["taken"]
    services.check_condition(
        idea, world["condition"], actor=member, verdict="voldoet", remark="Klaar in juni."
    )
    services.add_review_note(idea, actor=member, text="Geheim: bellen met de school.")
    client.force_login(member)
    html = client.get(f"{review_url(idea)}afdrukken/").content.decode()
    assert "Het idee is binnen een jaar klaar" in html and "Klaar in juni." in html
    assert "Geheim: bellen" not in html
    for value in CONTACT.values():
        if isinstance(value, str):
            assert value not in html
    assert "Dossier voor een vergadering" in html


def test_the_print_views_read_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["people"]["users"]["wijkteam_a"])
    client.get("/werkvoorraad/")
    with django_assert_max_num_queries(10) as few:
        client.get("/werkvoorraad/afdrukken/?status=open")
    resident = world["people"]["users"]["resident"]
    for _ in range(25):
        idea = IdeaFactory(smederij=world["people"]["krakeel"], submitted_by=resident)
        services.submit_idea(idea, actor=resident)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/werkvoorraad/afdrukken/?status=open")
    assert response.content.decode().count('<tr class="utrecht-table__row">') >= 26


def test_admins_export_has_no_concepts_and_the_money(client, world):
    office = world["people"]["users"]["ondersteuning"]
    IdeaFactory(smederij=world["people"]["krakeel"], title="Half af")  # a concept
    client.force_login(office)
    response = client.post(
        "/beheer/ideas/idea/",
        {
            "action": "export_xlsx",
            "_selected_action": list(Idea.objects.values_list("pk", flat=True)),
        },
    )
    headers, rows = rows_by_reference(sheet_of(response))
    assert None not in rows and "" not in rows  # every row has a reference
    assert "Half af" not in {row["Titel"].value for row in rows.values()}
    granted = rows[world["ideas"]["granted"].reference]
    assert Decimal(str(granted["Toegekend (euro)"].value)) == Decimal("150.00")
    assert granted["Toegekend (euro)"].number_format == EURO_FORMAT
    assert granted["Ingediend"].is_date


def test_the_export_and_the_dossier_read_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    member = world["people"]["users"]["wijkteam_a"]
    client.force_login(member)
    client.get("/werkvoorraad/")
    granted = world["ideas"]["granted"]
    dossier = f"{review_url(granted)}afdrukken/"
    with django_assert_max_num_queries(12) as export:
        client.get("/werkvoorraad/export.xlsx?status=open")
    with django_assert_max_num_queries(20) as printed:
        client.get(dossier)
    # Twenty more ideas, each with a note and a remark-free history: the same queries.
    resident = world["people"]["users"]["resident"]
    for _ in range(20):
        idea = services.submit_idea(
            IdeaFactory(smederij=world["people"]["krakeel"], submitted_by=resident), actor=resident
        )
        services.add_review_note(granted, actor=member, text="Nog een notitie.")
        services.take_up(idea, actor=member)
    with django_assert_max_num_queries(len(export.captured_queries)):
        response = client.get("/werkvoorraad/export.xlsx?status=open")
    assert sheet_of(response).max_row >= 27
    with django_assert_max_num_queries(len(printed.captured_queries)):
        assert client.get(dossier).status_code == 200
