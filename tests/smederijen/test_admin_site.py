"""Admin as the office works in it: the index grouped by task with Dutch names, a start page with
what needs attention in the user's own areas, exports of ideas, decisions and budgets (each in the
audit trail), and list pages whose query count does not grow with 500 ideas."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import tablib
from django.utils import timezone

from ideas import services
from ideas.models import Idea, Kind
from ideas.workflow import Status
from smederijen.models import AuditEvent
from tests.factories import SmederijFactory
from tests.ideas import test_transitions
from tests.ideas.conftest import organisations, owner, people  # noqa: F401 (fixtures of world)
from tests.ideas.factories import submitted_idea

pytestmark = pytest.mark.django_db

world = test_transitions.world
TASKS = ["Ideeën", "Budgetten", "Teams", "Stuurgroep", "Inhoud", "Accounts en privacy"]


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_index_is_grouped_by_task_in_dutch(world, client):
    for role in ("superuser", "ondersteuning", "gebiedsregisseur"):
        response = as_user(client, world["users"][role]).get("/beheer/")
        assert response.status_code == 200
        names = [str(app["name"]) for app in response.context["app_list"]]
        assert names == [name for name in TASKS if name in names], role
        assert "Overig" not in names  # every model has its task
        assert names[0] == "Ideeën"
    # The superuser sees every group, with the audit trail under accounts and privacy.
    response = as_user(client, world["users"]["superuser"]).get("/beheer/")
    groups = {str(app["name"]): app for app in response.context["app_list"]}
    assert list(groups) == TASKS
    assert "auditevent" in {
        m["object_name"].lower() for m in groups["Accounts en privacy"]["models"]
    }
    # What a screen reader reads of the index is Dutch too (Django's own Dutch lacks these).
    html = response.content.decode()
    for english in ("Model name", "Add link", "Change or view list link", "Audit trail"):
        assert english not in html
    assert "Link om toe te voegen" in html and "Logboek" in html


def ideas_for_attention(world):
    member = world["users"]["wijkteam_a"]
    krakeel = world["krakeel"]
    elsewhere = SmederijFactory(name="Hollandscheveld", slug="hollandscheveld")
    submitted_idea(smederij=krakeel)
    submitted_idea(smederij=krakeel)
    submitted_idea(smederij=elsewhere)  # not his area
    overdue = services.take_up(submitted_idea(smederij=krakeel), actor=member)
    Idea.objects.filter(pk=overdue.pk).update(decision_due=timezone.localdate() - timedelta(1))
    services.ask_question(
        services.take_up(submitted_idea(smederij=krakeel), actor=member),
        actor=member,
        question="Wie doet mee?",
    )


def test_the_start_page_shows_what_needs_attention_in_his_areas(world, client):
    ideas_for_attention(world)
    # Most of the budget of Krakeel is granted: it is nearly spent.
    gebiedsregisseur = world["users"]["gebiedsregisseur"]
    asked = submitted_idea(smederij=world["krakeel"], amount_requested=Decimal("950.00"))
    idea = services.approve(services.take_up(asked, actor=gebiedsregisseur), actor=gebiedsregisseur)
    services.grant_budget(idea, "950.00", actor=gebiedsregisseur)
    response = as_user(client, gebiedsregisseur).get("/beheer/")
    attention = response.context["attention"]
    assert attention["counts"] == {"new": 2, "overdue": 1, "unanswered": 1, "accounting": 0}
    assert [row["budget"].smederij.name for row in attention["nearly_spent"]] == ["Krakeel"]
    html = response.content.decode()
    assert "2 nieuwe ideeën wachten" in html and "Krakeel" in html
    # Support staff see every area.
    response = as_user(client, world["users"]["ondersteuning"]).get("/beheer/")
    assert response.context["attention"]["counts"]["new"] == 3


def action(client, url, name, pks):
    return client.post(url, {"action": name, "_selected_action": [str(pk) for pk in pks]})


def test_ideas_export_as_csv_and_excel_without_contact_details_and_in_the_trail(world, client):
    ideas = [submitted_idea(smederij=world["krakeel"]) for _n in range(3)]
    as_user(client, world["users"]["ondersteuning"])
    response = action(client, "/beheer/ideas/idea/", "export_csv", [i.pk for i in ideas])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    data = tablib.Dataset().load(text, format="csv", delimiter=";")
    assert len(data) == 3 and data.headers[0] == "Referentienummer"
    assert "750,00" in text and "@" not in text  # amounts as Dutch spreadsheets read them
    row = AuditEvent.objects.get(action="export.ideas")
    assert (row.kind, row.detail) == (AuditEvent.Kind.EXPORT, "3 rows")
    response = action(client, "/beheer/ideas/idea/", "export_xlsx", [ideas[0].pk])
    book = tablib.Dataset().load(io.BytesIO(response.content).read(), format="xlsx")
    assert book[0][0] == ideas[0].reference


def test_budgets_and_decisions_export(world, client):
    as_user(client, world["users"]["ondersteuning"])
    response = action(client, "/beheer/budgets/budget/", "export_xlsx", [world["budget"].pk])
    assert response.status_code == 200
    data = tablib.Dataset().load(response.content, format="xlsx")
    assert data[0][0] == "Krakeel" and float(data[0][6]) == 1000.0
    response = action(client, "/beheer/ideas/stuurgroepdecision/", "export_csv", [])
    # Nothing selected: admin says so and sends no file.
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {"export.budgets"}


def many_ideas(smederijen, count: int) -> None:
    statuses = [Status.INGEDIEND, Status.IN_BEHANDELING, Status.AANVULLING_GEVRAAGD]
    start = Idea.objects.count()
    Idea.objects.bulk_create(
        Idea(
            reference=f"2025-{start + n:04d}",
            year=2025,
            number=start + n,
            title=f"Idee {n}",
            kind=Kind.KORTE_KLAP,
            smederij=smederijen[n % len(smederijen)],
            status=statuses[n % len(statuses)],
            submitted_at=timezone.now(),
            decision_due=timezone.localdate() - timedelta(days=n % 3),
        )
        for n in range(1, count + 1)
    )


def queries_for(client, url, django_assert_max_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_admin_pages_take_the_same_queries_with_500_ideas(
    world, client, django_assert_max_num_queries
):
    areas = [world["krakeel"], SmederijFactory(name="Hollandscheveld", slug="hollandscheveld")]
    many_ideas(areas, 5)
    office = as_user(client, world["users"]["gebiedsregisseur"])
    for _n in range(5):
        AuditEvent.objects.create(
            action="ideas.approve",
            kind="wijziging",
            source="portaal",
            smederij=world["krakeel"],
            actor=world["users"]["wijkteam_a"],
        )
    urls = [
        "/beheer/",
        "/beheer/ideas/idea/",
        "/beheer/smederijen/auditevent/",
        "/beheer/budgets/budget/",
        "/beheer/budgets/grant/",
        "/beheer/budgets/fundingsource/",
        "/beheer/ideas/stuurgroepdecision/",
        "/beheer/teams/user/",
    ]
    few = {url: queries_for(office, url, django_assert_max_num_queries) for url in urls}
    many_ideas(areas, 500)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action="ideas.approve",
            kind="wijziging",
            source="portaal",
            smederij=world["krakeel"],
            actor=world["users"]["wijkteam_a"],
        )
        for _n in range(500)
    )
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            assert office.get(url).status_code == 200
