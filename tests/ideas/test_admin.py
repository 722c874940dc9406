"""Ideas in Django admin: quick lists, a read-only status, and the kind and publication changed
only through their services."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from ideas import services
from ideas.models import (
    Accounting,
    Attachment,
    Condition,
    Idea,
    Kind,
    PaperSupportList,
    Reach,
    SubmitterKind,
)
from ideas.uploads import CheckedFile, check_upload
from ideas.workflow import Status
from teams import services as team_services
from tests.factories import InitiatiefgroepFactory, SmederijFactory, UserFactory
from tests.ideas.factories import move
from tests.ideas.test_transitions import COST, write_accounting
from tests.teams.conftest import with_second_factor

pytestmark = pytest.mark.django_db

CHANGELIST = "/beheer/ideas/idea/"


def change_url(idea) -> str:
    return f"/beheer/ideas/idea/{idea.pk}/change/"


@pytest.fixture
def superuser():
    return with_second_factor(UserFactory(is_staff=True, is_superuser=True))


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, format="PNG")
    return SimpleUploadedFile("bankje.png", out.getvalue(), "image/png")


def sent_idea(smederij, resident, *, kind=Kind.KORTE_KLAP, photo=False) -> Idea:
    """A complete idea sent by its resident through the services."""
    start = timezone.localdate() + timedelta(days=30)
    idea = services.start_idea(user=resident)
    idea = services.save_idea_step(
        idea,
        fields={
            "kind": kind,
            "smederij": smederij,
            "location": "Speeltuin aan de Zuiderweg",
            "reach": Reach.BUURT,
            "title": "Bankjes bij de speeltuin",
            "summary": "Drie bankjes bij de speeltuin.",
            "description": "Ouders en ouderen kunnen er zitten.",
            "serves_ontmoeten": True,
            "support_description": "De buren.",
            "own_effort": "Wij schilderen de bankjes.",
            "amount_requested": Decimal("1200.00"),
            "start_date": start,
            "end_date": start + timedelta(days=60),
            "submitter_kind": SubmitterKind.INWONER,
            "contact_name": "Rita Inwoner",
            "accepted_conditions": True,
            "accepted_privacy": True,
        },
        budget_lines=[{"item": "Drie bankjes", "amount": Decimal("1200.00")}],
    )
    if photo:
        services.add_attachment(idea, check_upload(png()))
    return services.submit_idea(idea, actor=resident)


@pytest.fixture
def area():
    return SmederijFactory(name="Zuid", slug="zuid")


@pytest.fixture
def resident():
    return UserFactory(first_name="Rita", last_name="Inwoner", email="rita@example.org")


def rich_idea(area, resident, staff, *, supports: int) -> Idea:
    """An idea with a row in every inline: history, photo, supports, a paper list, a remark."""
    idea = sent_idea(area, resident, photo=True)
    idea = services.transition(idea, Status.IN_BEHANDELING, actor=staff)
    idea = services.transition(
        idea, Status.AANVULLING_GEVRAAGD, actor=staff, public_text="Wie doet het onderhoud?"
    )
    idea = services.answer_question(idea, actor=resident, answer="De speeltuincommissie.")
    idea = services.set_published(idea, actor=staff, published=True)
    for n in range(supports):
        support = services.give_support(
            idea, name=f"Buur {n}", email=f"buur{n}@example.org", street="Zuiderweg", smederij=area
        )
        services.confirm_support(support)
    services.add_paper_list(idea, actor=staff, count=12, note="Zuiderweg")
    group = InitiatiefgroepFactory(smederij=area)
    member = UserFactory()
    team_services.join_initiatiefgroep(group, member)
    services.add_inventory_remark(idea, actor=member, text="Goed idee, de buren willen helpen.")
    return idea


def ideas_in_many_areas(count: int, *, first: int = 1) -> None:
    """Sent ideas, each in an area of its own (so a missing select_related shows)."""
    now = timezone.now()
    year = timezone.localdate().year
    Idea.objects.bulk_create(
        Idea(
            status=Status.INGEDIEND if n <= 3 else Status.IN_BEHANDELING,
            kind=Kind.KORTE_KLAP if n % 2 else Kind.LANGE_KLAP,
            smederij=SmederijFactory(),
            title=f"Idee {n}",
            reference=f"{year}-{n:04d}",
            year=year,
            number=n,
            submitted_at=now - timedelta(hours=n),
            decision_due=timezone.localdate() + timedelta(weeks=6),
            is_published=n % 2 == 0,
        )
        for n in range(first, first + count)
    )


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_of_ideas_takes_the_same_queries_for_3_or_50_ideas(
    admin_client, django_assert_max_num_queries
):
    ideas_in_many_areas(3)
    queries_for(admin_client, CHANGELIST)  # the first page of a session does a bit more
    few = queries_for(admin_client, CHANGELIST)
    ideas_in_many_areas(47, first=4)
    assert Idea.objects.count() == 50
    with django_assert_max_num_queries(few):
        response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 50
    # The filters work too (one of them is the year).
    year = timezone.localdate().year
    filtered = admin_client.get(CHANGELIST, {"year": year, "status__exact": Status.INGEDIEND})
    assert filtered.context["cl"].result_count == 3


def test_the_change_page_takes_the_same_queries_for_few_or_many_rows(
    admin_client, superuser, area, resident
):
    small = rich_idea(area, resident, superuser, supports=1)
    queries_for(admin_client, change_url(small))  # the first page of a session does a bit more
    few = queries_for(admin_client, change_url(small))
    other = UserFactory(email="kees@example.org")
    big = rich_idea(area, other, superuser, supports=12)
    for n in range(3):
        services.add_paper_list(big, actor=superuser, count=n + 1)
    assert queries_for(admin_client, change_url(big)) == few


def test_the_change_page_shows_every_part_of_the_idea(admin_client, superuser, area, resident):
    idea = rich_idea(area, resident, superuser, supports=2)
    response = admin_client.get(change_url(idea))
    page = response.content.decode()
    assert idea.reference in page
    assert "buur1@example.org" in page  # supports, with their address, only here
    assert "Goed idee, de buren willen helpen." in page
    assert "Wie doet het onderhoud?" in page
    photo = idea.attachments.get()
    assert f'href="{photo.get_absolute_url()}"' in page
    form = response.context["adminform"].form
    assert "status" not in form.fields and "reference" not in form.fields
    assert "kind_change_reason" in form.fields


def post_data(response) -> dict:
    """What the browser sends back for the change page as it is shown."""
    data = {}

    def add(form):
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or hasattr(value, "url"):
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif value is not False:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def test_status_cannot_be_changed_in_admin(admin_client, superuser, area, resident):
    idea = sent_idea(area, resident)
    data = post_data(admin_client.get(change_url(idea)))
    data.update({"status": Status.AFGEROND, "title": "Bankjes bij de speeltuin Zuid"})
    # A paper list added in the same save gets the name of who added it.
    prefix = "paper_lists"
    data[f"{prefix}-TOTAL_FORMS"] = "1"
    data.update({f"{prefix}-0-count": "25", f"{prefix}-0-note": "Handtekeningen op de markt"})
    response = admin_client.post(change_url(idea), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    idea.refresh_from_db()
    assert idea.status == Status.INGEDIEND
    assert idea.title == "Bankjes bij de speeltuin Zuid"
    assert idea.history.count() == 1
    assert PaperSupportList.objects.get(idea=idea).added_by == superuser


def test_a_scanned_paper_list_is_checked_and_stored_without_its_name(admin_client, area, resident):
    idea = sent_idea(area, resident)
    data = post_data(admin_client.get(change_url(idea)))
    data.update(
        {"paper_lists-TOTAL_FORMS": "1", "paper_lists-0-count": "12", "paper_lists-0-scan": png()}
    )
    assert admin_client.post(change_url(idea), data).status_code == 302
    scan = PaperSupportList.objects.get(idea=idea).scan
    assert scan.name.startswith("paper-lists/scan") and scan.name.endswith(".jpg")
    assert scan.read().startswith(b"\xff\xd8")  # drawn again as a JPEG, without metadata

    text = SimpleUploadedFile("lijst.txt", b"geen scan", "text/plain")
    data.update({"paper_lists-TOTAL_FORMS": "1", "paper_lists-0-scan": text})
    data.pop("paper_lists-0-id", None)
    response = admin_client.post(change_url(idea), data)
    assert response.status_code == 200
    assert PaperSupportList.objects.filter(idea=idea).count() == 1

    # The scan opens for staff through a view that checks; a resident gets "not found".
    paper = PaperSupportList.objects.get(idea=idea)
    url = f"/bijlagen/papieren-lijst/{paper.pk}/"
    assert url in admin_client.get(change_url(idea)).content.decode()
    opened = admin_client.get(url)
    assert opened.status_code == 200 and opened["Content-Type"] == "image/jpeg"
    admin_client.force_login(resident)
    assert admin_client.get(url).status_code == 404


def test_saving_in_admin_does_not_undo_a_step_taken_in_the_meantime(
    admin_client, superuser, area, resident
):
    idea = sent_idea(area, resident)
    data = post_data(admin_client.get(change_url(idea)))
    services.transition(idea, Status.IN_BEHANDELING, actor=superuser)  # in another window
    data["location"] = "Speeltuin Zuiderweg, bij het hek"
    assert admin_client.post(change_url(idea), data).status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.location) == (Status.IN_BEHANDELING, data["location"])


def test_changing_the_kind_needs_a_reason_and_writes_history(
    admin_client, superuser, area, resident
):
    idea = sent_idea(area, resident)
    data = post_data(admin_client.get(change_url(idea)))
    data["kind"] = Kind.LANGE_KLAP
    response = admin_client.post(change_url(idea), data)
    assert response.status_code == 200
    assert "kind_change_reason" in response.context["adminform"].form.errors
    idea.refresh_from_db()
    assert idea.kind == Kind.KORTE_KLAP and idea.history.count() == 1

    data["kind_change_reason"] = "Het plan kost meer dan € 5.000 en duurt langer dan een jaar."
    assert admin_client.post(change_url(idea), data).status_code == 302
    idea.refresh_from_db()
    assert idea.kind == Kind.LANGE_KLAP
    change = idea.history.order_by("at", "pk").last()
    assert (change.from_status, change.to_status) == (Status.INGEDIEND, Status.INGEDIEND)
    assert change.actor == superuser
    assert data["kind_change_reason"] in change.public_text


def test_a_concept_cannot_be_published_from_its_page(admin_client, resident, area):
    concept = services.start_idea(user=resident)
    concept = services.save_idea_step(concept, fields={"title": "Half af", "smederij": area})
    data = post_data(admin_client.get(change_url(concept)))
    data["is_published"] = "on"
    response = admin_client.post(change_url(concept), data)
    assert response.status_code == 200
    assert "is_published" in response.context["adminform"].form.errors
    concept.refresh_from_db()
    assert not concept.is_published


def test_publishing_from_the_page_goes_through_the_service(admin_client, area, resident):
    idea = sent_idea(area, resident)
    data = post_data(admin_client.get(change_url(idea)))
    data["is_published"] = "on"
    assert admin_client.post(change_url(idea), data).status_code == 302
    idea.refresh_from_db()
    assert idea.is_published and idea.status == Status.INGEDIEND


def test_the_publish_actions_publish_and_refuse_concepts(admin_client, area, resident):
    idea = sent_idea(area, resident)
    concept = services.start_idea(user=resident)
    response = admin_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [idea.pk, concept.pk]}, follow=True
    )
    assert response.status_code == 200
    idea.refresh_from_db()
    concept.refresh_from_db()
    assert idea.is_published and not concept.is_published
    levels = sorted(m.level_tag for m in response.context["messages"])
    assert levels == ["success", "warning"]

    admin_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [idea.pk]})
    idea.refresh_from_db()
    assert not idea.is_published


def test_ideas_are_not_added_in_admin(admin_client):
    assert admin_client.get("/beheer/ideas/idea/add/").status_code == 403


def test_the_conditions_list_opens(admin_client):
    Condition.objects.create(year=2026, title="Iedereen is welkom", text="Voor de hele buurt.")
    response = admin_client.get("/beheer/ideas/condition/")
    assert response.status_code == 200
    assert "Iedereen is welkom" in response.content.decode()


@pytest.mark.parametrize("role", ["Gebiedsregisseur", "Ondersteuning"])
def test_gebiedsregisseurs_and_support_staff_work_with_ideas_and_conditions_in_admin(client, role):
    from django.contrib.auth.models import Group

    area = SmederijFactory()
    idea = sent_idea(area, UserFactory())
    staff = with_second_factor(UserFactory(is_staff=True))
    staff.groups.add(Group.objects.get(name=role))
    if role == "Gebiedsregisseur":  # of this area (support staff see every area)
        area.gebiedsregisseur = staff
        area.save()
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 200
    assert client.get(change_url(idea)).status_code == 200
    assert client.get("/beheer/ideas/condition/add/").status_code == 200
    assert client.get("/beheer/ideas/idea/add/").status_code == 403  # ideas start in the form


# Steps without an explanation, from the list of ideas ------------------------------------------

REVIEWING = [Status.IN_BEHANDELING]
GRANTED = [Status.IN_BEHANDELING, Status.GOEDGEKEURD, Status.BUDGET_TOEGEKEND]
RUNNING = [*GRANTED, Status.IN_UITVOERING]

STEP_ACTIONS = [
    # (action, the way to where it may be taken, where it leads, the way to where it is refused)
    ("take_up", [], Status.IN_BEHANDELING, REVIEWING),
    ("start_execution", GRANTED, Status.IN_UITVOERING, REVIEWING),
    ("mark_realised", RUNNING, Status.GEREALISEERD, GRANTED),
]


def state_of(idea) -> tuple:
    fresh = Idea.objects.get(pk=idea.pk)
    return fresh.status, fresh.history.count(), fresh.updated_at


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


@pytest.mark.parametrize(
    "action, way, to, refused_way", STEP_ACTIONS, ids=[a[0] for a in STEP_ACTIONS]
)
def test_a_step_action_takes_the_step_and_says_per_idea_what_was_refused(
    admin_client,
    superuser,
    area,
    resident,
    english,
    action,
    way,
    to,
    refused_way,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    ready = move(sent_idea(area, resident), *way, actor=superuser)
    kees = UserFactory(email="kees@example.org")
    other = move(sent_idea(area, kees), *refused_way, actor=superuser)
    history = ready.history.count()
    before = state_of(other)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST, {"action": action, "_selected_action": [ready.pk, other.pk]}, follow=True
        )

    assert response.status_code == 200
    ready.refresh_from_db()
    assert ready.status == to
    assert ready.history.count() == history + 1
    assert ready.history.order_by("at", "pk").last().actor == superuser
    assert state_of(other) == before  # refused: nothing changed
    shown = messages_of(response)
    (done,) = [text for level, text in shown if level == "success"]
    (refused,) = [text for level, text in shown if level == "warning"]
    assert ready.reference in done and other.reference not in done
    assert other.reference in refused and ready.reference not in refused
    assert "cannot become" in refused  # the reason, as the service gives it
    # The submitter of the idea that moved is told; the other one is not.
    assert [m.to for m in mailoutbox] == [[resident.email]]


@pytest.mark.parametrize(
    "action, way, to, refused_way", STEP_ACTIONS, ids=[a[0] for a in STEP_ACTIONS]
)
def test_a_step_action_is_refused_for_staff_of_another_area(
    client, superuser, area, resident, english, action, way, to, refused_way, mailoutbox
):
    from django.contrib.auth.models import Group

    idea = move(sent_idea(area, resident), *way, actor=superuser)
    before = state_of(idea)
    mailoutbox.clear()
    other_regisseur = with_second_factor(UserFactory(is_staff=True))
    other_regisseur.groups.add(Group.objects.get(name="Gebiedsregisseur"))
    SmederijFactory(gebiedsregisseur=other_regisseur)  # he has another area, not Zuid
    client.force_login(other_regisseur)

    response = client.post(
        CHANGELIST, {"action": action, "_selected_action": [idea.pk]}, follow=True
    )

    # The idea is not in his list: selected all the same, it is not even handed to the step.
    assert response.status_code == 200
    assert messages_of(response) == []
    assert state_of(idea) == before
    assert mailoutbox == []

    # The gebiedsregisseur of Zuid may.
    area.gebiedsregisseur = other_regisseur
    area.save()
    client.post(CHANGELIST, {"action": action, "_selected_action": [idea.pk]})
    assert Idea.objects.get(pk=idea.pk).status == to


def realised_with_accounting(area, resident, staff, *, send=True) -> Idea:
    idea = move(sent_idea(area, resident), *RUNNING, Status.GEREALISEERD, actor=staff)
    return write_accounting(idea, resident, send=send)


def test_the_change_page_shows_the_verantwoording_read_only_and_links_to_the_review_page(
    admin_client, superuser, area, resident, english
):
    idea = realised_with_accounting(area, resident, superuser)
    html = admin_client.get(change_url(idea)).content.decode()
    assert "zestig buren kwamen" in html  # the story of the verantwoording
    assert "sent to the wijkteam" in html
    assert 'name="accounting-0-story"' not in html  # shown, not editable
    assert 'name="accounting-0-actual_cost"' not in html
    assert "receipt or invoice" in html  # what each file is
    review = reverse("ideas:review", kwargs={"public_id": idea.public_id})
    assert f'href="{review}"' in html
    assert "These steps need an explanation for the submitter" in html

    # Saving the page leaves the verantwoording as it is.
    data = post_data(admin_client.get(change_url(idea)))
    data["location"] = "Speeltuin Zuiderweg"
    assert admin_client.post(change_url(idea), data).status_code == 302
    accounting = Accounting.objects.get(idea=idea)
    assert (accounting.state, accounting.actual_cost) == (Accounting.State.SENT, COST)


def test_the_review_link_is_only_there_for_who_may_review(client, area, resident, english):
    from django.contrib.auth.models import Group

    idea = sent_idea(area, resident)
    concept = services.start_idea(user=resident)
    review = reverse("ideas:review", kwargs={"public_id": idea.public_id})
    support = with_second_factor(UserFactory(is_staff=True))
    support.groups.add(Group.objects.get(name="Ondersteuning"))
    client.force_login(support)
    html = client.get(change_url(idea)).content.decode()
    assert review not in html  # the review page is for the area's team and regisseur
    assert "These steps need an explanation for the submitter" in html
    html = client.get(change_url(concept)).content.decode()
    assert "These steps need an explanation" not in html


def test_a_receipt_is_never_made_public_in_admin(admin_client, superuser, area, resident, english):
    idea = move(sent_idea(area, resident), *RUNNING, Status.GEREALISEERD, actor=superuser)
    services.add_accounting_file(
        idea,
        CheckedFile(
            content=png().read(), content_type="image/png", file_kind="photo", original_name="b.png"
        ),
        actor=resident,
        purpose=Attachment.Purpose.RECEIPT,
    )
    data = post_data(admin_client.get(change_url(idea)))
    data["attachments-0-is_public"] = "on"
    response = admin_client.post(change_url(idea), data)
    assert response.status_code == 200
    assert "Receipts are never shown on the public page." in response.content.decode()
    assert not Attachment.objects.get(idea=idea).is_public
