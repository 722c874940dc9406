"""The audit trail: each staff step in the staff pages and each admin action leaves exactly one
row; opening a submitter's contact details (admin or review page) leaves one; residents' own steps
leave none; gebiedsregisseurs read the rows of their own areas in admin, nobody else does."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets import services as budget_services
from ideas import services
from ideas.models import Kind
from smederijen.models import AuditEvent
from tests.factories import FeaturedItemFactory, SmederijFactory
from tests.ideas import test_transitions
from tests.ideas.conftest import organisations, owner, people  # noqa: F401 (fixtures of world)
from tests.ideas.factories import submitted_idea
from tests.ideas.test_admin import change_url, post_data

pytestmark = pytest.mark.django_db

world = test_transitions.world


@pytest.fixture
def sent(world):
    return submitted_idea(smederij=world["krakeel"], submitted_by=world["users"]["submitter"])


def new_rows(before: int):
    return list(AuditEvent.objects.order_by("pk")[before:])


STAFF_STEPS = [
    ("ideas.take_up", lambda w, i, m: services.take_up(i, actor=m)),
    (
        "ideas.approve",
        lambda w, i, m: services.approve(services.take_up(i, actor=m, notify=False), actor=m),
    ),
    ("ideas.add_review_note", lambda w, i, m: services.add_review_note(i, actor=m, text="Bellen")),
    ("ideas.set_published", lambda w, i, m: services.set_published(i, actor=m, published=True)),
    (
        "ideas.reject",
        lambda w, i, m: services.reject(i, actor=m, reason="Past niet in de voorwaarden."),
    ),
    (
        "budgets.top_up",
        lambda w, i, m: budget_services.top_up(
            w["budget"], "100.00", actor=w["users"]["gebiedsregisseur"], reason="Extra geld"
        ),
    ),
]


@pytest.mark.parametrize("action, step", STAFF_STEPS, ids=[a for a, _s in STAFF_STEPS])
def test_each_staff_step_leaves_one_row(world, sent, action, step):
    member = world["users"]["wijkteam_a"]
    if action == "ideas.approve":
        services.take_up(sent, actor=member)
        before = AuditEvent.objects.count()
        services.approve(sent, actor=member)
    else:
        before = AuditEvent.objects.count()
        step(world, sent, member)
    rows = new_rows(before)
    assert [row.action for row in rows] == [action]
    assert rows[0].actor in (member, world["users"]["gebiedsregisseur"])
    assert rows[0].smederij == world["krakeel"]
    assert rows[0].kind == AuditEvent.Kind.CHANGE


def test_a_grant_moves_the_idea_and_the_budget_and_leaves_one_row(world, sent):
    member = world["users"]["wijkteam_a"]
    idea = services.approve(services.take_up(sent, actor=member), actor=member)
    before = AuditEvent.objects.count()
    services.grant(idea, Decimal("500.00"), actor=member)
    rows = new_rows(before)
    assert [(r.action, r.detail) for r in rows] == [("ideas.grant", "500.00")]


def test_residents_own_steps_leave_no_row(world, sent):
    before = AuditEvent.objects.count()
    services.withdraw_idea(sent, actor=world["users"]["submitter"])
    assert AuditEvent.objects.count() == before


def test_the_review_page_leaves_one_row_for_the_contact_details(world, sent, client):
    member = world["users"]["wijkteam_a"]
    client.force_login(member)
    before = AuditEvent.objects.count()
    assert client.get(reverse("ideas:review", args=[sent.public_id])).status_code == 200
    rows = new_rows(before)
    assert [(r.kind, r.action, r.source, r.actor) for r in rows] == [
        (AuditEvent.Kind.VIEW, "contact_details", AuditEvent.Source.PORTAL, member)
    ]
    assert rows[0].object_id == str(sent.pk)


@pytest.fixture
def office_client(world, client):
    client.force_login(world["users"]["ondersteuning"])
    return client


def test_opening_a_submitters_contact_details_in_admin_leaves_one_row(world, sent, office_client):
    before = AuditEvent.objects.count()
    response = office_client.get(change_url(sent))
    assert response.status_code == 200
    rows = new_rows(before)
    assert [(r.kind, r.action, r.source) for r in rows] == [
        (AuditEvent.Kind.VIEW, "contact_details", AuditEvent.Source.ADMIN)
    ]
    assert rows[0].actor == world["users"]["ondersteuning"]


def test_an_admin_save_that_calls_a_service_leaves_one_row(world, sent, office_client):
    data = post_data(office_client.get(change_url(sent)))
    data["kind"] = Kind.LANGE_KLAP
    data["kind_change_reason"] = "Het plan kost meer dan € 5.000 en duurt langer dan een jaar."
    before = AuditEvent.objects.count()
    assert office_client.post(change_url(sent), data).status_code == 302
    rows = new_rows(before)
    assert [(r.action, r.source) for r in rows] == [("ideas.reclassify", AuditEvent.Source.ADMIN)]
    assert "kind" in rows[0].detail.lower() or "soort" in rows[0].detail.lower()


def test_an_admin_action_on_ideas_leaves_one_row_per_idea(world, sent, office_client):
    before = AuditEvent.objects.count()
    response = office_client.post(
        "/beheer/ideas/idea/", {"action": "publish", "_selected_action": [sent.pk]}
    )
    assert response.status_code == 302
    assert [r.action for r in new_rows(before)] == ["ideas.set_published"]


def test_plain_admin_changes_and_deletes_leave_one_row_each(world, office_client):
    item = FeaturedItemFactory(title="Dorpshuis Elim", link="/smederijen/elim/")
    url = f"/beheer/smederijen/featureditem/{item.pk}/change/"
    data = {
        "title": "Dorpshuis Elim open",
        "summary": item.summary,
        "link": item.link,
        "link_text": item.link_text,
        "position": "1",
        "is_published": "on",
    }
    before = AuditEvent.objects.count()
    assert office_client.post(url, data).status_code == 302
    rows = new_rows(before)
    assert [(r.action, r.source, r.object_repr) for r in rows] == [
        ("admin.change", AuditEvent.Source.ADMIN, "Dorpshuis Elim open")
    ]
    before = AuditEvent.objects.count()
    delete = f"/beheer/smederijen/featureditem/{item.pk}/delete/"
    assert office_client.post(delete, {"post": "yes"}).status_code == 302
    assert [r.action for r in new_rows(before)] == ["admin.delete"]


def test_a_gebiedsregisseur_reads_the_trail_of_his_own_areas(world, sent, client):
    member = world["users"]["wijkteam_a"]
    services.take_up(sent, actor=member)
    AuditEvent.objects.create(
        action="ideas.approve",
        kind="wijziging",
        source="portaal",
        smederij=SmederijFactory(name="Hollandscheveld", slug="hollandscheveld"),
        object_repr="Idee in een ander gebied",
    )
    client.force_login(world["users"]["gebiedsregisseur"])
    response = client.get("/beheer/smederijen/auditevent/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "in behandeling genomen" in html
    assert "Idee in een ander gebied" not in html
    # The filter by action names the actions in Dutch, and only those in his own rows.
    action_filter = html[html.index('id="changelist-filter"') :]
    assert "?action=ideas.take_up" in action_filter
    assert ">idee in behandeling genomen<" in action_filter
    assert ">ideas.take_up<" not in action_filter and "ideas.approve" not in action_filter
    filtered = client.get("/beheer/smederijen/auditevent/?action=ideas.take_up")
    assert filtered.status_code == 200 and "in behandeling genomen" in filtered.content.decode()
    # "Logboek", not "audit trail", in Dutch.
    assert "Logboek" in html and "Audit trail" not in html
    for role in ("wijkteam_a", "resident", "stuurgroep_member"):
        client.force_login(world["users"][role])
        assert client.get("/beheer/smederijen/auditevent/").status_code in (302, 403)


def test_the_office_erases_an_account_on_request_with_one_row(world, sent, client):
    office = world["users"]["superuser"]
    client.force_login(office)
    resident = world["users"]["submitter"]
    before = AuditEvent.objects.count()
    response = client.post(
        "/beheer/teams/user/",
        {"action": "erase_accounts", "_selected_action": [resident.pk, office.pk]},
    )
    assert response.status_code == 302
    rows = new_rows(before)
    assert [(r.action, r.actor) for r in rows] == [("privacy.erase_account", office)]
    sent.refresh_from_db()
    assert sent.submitted_by is None and sent.contact_email == ""
    assert world["users"]["superuser"].__class__.objects.filter(pk=office.pk).exists()
