"""The wijkteam's review in the browser's pages: the werkvoorraad, the review page of one idea and
the confirm pages of its actions.

Who may open what is a table (as in test_permissions.py): the staff of the idea's own area (the
wijkteam of Krakeel, its gebiedsregisseur, a superuser) see and do everything; anyone else gets
"not found" for an idea; the werkvoorraad is "forbidden" for people without an area. Then: the
werkvoorraad shows only the user's own areas, its filters work and overdue ideas stand out; both
pages need as many queries for 200 ideas as for 2; internal notes never reach the submitter or the
public; and the actions do what they say.
"""

import html as html_lib
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgets import services as budget_services
from budgets.models import Budget, BudgetEntry, Grant, Payment
from ideas import services
from ideas.models import (
    Accounting,
    Assignment,
    Attachment,
    BudgetLine,
    ConditionCheck,
    Idea,
    InventoryRemark,
    Kind,
    ReviewNote,
    StandardText,
    StatusChange,
    Support,
)
from ideas.uploads import CheckedFile
from ideas.workflow import Status
from smederijen import parts
from teams import services as team_services
from teams.models import Organisation
from tests.budgets.conftest import THIS_YEAR
from tests.factories import UserFactory
from tests.ideas.conftest import assert_error_next_to, step_url, tag_with_attribute
from tests.ideas.factories import ConditionFactory, IdeaFactory, in_days, move, submitted_idea
from tests.ideas.test_pages import bulk_published
from tests.ideas.test_transitions import write_accounting
from tests.smederijen.dates import assert_no_english_month, in_dutch
from tests.teams.conftest import ROLES

pytestmark = pytest.mark.django_db

LOGIN = "login"
IDEA_ROLES = ["owner", *ROLES]
#          owner, anon., resident, ig member, team A, team B, stuurgroep, regisseur, onderst., super
QUEUE = [403, LOGIN, 403, 403, 200, 200, 403, 200, 403, 200]
KRAKEEL = [404, LOGIN, 404, 404, 200, 404, 404, 200, 404, 200]
ELIM = [404, LOGIN, 404, 404, 404, 200, 404, 404, 404, 200]
NOBODY = [404, LOGIN] + [404] * 8
# POST: 302 = done, and sent back to the review page.
DONE_BY_KRAKEEL = [404, LOGIN, 404, 404, 302, 404, 404, 302, 404, 302]

CONTACT = {
    "contact_name": "Olga Eigenaar",
    "contact_email": "olga.prive@example.org",
    "contact_phone": "06 55544433",
    "contact_address": "Geheimstraat 9, Hoogeveen",
    "name_is_public": False,
}


def action_url(idea, action: str) -> str:
    return reverse("ideas:review-action", kwargs={"public_id": idea.public_id, "action": action})


def review_url(idea) -> str:
    return reverse("ideas:review", kwargs={"public_id": idea.public_id})


@pytest.fixture
def world(people, owner):
    """Olga's ideas in Krakeel, one in each status an action starts from, and one idea of Elim."""
    krakeel = people["krakeel"]
    member = people["users"]["wijkteam_a"]
    regisseur = people["users"]["gebiedsregisseur"]
    budget = budget_services.open_budget(krakeel, THIS_YEAR, "1200.00", actor=regisseur)

    def olgas(title, *statuses, **fields):
        idea = submitted_idea(
            smederij=krakeel, submitted_by=owner, title=title, **{**CONTACT, **fields}
        )
        return move(idea, *statuses, actor=member)

    ideas = {
        "new": olgas("Nieuwe lantaarns bij de school"),
        "taken": olgas("Picknicktafels bij de vijver", Status.IN_BEHANDELING),
        "approved": olgas("Buurtfeest op het plein", Status.IN_BEHANDELING, Status.GOEDGEKEURD),
        "plan": olgas("Het buurthuis groter maken", Status.IN_BEHANDELING, kind=Kind.LANGE_KLAP),
        "elim": submitted_idea(smederij=people["elim"], title="Bankjes aan de Vaart"),
    }
    granted = olgas("Moestuin achter de flat", Status.IN_BEHANDELING, Status.GOEDGEKEURD)
    services.grant(granted, Decimal("150.00"), actor=member)
    ideas["granted"] = Idea.objects.get(pk=granted.pk)
    running = olgas("Jeu-de-boulesbaan", Status.IN_BEHANDELING, Status.GOEDGEKEURD)
    services.grant(running, Decimal("100.00"), actor=member)
    ideas["running"] = services.start_execution(Idea.objects.get(pk=running.pk), actor=member)
    condition = ConditionFactory(title="Het idee is binnen een jaar klaar")
    mail.outbox.clear()
    return {"ideas": ideas, "budget": budget, "condition": condition, "people": people}


def sign_in(client, people, owner, role):
    user = owner if role == "owner" else people["users"][role]
    if user is not None:
        client.force_login(user)
    return user


def outcome(response):
    if response.status_code == 302 and response.headers["Location"].startswith("/account/login/"):
        return LOGIN
    return response.status_code


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """``client.post`` whose mails go out as after a real commit (into ``mail.outbox``)."""

    def send(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return send


# Who may open which page ----------------------------------------------------------------------

PAGES = [
    ("werkvoorraad", lambda i: reverse("ideas:review-queue"), QUEUE),
    (
        "werkvoorraad with filters",
        lambda i: "/werkvoorraad/?status=ingediend&kind=korte_klap",
        QUEUE,
    ),
    ("werkvoorraad as Excel", lambda i: "/werkvoorraad/export.xlsx?status=open", QUEUE),
    ("werkvoorraad as CSV", lambda i: "/werkvoorraad/export.csv", QUEUE),
    ("werkvoorraad to print", lambda i: "/werkvoorraad/afdrukken/?kind=korte_klap", QUEUE),
    ("review page", lambda i: review_url(i["new"]), KRAKEEL),
    ("dossier to print", lambda i: f"{review_url(i['granted'])}afdrukken/", KRAKEEL),
    ("dossier to print, Elim idea", lambda i: f"{review_url(i['elim'])}afdrukken/", ELIM),
    ("review page of a plan", lambda i: review_url(i["plan"]), KRAKEEL),
    ("review page of an Elim idea", lambda i: review_url(i["elim"]), ELIM),
    ("confirm: take up", lambda i: action_url(i["new"], "oppakken"), KRAKEEL),
    ("confirm: ask a question", lambda i: action_url(i["new"], "vraag"), KRAKEEL),
    ("confirm: approve", lambda i: action_url(i["taken"], "goedkeuren"), KRAKEEL),
    ("confirm: grant", lambda i: action_url(i["approved"], "toekennen"), KRAKEEL),
    ("confirm: reject", lambda i: action_url(i["taken"], "afwijzen"), KRAKEEL),
    ("confirm: change the kind", lambda i: action_url(i["taken"], "soort"), KRAKEEL),
    ("confirm: to the stuurgroep", lambda i: action_url(i["plan"], "stuurgroep"), KRAKEEL),
    ("confirm: start", lambda i: action_url(i["granted"], "starten"), KRAKEEL),
    ("confirm: realised", lambda i: action_url(i["running"], "gerealiseerd"), KRAKEEL),
    ("confirm: ask, Elim idea", lambda i: action_url(i["elim"], "vraag"), ELIM),
    # A step that does not fit the idea's status is no page at all.
    ("confirm: approve a new idea", lambda i: action_url(i["new"], "goedkeuren"), NOBODY),
    ("confirm: grant before approval", lambda i: action_url(i["taken"], "toekennen"), NOBODY),
    ("confirm: approve a plan", lambda i: action_url(i["plan"], "goedkeuren"), NOBODY),
    ("confirm: an unknown step", lambda i: action_url(i["new"], "verwijderen"), NOBODY),
]


@pytest.mark.parametrize("role", IDEA_ROLES)
@pytest.mark.parametrize("url, expected", [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_role_opens_review_page(client, world, owner, role, url, expected):
    sign_in(client, world["people"], owner, role)
    response = client.get(url(world["ideas"]))
    assert outcome(response) == expected[IDEA_ROLES.index(role)]
    if response.status_code != 200:
        html = response.content.decode()
        assert "olga.prive@example.org" not in html and "Geheimstraat" not in html


def the_state(world) -> dict:
    """Everything an action can change."""
    ideas = Idea.objects.filter(pk__in=[i.pk for i in world["ideas"].values()])
    return {
        "ideas": sorted(ideas.values_list("pk", "status", "kind", "is_published", "behandelaar")),
        "history": StatusChange.objects.count(),
        "notes": ReviewNote.objects.count(),
        "checks": ConditionCheck.objects.count(),
        "grants": Grant.objects.count(),
        "available": Budget.objects.get(pk=world["budget"].pk).available,
    }


ACTIONS = [
    # (name, which idea, url, data, expected)
    ("take up", "new", "oppakken", {}),
    ("ask a question", "new", "vraag", {"question": "Welke school bedoelt u?"}),
    ("approve", "taken", "goedkeuren", {"public_text": "Het voldoet."}),
    ("grant", "approved", "toekennen", {"amount": "750,00", "public_text": ""}),
    ("reject", "taken", "afwijzen", {"reason": "Dit past niet in de voorwaarden."}),
    ("change the kind", "taken", "soort", {"kind": "lange_klap", "reason": "Te groot."}),
    ("to the stuurgroep", "plan", "stuurgroep", {"public_text": "Voor de stuurgroep."}),
    ("start", "granted", "starten", {"public_text": ""}),
    ("realised", "running", "gerealiseerd", {"public_text": "Klaar!"}),
    ("review page: add a note", "new", None, {"note": "Bellen met de school.", "add_note": "1"}),
    ("review page: publish", "new", None, {"publish": "1"}),
    ("review page: I will handle it", "new", None, {"assign_me": "1"}),
]


@pytest.mark.parametrize("role", IDEA_ROLES)
@pytest.mark.parametrize(
    "which, slug, data", [a[1:] for a in ACTIONS], ids=[f"POST {a[0]}" for a in ACTIONS]
)
def test_role_does_review_action(client, post, world, owner, role, which, slug, data):
    idea = world["ideas"][which]
    url = action_url(idea, slug) if slug else review_url(idea)
    before = the_state(world)
    sign_in(client, world["people"], owner, role)

    response = post(url, {"internal_note": "", **data})

    expected = DONE_BY_KRAKEEL[IDEA_ROLES.index(role)]
    assert outcome(response) == expected
    if expected == 302:
        assert response.headers["Location"].split("#")[0] == review_url(idea)
        assert the_state(world) != before
    else:
        assert the_state(world) == before
        assert mail.outbox == []


def test_the_checklist_is_saved_only_by_the_areas_staff(client, post, world, owner):
    condition = world["condition"]
    idea = world["ideas"]["taken"]
    data = {f"verdict_{condition.pk}": "voldoet", "save_checklist": "1"}
    for role in IDEA_ROLES:
        client.logout()
        sign_in(client, world["people"], owner, role)
        response = post(review_url(idea), data)
        expected = DONE_BY_KRAKEEL[IDEA_ROLES.index(role)]
        assert outcome(response) == expected, role
        assert ConditionCheck.objects.filter(idea=idea).exists() is (expected == 302), role
        ConditionCheck.objects.all().delete()


def test_a_step_that_no_longer_fits_changes_nothing(client, post, world, people):
    """Two tabs: the idea was approved in one, the other still offers "approve" and "reject"."""
    idea = world["ideas"]["taken"]
    client.force_login(people["users"]["wijkteam_a"])
    assert post(action_url(idea, "goedkeuren"), {"public_text": ""}).status_code == 302
    before = the_state(world)
    mail.outbox.clear()
    response = post(action_url(idea, "goedkeuren"), {"public_text": ""})
    assert response.status_code == 302
    assert the_state(world) == before
    assert mail.outbox == []


# The werkvoorraad ------------------------------------------------------------------------------

QUEUE_LINK = re.compile(r'href="/werkvoorraad/([0-9a-f-]{36})/"')


def listed(response) -> set[str]:
    """The ideas the werkvoorraad links to (by their public id)."""
    assert response.status_code == 200
    return set(QUEUE_LINK.findall(response.content.decode()))


def ids(*ideas) -> set[str]:
    return {str(idea.public_id) for idea in ideas}


def test_the_queue_shows_only_the_users_own_areas(client, world, people):
    ideas = world["ideas"]
    krakeel_waiting = ids(
        ideas["new"], ideas["taken"], ideas["approved"], ideas["plan"], ideas["granted"]
    ) | ids(ideas["running"])
    client.force_login(people["users"]["wijkteam_a"])
    assert listed(client.get("/werkvoorraad/")) == krakeel_waiting
    client.force_login(people["users"]["gebiedsregisseur"])
    assert listed(client.get("/werkvoorraad/")) == krakeel_waiting
    client.force_login(people["users"]["wijkteam_b"])
    assert listed(client.get("/werkvoorraad/")) == ids(ideas["elim"])
    assert "Bankjes aan de Vaart" in client.get("/werkvoorraad/").content.decode()


def test_closed_ideas_and_concepts_are_not_in_the_queue(client, world, people, owner):
    member = people["users"]["wijkteam_a"]
    rejected = move(
        submitted_idea(smederij=people["krakeel"], title="Afgewezen plan"),
        Status.AFGEWEZEN,
        actor=member,
    )
    withdrawn = services.withdraw_idea(
        submitted_idea(smederij=people["krakeel"], submitted_by=owner), actor=owner
    )
    concept = IdeaFactory(smederij=people["krakeel"], title="Half plan")
    client.force_login(member)
    shown = listed(client.get("/werkvoorraad/?status=open"))
    assert shown.isdisjoint(ids(rejected, withdrawn, concept))
    assert ids(world["ideas"]["new"]) <= shown


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "in_behandeling"}, ["taken", "plan"]),
        ({"status": "ingediend"}, ["new", "elim"]),
        ({"status": "goedgekeurd"}, ["approved"]),
        ({"kind": "lange_klap"}, ["plan"]),
        ({"kind": "korte_klap", "status": "in_behandeling"}, ["taken"]),
        ({"smederij": "elim"}, ["elim"]),
        ({"smederij": "krakeel", "status": "ingediend"}, ["new"]),
    ],
    ids=lambda v: str(v),
)
def test_the_queue_filters(client, world, people, params, expected):
    regisseur = people["users"]["gebiedsregisseur"]
    people["elim"].gebiedsregisseur = regisseur  # he has both areas now
    people["elim"].save()
    client.force_login(regisseur)
    response = client.get("/werkvoorraad/", params)
    assert listed(response) == ids(*[world["ideas"][name] for name in expected])


def test_the_queue_cannot_be_filtered_to_another_area(client, world, people, english):
    client.force_login(people["users"]["wijkteam_a"])
    response = client.get("/werkvoorraad/", {"smederij": "elim"})
    assert response.status_code == 200
    assert ids(world["ideas"]["elim"]).isdisjoint(listed(response))


def row_of(html: str, idea) -> str:
    """The table row that links to the idea."""
    for row in re.findall(r"<tr\b.*?</tr>", html, re.S):
        if f"/werkvoorraad/{idea.public_id}/" in row:
            return row
    raise AssertionError(f"no row for {idea.title}")


def test_overdue_ideas_are_marked(client, world, people, english):
    late, on_time = world["ideas"]["new"], world["ideas"]["taken"]
    Idea.objects.filter(pk=late.pk).update(decision_due=timezone.localdate() - timedelta(days=1))
    Idea.objects.filter(pk=on_time.pk).update(decision_due=in_days(3))
    client.force_login(people["users"]["wijkteam_a"])

    html = client.get("/werkvoorraad/").content.decode()

    assert "Overdue" in row_of(html, late)
    assert "Overdue" not in row_of(html, on_time)
    assert "1 idea waits for a decision after its due date" in html
    # The review page says so too.
    assert "Overdue" in client.get(review_url(late)).content.decode()
    assert "Overdue" not in client.get(review_url(on_time)).content.decode()


def test_the_queue_says_how_long_an_idea_waits_and_when_a_decision_is_due(
    client, world, people, english
):
    idea = world["ideas"]["new"]
    Idea.objects.filter(pk=idea.pk).update(
        submitted_at=timezone.now() - timedelta(days=10), decision_due=in_days(32)
    )
    client.force_login(people["users"]["wijkteam_a"])
    row = row_of(client.get("/werkvoorraad/").content.decode(), idea)
    assert re.search(r">\s*10\s*<", row), row
    assert in_days(32).isoformat() in row


# Query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params", [{}, {"status": "open"}, {"status": "in_behandeling", "kind": "korte_klap"}]
)
def test_the_queue_needs_the_same_queries_for_2_or_200_ideas(
    client, people, params, django_assert_max_num_queries, django_assert_num_queries
):
    krakeel = people["krakeel"]
    client.force_login(people["users"]["wijkteam_a"])
    bulk_published(2, krakeel, status=Status.IN_BEHANDELING)
    client.get("/werkvoorraad/")  # the session is read once
    with django_assert_max_num_queries(15) as few:
        response = client.get("/werkvoorraad/", params)
    assert len(listed(response)) == 2

    past = timezone.localdate() - timedelta(days=3)
    bulk_published(100, krakeel, first_number=3, status=Status.IN_BEHANDELING, decision_due=past)
    bulk_published(50, krakeel, first_number=103, status=Status.INGEDIEND, kind=Kind.LANGE_KLAP)
    bulk_published(48, krakeel, first_number=153, status=Status.GOEDGEKEURD)
    with django_assert_num_queries(len(few)):
        response = client.get("/werkvoorraad/", params)
    assert len(listed(response)) == 20  # one page


def test_the_review_page_needs_the_same_queries_for_2_or_200_of_everything(
    client, people, owner, django_assert_max_num_queries, django_assert_num_queries
):
    krakeel = people["krakeel"]
    member = people["users"]["wijkteam_a"]
    fatima = people["users"]["initiatiefgroep_member"]
    idea = move(
        submitted_idea(smederij=krakeel, submitted_by=owner, **CONTACT),
        Status.IN_BEHANDELING,
        actor=member,
    )
    conditions = [ConditionFactory() for _ in range(2)]

    def add(count: int, start: int = 0):
        ReviewNote.objects.bulk_create(
            ReviewNote(idea=idea, author=member, text=f"Notitie {n}")
            for n in range(start, start + count)
        )
        InventoryRemark.objects.bulk_create(
            InventoryRemark(
                idea=idea, author=fatima, initiatiefgroep=people["group"], text=f"Opmerking {n}"
            )
            for n in range(start, start + count)
        )
        StatusChange.objects.bulk_create(
            StatusChange(
                idea=idea,
                from_status=Status.IN_BEHANDELING,
                to_status=Status.IN_BEHANDELING,
                actor=member,
                public_text=f"Stap {n}",
            )
            for n in range(start, start + count)
        )
        Attachment.objects.bulk_create(
            Attachment(
                idea=idea,
                file=f"ideas/x/{n}.pdf",
                original_name=f"offerte-{n}.pdf",
                file_kind="pdf",
                content_type="application/pdf",
                size=100,
            )
            for n in range(start, start + count)
        )
        # Who handled it, and who chose them: every other choice was "nobody".
        Assignment.objects.bulk_create(
            Assignment(idea=idea, behandelaar=fatima if n % 2 else None, assigned_by=member)
            for n in range(start, start + count)
        )

    add(2)
    for condition in conditions:
        services.check_condition(idea, condition, actor=member, verdict="voldoet")
    client.force_login(member)
    client.get(review_url(idea))
    with django_assert_max_num_queries(25) as few:
        response = client.get(review_url(idea))
    assert response.status_code == 200
    # The people to choose from in one plain SELECT, not a cursor (three round trips).
    assert not any("DECLARE" in query["sql"] for query in few.captured_queries)

    add(198, start=2)
    bulk_published(198, krakeel, first_number=900)
    for _ in range(20):
        condition = ConditionFactory()
        services.check_condition(idea, condition, actor=member, verdict="nvt", remark="n.v.t.")
    with django_assert_num_queries(len(few)):
        response = client.get(review_url(idea))
    html = response.content.decode()
    assert "Notitie 199" in html and "Opmerking 199" in html and "offerte-199.pdf" in html
    choices = re.findall(r"</time>: ([^<(]+?) \(gekozen door ([^)]+)\)</li>", html)
    assert len(choices) == 200
    assert choices.count(("niemand", member.get_full_name())) == 100
    assert choices.count((fatima.get_full_name(), member.get_full_name())) == 100


def test_a_confirm_page_needs_few_queries(client, world, people, django_assert_max_num_queries):
    client.force_login(people["users"]["wijkteam_a"])
    for _ in range(5):
        StandardText.objects.create(use=StandardText.Use.GRANT, title="T", text="Tekst")
    with django_assert_max_num_queries(20):
        assert client.get(action_url(world["ideas"]["approved"], "toekennen")).status_code == 200


# What the review page shows, and what never leaves it --------------------------------------------


def test_the_review_page_shows_the_idea_contact_details_remarks_history_and_notes(
    client, world, people, english
):
    idea = world["ideas"]["taken"]
    services.add_inventory_remark(
        idea, actor=people["users"]["initiatiefgroep_member"], text="Veel buren willen dit."
    )
    services.add_review_note(idea, actor=people["users"]["wijkteam_a"], text="Bel de school.")
    for role in ("wijkteam_a", "gebiedsregisseur"):
        client.force_login(people["users"][role])
        html = client.get(review_url(idea)).content.decode()
        for shown in (
            idea.title,
            idea.reference,
            idea.description.split(".")[0],
            "Twee picknicktafels",  # the begroting
            "olga.prive@example.org",
            "06 55544433",
            "Geheimstraat 9, Hoogeveen",
            "Veel buren willen dit.",
            "Bel de school.",
            "Besproken in het wijkteam.",  # the history's public text
            "Het idee is binnen een jaar klaar",  # the checklist
        ):
            assert shown in html, (role, shown)


MARKERS = ("GEHEIM-7731", "INTERN-5520", "INTERN-8842", "INTERN-9913")


def assert_no_marker(html: str, where: str) -> None:
    for marker in MARKERS:
        assert marker not in html, f"{marker} on {where}"


def test_internal_notes_never_reach_the_submitter_or_the_public(client, post, world, people, owner):
    idea = world["ideas"]["new"]
    member = people["users"]["wijkteam_a"]
    client.force_login(member)
    assert post(review_url(idea), {"publish": "1"}).status_code == 302
    post(review_url(idea), {"note": "GEHEIM-7731 de buurman klaagt", "add_note": "1"})
    post(
        action_url(idea, "vraag"),
        {"question": "Wie helpt er mee?", "internal_note": "INTERN-5520 nagaan bij de school"},
    )
    assert Idea.objects.get(pk=idea.pk).status == Status.AANVULLING_GEVRAAGD

    # The staff see every note on the review page.
    html = client.get(review_url(idea)).content.decode()
    assert "GEHEIM-7731" in html and "INTERN-5520" in html

    def pages_while_asked():
        return {
            "my ideas": "/account/mijn-ideeen/",
            "my idea": reverse("ideas:my-idea", args=[idea.public_id]),
            "the answer step": step_url(idea, "versturen"),
            "a step of the form": step_url(idea, "idee"),
            "withdraw": reverse("ideas:idea-withdraw", args=[idea.public_id]),
        }

    def public_pages():
        reference = Idea.objects.get(pk=idea.pk).reference
        return {
            "public page": f"/ideeen/{reference}/",
            "public list": "/ideeen/",
            "public list of Krakeel": "/ideeen/?smederij=krakeel",
            "home": "/",
            "the budget of Krakeel": f"/bewonersbudget/krakeel/{THIS_YEAR}/",
        }

    def check_every_page():
        client.force_login(owner)
        for where, url in pages_while_asked().items():
            response = client.get(url)
            if response.status_code == 200:
                assert_no_marker(response.content.decode(), where)
        client.logout()
        for where, url in public_pages().items():
            response = client.get(url)
            assert response.status_code == 200, where
            assert_no_marker(response.content.decode(), where)
        # A search shows the words searched for, but finds nothing by an internal note.
        title = Idea.objects.get(pk=idea.pk).title
        for words in ("GEHEIM-7731", "buurman klaagt", "INTERN-5520", "snel betalen"):
            response = client.get("/zoeken/", {"q": words})
            assert response.status_code == 200
            assert title not in response.content.decode(), f"found by {words!r}"
        client.force_login(people["users"]["initiatiefgroep_member"])
        for where, url in {
            "inventory": reverse("ideas:inventory-detail", args=[idea.public_id]),
            "inventory list": "/initiatiefgroepen/initiatiefgroep-krakeel/ideeen/",
        }.items():
            response = client.get(url)
            assert response.status_code == 200, where
            assert_no_marker(response.content.decode(), where)

    check_every_page()
    client.force_login(owner)
    assert "Wie helpt er mee?" in client.get(pages_while_asked()["my idea"]).content.decode()

    # The submitter answers; the team approves and grants money, each with an internal note.
    response = post(step_url(idea, "versturen"), {"answer": "Tien buren helpen mee."})
    assert response.status_code == 302
    client.force_login(member)
    post(action_url(idea, "goedkeuren"), {"public_text": "", "internal_note": "INTERN-8842 ok"})
    post(
        action_url(idea, "toekennen"),
        {"amount": "750", "public_text": "", "internal_note": "INTERN-9913 snel betalen"},
    )
    assert Idea.objects.get(pk=idea.pk).status == Status.BUDGET_TOEGEKEND
    check_every_page()
    client.force_login(member)
    html = client.get(review_url(idea)).content.decode()
    assert all(marker in html for marker in MARKERS)
    for message in mail.outbox:
        assert_no_marker(message.body + message.subject, f"the mail {message.subject!r}")


# The actions, through their pages --------------------------------------------------------------


def test_asking_a_question_reaches_the_submitter(client, post, world, people, owner):
    idea = world["ideas"]["new"]
    client.force_login(people["users"]["wijkteam_a"])
    page = client.get(action_url(idea, "vraag"))
    assert page.status_code == 200
    response = post(
        action_url(idea, "vraag"),
        {"question": "Hoeveel lantaarns zijn er nodig?", "internal_note": ""},
    )
    assert response.status_code == 302
    assert response.headers["Location"].split("#")[0] == review_url(idea)
    assert Idea.objects.get(pk=idea.pk).status == Status.AANVULLING_GEVRAAGD

    client.force_login(owner)
    html = client.get(reverse("ideas:my-idea", args=[idea.public_id])).content.decode()
    assert "Hoeveel lantaarns zijn er nodig?" in html
    to_olga = [m for m in mail.outbox if "olga.prive@example.org" in m.to]
    assert [m for m in to_olga if "Hoeveel lantaarns zijn er nodig?" in m.body]


def test_approving(client, post, world, people):
    idea = world["ideas"]["taken"]
    client.force_login(people["users"]["gebiedsregisseur"])
    response = post(action_url(idea, "goedkeuren"), {"public_text": "Het voldoet."})
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).status == Status.GOEDGEKEURD
    change = StatusChange.objects.filter(idea=idea).last()
    assert (change.to_status, change.public_text) == (Status.GOEDGEKEURD, "Het voldoet.")
    assert change.actor == people["users"]["gebiedsregisseur"]


@pytest.mark.parametrize("typed", ["750", "750,00", "€ 750", "750,-"])
def test_granting_750_takes_exactly_750_from_the_budget(client, post, world, people, typed):
    idea = world["ideas"]["approved"]
    available = Budget.objects.get(pk=world["budget"].pk).available
    client.force_login(people["users"]["wijkteam_a"])
    response = post(action_url(idea, "toekennen"), {"amount": typed, "public_text": ""})
    assert response.status_code == 302
    assert Budget.objects.get(pk=world["budget"].pk).available == available - Decimal("750.00")
    assert Grant.objects.get(idea=idea).amount == Decimal("750.00")
    assert Idea.objects.get(pk=idea.pk).status == Status.BUDGET_TOEGEKEND


def test_the_grant_page_offers_the_asked_amount_and_shows_what_is_available(client, world, people):
    client.force_login(people["users"]["wijkteam_a"])
    html = client.get(action_url(world["ideas"]["approved"], "toekennen")).content.decode()
    field = tag_with_attribute(html, "name", "amount")
    assert field and re.search(r'value="750([.,]00)?"', field), field
    # € 1.200 minus the € 150 and € 100 granted in the world: € 950 left.
    assert "950,00" in html


def test_granting_more_than_is_available_is_refused_next_to_the_amount(
    client, post, world, people, english
):
    idea = world["ideas"]["approved"]
    budget_services.correct(
        world["budget"], "-500.00", actor=people["users"]["gebiedsregisseur"], reason="Foutje."
    )
    before = the_state(world)
    client.force_login(people["users"]["wijkteam_a"])
    # € 450 is left; € 750 asked.
    response = post(action_url(idea, "toekennen"), {"amount": "750", "public_text": ""})
    assert response.status_code == 200
    assert_error_next_to(response.content.decode(), "id_amount", "There is not enough money")
    assert the_state(world) == before
    assert mail.outbox == []


def test_rejecting_without_a_reason_shows_the_error_and_changes_nothing(
    client, post, world, people, english
):
    idea = world["ideas"]["taken"]
    before = the_state(world)
    client.force_login(people["users"]["wijkteam_a"])
    for reason in ("", "   "):
        response = post(action_url(idea, "afwijzen"), {"reason": reason})
        assert response.status_code == 200
        html = response.content.decode()
        assert_error_next_to(html, "id_reason", "Write why the idea is rejected.")
        assert "<title>Error: " in html
    assert the_state(world) == before
    assert mail.outbox == []


def test_rejecting_with_a_reason(client, post, world, people):
    idea = world["ideas"]["taken"]
    client.force_login(people["users"]["wijkteam_a"])
    response = post(action_url(idea, "afwijzen"), {"reason": "Het is geen plan voor de buurt."})
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).status == Status.AFGEWEZEN
    assert [m for m in mail.outbox if "Het is geen plan voor de buurt." in m.body]


def test_the_checklist_saves_the_verdicts(client, post, world, people):
    idea = world["ideas"]["taken"]
    first = world["condition"]
    second = ConditionFactory(title="Er is draagvlak in de buurt")
    client.force_login(people["users"]["wijkteam_a"])
    response = post(
        review_url(idea),
        {
            f"verdict_{first.pk}": "voldoet",
            f"remark_{first.pk}": "Klaar in de zomer.",
            f"verdict_{second.pk}": "voldoet_niet",
            f"remark_{second.pk}": "Nog geen handtekeningen.",
            "save_checklist": "1",
        },
    )
    assert response.status_code == 302
    saved = {
        c.condition_id: (c.verdict, c.remark, c.checked_by_id)
        for c in ConditionCheck.objects.filter(idea=idea)
    }
    member = people["users"]["wijkteam_a"].pk
    assert saved == {
        first.pk: ("voldoet", "Klaar in de zomer.", member),
        second.pk: ("voldoet_niet", "Nog geen handtekeningen.", member),
    }
    # The page shows the saved answers; the regisseur sees them too and can change one to n.v.t.
    client.force_login(people["users"]["gebiedsregisseur"])
    html = client.get(review_url(idea)).content.decode()
    for condition, verdict in ((first, "voldoet"), (second, "voldoet_niet")):
        radio = re.search(
            rf'<input[^>]*name="verdict_{condition.pk}"[^>]*value="{verdict}"[^>]*>', html
        ) or re.search(
            rf'<input[^>]*value="{verdict}"[^>]*name="verdict_{condition.pk}"[^>]*>', html
        )
        assert radio and "checked" in radio.group(0), (condition.title, verdict)
    assert "Nog geen handtekeningen." in html
    post(
        review_url(idea),
        {
            f"verdict_{first.pk}": "voldoet",
            f"remark_{first.pk}": "Klaar in de zomer.",
            f"verdict_{second.pk}": "nvt",
            f"remark_{second.pk}": "",
            "save_checklist": "1",
        },
    )
    check = ConditionCheck.objects.get(idea=idea, condition=second)
    assert (check.verdict, check.checked_by) == ("nvt", people["users"]["gebiedsregisseur"])
    assert ConditionCheck.objects.filter(idea=idea).count() == 2


def test_a_checklist_remark_without_a_verdict_is_refused(client, post, world, people, english):
    idea = world["ideas"]["taken"]
    condition = world["condition"]
    client.force_login(people["users"]["wijkteam_a"])
    response = post(
        review_url(idea),
        {f"verdict_{condition.pk}": "", f"remark_{condition.pk}": "Twijfel", "save_checklist": "1"},
    )
    assert response.status_code == 200
    assert not ConditionCheck.objects.filter(idea=idea).exists()


def test_an_empty_internal_note_is_refused_next_to_the_field(client, post, world, people, english):
    idea = world["ideas"]["taken"]
    client.force_login(people["users"]["wijkteam_a"])
    response = post(review_url(idea), {"note": "  ", "add_note": "1"})
    assert response.status_code == 200
    assert_error_next_to(response.content.decode(), "id_note", "Write the note.")
    assert not ReviewNote.objects.filter(idea=idea).exists()


def test_a_standard_text_fills_the_field(client, post, world, people):
    idea = world["ideas"]["new"]
    question = StandardText.objects.create(
        use=StandardText.Use.QUESTION,
        title="Offerte",
        text="Wilt u een offerte van de leverancier sturen?",
    )
    StandardText.objects.create(
        use=StandardText.Use.REJECTION, title="Te duur", text="Dit is te duur voor de buurt."
    )
    StandardText.objects.create(
        use=StandardText.Use.QUESTION, title="Oud", text="Niet meer gebruiken.", is_active=False
    )
    client.force_login(people["users"]["wijkteam_a"])

    html = client.get(action_url(idea, "vraag")).content.decode()
    assert "Offerte" in html  # offered to choose
    assert "Te duur" not in html and "Niet meer gebruiken." not in html  # other uses, inactive

    html = client.get(action_url(idea, "vraag"), {"tekst": question.pk}).content.decode()
    textarea = re.search(r'<textarea[^>]*name="question"[^>]*>(.*?)</textarea>', html, re.S)
    assert textarea and textarea.group(1).strip() == question.text

    # Edited before it is sent: the edited text is what the submitter gets.
    edited = question.text + " Dan kunnen we verder."
    post(action_url(idea, "vraag"), {"question": edited})
    assert StatusChange.objects.filter(idea=idea).last().public_text == edited


def test_a_standard_text_of_another_use_does_not_fill_the_field(client, world, people):
    idea = world["ideas"]["new"]
    StandardText.objects.create(use=StandardText.Use.QUESTION, title="Vraag", text="Een vraag.")
    other = StandardText.objects.create(
        use=StandardText.Use.REJECTION, title="Te duur", text="Dit is te duur voor de buurt."
    )
    client.force_login(people["users"]["wijkteam_a"])
    response = client.get(action_url(idea, "vraag"), {"tekst": other.pk})
    assert response.status_code == 200
    assert "Dit is te duur voor de buurt." not in response.content.decode()


def test_publishing_puts_the_idea_on_the_public_site_and_takes_it_off(client, post, world, people):
    idea = world["ideas"]["new"]
    public = f"/ideeen/{idea.reference}/"
    assert client.get(public).status_code == 404
    client.force_login(people["users"]["gebiedsregisseur"])
    assert post(review_url(idea), {"publish": "1"}).status_code == 302
    client.logout()
    assert client.get(public).status_code == 200
    client.force_login(people["users"]["wijkteam_a"])
    assert post(review_url(idea), {"publish": "0"}).status_code == 302
    client.logout()
    assert client.get(public).status_code == 404


def test_the_review_page_offers_only_the_steps_that_fit(client, world, people):
    client.force_login(people["users"]["wijkteam_a"])
    expected = {
        "new": {"oppakken", "vraag", "afwijzen", "soort"},
        "taken": {"vraag", "goedkeuren", "afwijzen", "soort"},
        "plan": {"vraag", "stuurgroep", "afwijzen", "soort"},
        "approved": {"toekennen", "afwijzen"},
        "granted": {"starten"},
        "running": {"gerealiseerd"},
    }
    for name, slugs in expected.items():
        idea = world["ideas"][name]
        html = client.get(review_url(idea)).content.decode()
        offered = set(re.findall(rf'href="/werkvoorraad/{idea.public_id}/([a-z-]+)/"', html))
        offered.discard("afdrukken")  # the print view: no step
        assert offered == slugs, name


# The verantwoording: signing it off or sending it back ----------------------------------------

REPORTED = Decimal("690.00")
GRANTED = Decimal("750.00")
#          owner, anon., resident, ig member, team A, team B, stuurgroep, regisseur, onderst., super
DONE_BY_ELIM = [404, LOGIN, 404, 404, 404, 302, 404, 404, 404, 302]


def photo(name: str = "buurtfeest.png") -> CheckedFile:
    return CheckedFile(
        content=b"\x89PNG foto", content_type="image/png", file_kind="photo", original_name=name
    )


def realised_idea(smederij, submitter, member, *, title: str, send: bool, **fields) -> Idea:
    """A korte-klap idea granted € 750, carried out and realised; its owner wrote the
    verantwoording (€ 690, a receipt and a photo of the result) and, with ``send``, sent it."""
    idea = submitted_idea(smederij=smederij, submitted_by=submitter, title=title, **fields)
    idea = move(idea, Status.IN_BEHANDELING, Status.GOEDGEKEURD, actor=member)
    services.grant(idea, GRANTED, actor=member)
    idea = services.start_execution(Idea.objects.get(pk=idea.pk), actor=member)
    idea = services.mark_realised(idea, actor=member)
    write_accounting(idea, submitter, cost=REPORTED)
    services.add_accounting_file(idea, photo(), actor=submitter, purpose=Attachment.Purpose.RESULT)
    if send:
        services.send_accounting(idea, actor=submitter)
    return Idea.objects.get(pk=idea.pk)


@pytest.fixture
def accounted(world, people, owner):
    """Olga's realised ideas in Krakeel: "realised" (verantwoording written, not sent) and
    "accounted" (sent); and a sent one of Elim ("elim_accounted")."""
    regisseur = people["users"]["gebiedsregisseur"]
    budget_services.top_up(world["budget"], "2000.00", actor=regisseur, reason="Extra geld.")
    elim_budget = budget_services.open_budget(
        people["elim"], THIS_YEAR, "1000.00", actor=people["users"]["ondersteuning"]
    )
    member = people["users"]["wijkteam_a"]
    ideas = world["ideas"]
    ideas["realised"] = realised_idea(
        people["krakeel"], owner, member, title="Bloembakken", send=False, **CONTACT
    )
    ideas["accounted"] = realised_idea(
        people["krakeel"], owner, member, title="Buurtfeest in de zomer", send=True, **CONTACT
    )
    ideas["elim_accounted"] = realised_idea(
        people["elim"],
        UserFactory(),
        people["users"]["wijkteam_b"],
        title="Dorpsfeest Elim",
        send=True,
    )
    mail.outbox.clear()
    return {**world, "elim_budget": elim_budget}


def the_money_state(world) -> dict:
    """Everything an action can change, with the verantwoording and the money around it."""
    return {
        **the_state(world),
        "accountings": sorted(Accounting.objects.values_list("idea_id", "state", "accepted_cost")),
        "payments": Payment.objects.count(),
        "ledger": BudgetEntry.objects.count(),
        "elim available": Budget.objects.get(pk=world["elim_budget"].pk).available,
    }


ACCOUNTING_PAGES = [
    ("review page of a sent verantwoording", lambda i: review_url(i["accounted"]), KRAKEEL),
    ("review page of a realised idea", lambda i: review_url(i["realised"]), KRAKEEL),
    ("confirm: sign off", lambda i: action_url(i["accounted"], "afronden"), KRAKEEL),
    (
        "confirm: send back",
        lambda i: action_url(i["accounted"], "verantwoording-terugsturen"),
        KRAKEEL,
    ),
    ("confirm: sign off, Elim", lambda i: action_url(i["elim_accounted"], "afronden"), ELIM),
    (
        "confirm: send back, Elim",
        lambda i: action_url(i["elim_accounted"], "verantwoording-terugsturen"),
        ELIM,
    ),
    # Not sent yet, or not realised: no such step.
    ("confirm: sign off, not sent", lambda i: action_url(i["realised"], "afronden"), NOBODY),
    (
        "confirm: send back, not sent",
        lambda i: action_url(i["realised"], "verantwoording-terugsturen"),
        NOBODY,
    ),
    ("confirm: sign off while carried out", lambda i: action_url(i["running"], "afronden"), NOBODY),
]


@pytest.mark.parametrize("role", IDEA_ROLES)
@pytest.mark.parametrize(
    "url, expected", [p[1:] for p in ACCOUNTING_PAGES], ids=[p[0] for p in ACCOUNTING_PAGES]
)
def test_role_opens_verantwoording_page(client, accounted, owner, role, url, expected):
    sign_in(client, accounted["people"], owner, role)
    response = client.get(url(accounted["ideas"]))
    assert outcome(response) == expected[IDEA_ROLES.index(role)]
    if response.status_code != 200:
        html = response.content.decode()
        assert "olga.prive@example.org" not in html and "zestig buren" not in html


SIGN_OFF = {"accepted_cost": "690,00", "public_text": ""}
SEND_BACK = {"question": "Op de tweede bon staat geen datum. Kunt u die aanvullen?"}
ACCOUNTING_ACTIONS = [
    # (name, which idea, slug, data, what a POST of each role gets, whether the team changes it)
    ("sign off", "accounted", "afronden", SIGN_OFF, DONE_BY_KRAKEEL, True),
    ("send back", "accounted", "verantwoording-terugsturen", SEND_BACK, DONE_BY_KRAKEEL, True),
    ("sign off, Elim", "elim_accounted", "afronden", SIGN_OFF, DONE_BY_ELIM, True),
    (
        "send back, Elim",
        "elim_accounted",
        "verantwoording-terugsturen",
        SEND_BACK,
        DONE_BY_ELIM,
        True,
    ),
    # The team is sent back to the review page with a message, and nothing happens.
    ("sign off, not sent", "realised", "afronden", SIGN_OFF, DONE_BY_KRAKEEL, False),
    (
        "send back, not sent",
        "realised",
        "verantwoording-terugsturen",
        SEND_BACK,
        DONE_BY_KRAKEEL,
        False,
    ),
]


@pytest.mark.parametrize("role", IDEA_ROLES)
@pytest.mark.parametrize(
    "which, slug, data, codes, changes",
    [a[1:] for a in ACCOUNTING_ACTIONS],
    ids=[f"POST {a[0]}" for a in ACCOUNTING_ACTIONS],
)
def test_role_does_verantwoording_action(
    client, post, accounted, owner, role, which, slug, data, codes, changes
):
    idea = accounted["ideas"][which]
    before = the_money_state(accounted)
    sign_in(client, accounted["people"], owner, role)

    response = post(action_url(idea, slug), {"internal_note": "", **data})

    expected = codes[IDEA_ROLES.index(role)]
    assert outcome(response) == expected
    if expected == 302:
        assert response.headers["Location"].split("#")[0] == review_url(idea)
    if expected == 302 and changes:
        assert the_money_state(accounted) != before
        assert len(mail.outbox) == 1  # to the submitter
    else:
        assert the_money_state(accounted) == before
        assert mail.outbox == []


def section(html: str, title_id: str) -> str:
    """The <section> of the page labelled by the heading with ``title_id``."""
    match = re.search(rf'<section[^>]*aria-labelledby="{title_id}".*?</section>', html, re.S)
    assert match, f"no section {title_id}"
    return match.group(0)


def test_the_review_page_shows_the_verantwoording_apart_from_the_ideas_own_files(
    client, accounted, people, english
):
    idea = accounted["ideas"]["accounted"]
    Attachment.objects.create(
        idea=idea,
        file="ideas/x/offerte.pdf",
        original_name="offerte-bouwmarkt.pdf",
        file_kind="pdf",
        content_type="application/pdf",
        size=100,
    )
    receipt_file = idea.attachments.get(purpose=Attachment.Purpose.RECEIPT)
    result_photo = idea.attachments.get(purpose=Attachment.Purpose.RESULT)
    client.force_login(people["users"]["wijkteam_a"])
    html = client.get(review_url(idea)).content.decode()

    shown = section(html, "accounting-title")
    for text in (
        "Sent to the wijkteam",
        "690,00",  # what it really cost
        "zestig buren kwamen",  # how it went
        "Yes, the submitter agreed",  # the photos may be public
        f'href="{receipt_file.get_absolute_url()}"',
        "bon.pdf",
        f'href="{result_photo.get_absolute_url()}"',
        "buurtfeest.png",
        "750,00",  # granted
        "60,00",  # what goes back with the reported costs
    ):
        assert text in shown, text
    assert "offerte-bouwmarkt.pdf" not in shown
    own = section(html, "files-title")
    assert "offerte-bouwmarkt.pdf" in own
    assert "bon.pdf" not in own and "buurtfeest.png" not in own
    # The links open for the team (through the view that checks), not for another resident.
    assert client.get(receipt_file.get_absolute_url()).status_code == 200
    client.force_login(people["users"]["resident"])
    assert client.get(receipt_file.get_absolute_url()).status_code == 404


def test_the_review_page_says_the_idea_waits_for_the_verantwoording(
    client, accounted, people, english
):
    idea = accounted["ideas"]["realised"]
    client.force_login(people["users"]["wijkteam_a"])
    html = client.get(review_url(idea)).content.decode()
    assert "The idea waits for the verantwoording of the submitter" in html
    assert "The submitter has not sent it yet" in section(html, "accounting-title")


def test_the_review_page_offers_the_verantwoording_steps_once_it_is_sent(client, accounted, people):
    client.force_login(people["users"]["gebiedsregisseur"])
    for name, slugs in {
        "accounted": {"afronden", "verantwoording-terugsturen"},
        "realised": set(),
    }.items():
        idea = accounted["ideas"][name]
        html = client.get(review_url(idea)).content.decode()
        offered = set(re.findall(rf'href="/werkvoorraad/{idea.public_id}/([a-z-]+)/"', html))
        offered.discard("afdrukken")  # the print view: no step
        assert offered == slugs, name


def test_the_queue_shows_a_sent_verantwoording_as_waiting_for_the_team(
    client, accounted, people, english
):
    ideas = accounted["ideas"]
    client.force_login(people["users"]["wijkteam_a"])
    html = client.get("/werkvoorraad/").content.decode()
    assert "Verantwoording sent: to sign off" in row_of(html, ideas["accounted"])
    assert "Waiting for the verantwoording" in row_of(html, ideas["realised"])
    assert "1 verantwoording waits for the wijkteam to sign it off." in html
    assert 'href="?status=verantwoording"' in html
    response = client.get("/werkvoorraad/", {"status": "verantwoording"})
    assert listed(response) == ids(ideas["accounted"])
    # Once it is signed off, the idea has left the werkvoorraad.
    services.sign_off_accounting(ideas["accounted"], actor=people["users"]["wijkteam_a"])
    assert ids(ideas["accounted"]).isdisjoint(listed(client.get("/werkvoorraad/?status=open")))
    assert listed(client.get("/werkvoorraad/", {"status": "verantwoording"})) == set()


def test_the_sign_off_page_offers_the_reported_costs_and_says_what_goes_back(
    client, accounted, people, english
):
    StandardText.objects.create(use=StandardText.Use.OTHER, title="Bedankt", text="Dank!")
    StandardText.objects.create(use=StandardText.Use.APPROVAL, title="Akkoord", text="Prima.")
    client.force_login(people["users"]["wijkteam_a"])
    html = client.get(action_url(accounted["ideas"]["accounted"], "afronden")).content.decode()
    field = tag_with_attribute(html, "name", "accepted_cost")
    assert field and 'value="690,00"' in field, field
    text = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", html)))
    assert re.search(r"€\s60,00 goes back to the bewonersbudget of Krakeel", text), text
    assert "The idea gets the status ‘completed’" in text
    assert "asked how satisfied they are" in text
    assert "Bedankt" in html and "Akkoord" not in html  # standard texts of other steps only


@pytest.mark.parametrize(
    "typed, error",
    [
        ("690,01", "You cannot accept more"),
        ("1.000", "You cannot accept more"),
        ("-5", "Fill in an amount of 0 or more."),
        ("veel", "Fill in an amount in euros"),
        ("", "Fill in the costs you accept."),
    ],
)
def test_signing_off_wrong_costs_is_refused_next_to_the_field(
    client, post, accounted, people, english, typed, error
):
    idea = accounted["ideas"]["accounted"]
    before = the_money_state(accounted)
    client.force_login(people["users"]["wijkteam_a"])
    response = post(action_url(idea, "afronden"), {"accepted_cost": typed, "public_text": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert_error_next_to(html, "id_accepted_cost", error)
    assert "<title>Error: " in html
    assert the_money_state(accounted) == before
    assert mail.outbox == []


def test_signing_off_books_the_costs_returns_the_rest_and_completes_the_idea(
    client, post, accounted, people, owner, english
):
    idea = accounted["ideas"]["accounted"]
    available = Budget.objects.get(pk=accounted["budget"].pk).available
    client.force_login(people["users"]["gebiedsregisseur"])
    response = post(
        action_url(idea, "afronden"),
        {"accepted_cost": "650", "public_text": "Dank voor het mooie feest.", "internal_note": ""},
    )
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).status == Status.AFGEROND
    grant = Grant.objects.get(idea=idea)
    assert (grant.state, grant.spent) == (Grant.State.SETTLED, Decimal("650.00"))
    assert [p.amount for p in Payment.objects.filter(grant=grant)] == [Decimal("650.00")]
    assert Budget.objects.get(pk=accounted["budget"].pk).available == available + Decimal("100")
    (sent,) = mail.outbox
    assert sent.to == ["olga.prive@example.org"]
    assert "Dank voor het mooie feest." in sent.body and "/tevredenheid/" in sent.body

    html = client.get(review_url(idea)).content.decode()
    shown = section(html, "accounting-title")
    assert "Signed off" in shown and "650,00" in shown and "100,00 went back" in shown
    assert "The verantwoording is signed off and the idea is completed." in html
    assert client.get(action_url(idea, "afronden")).status_code == 404


def test_sending_back_needs_a_question_and_reaches_the_submitter(
    client, post, accounted, people, english
):
    idea = accounted["ideas"]["accounted"]
    before = the_money_state(accounted)
    client.force_login(people["users"]["wijkteam_a"])
    for question in ("", "  "):
        response = post(action_url(idea, "verantwoording-terugsturen"), {"question": question})
        assert response.status_code == 200
        assert_error_next_to(
            response.content.decode(),
            "id_question",
            "Write what the submitter should change or add.",
        )
    assert the_money_state(accounted) == before
    assert mail.outbox == []

    response = post(action_url(idea, "verantwoording-terugsturen"), SEND_BACK)
    assert response.status_code == 302
    assert Accounting.objects.get(idea=idea).state == Accounting.State.OPEN
    assert Idea.objects.get(pk=idea.pk).status == Status.GEREALISEERD
    (sent,) = mail.outbox
    assert sent.to == ["olga.prive@example.org"] and SEND_BACK["question"] in sent.body


@pytest.mark.parametrize(
    "params", [{}, {"status": "verantwoording"}, {"status": "gerealiseerd", "kind": "korte_klap"}]
)
def test_the_queue_needs_the_same_queries_with_2_or_200_verantwoordingen(
    client, people, params, english, django_assert_max_num_queries, django_assert_num_queries
):
    krakeel = people["krakeel"]
    client.force_login(people["users"]["wijkteam_a"])

    def realised(count, first_number, state):
        ideas = bulk_published(
            count, krakeel, first_number=first_number, status=Status.GEREALISEERD
        )
        Accounting.objects.bulk_create(
            Accounting(idea=idea, state=state, actual_cost=Decimal("90.00"), story="Goed gegaan.")
            for idea in ideas
        )

    realised(2, 1, Accounting.State.SENT)
    client.get("/werkvoorraad/")  # the session is read once
    with django_assert_max_num_queries(15) as few:
        response = client.get("/werkvoorraad/", params)
    assert len(listed(response)) == 2

    realised(100, 3, Accounting.State.SENT)
    realised(50, 103, Accounting.State.OPEN)
    bulk_published(48, krakeel, first_number=153, status=Status.IN_BEHANDELING)
    with django_assert_num_queries(len(few)):
        response = client.get("/werkvoorraad/", params)
    assert len(listed(response)) == 20  # one page
    html = response.content.decode()
    assert "102 verantwoordingen wait for the wijkteam to sign them off." in html


def test_the_review_page_of_a_verantwoording_needs_the_same_queries_for_2_or_200_files(
    client, accounted, people, django_assert_max_num_queries, django_assert_num_queries
):
    idea = accounted["ideas"]["accounted"]
    member = people["users"]["wijkteam_a"]

    def add(count: int, start: int = 0):
        Attachment.objects.bulk_create(
            Attachment(
                idea=idea,
                purpose=purpose,
                file=f"ideas/x/{purpose}-{n}.pdf",
                original_name=f"{purpose}-{n}.pdf",
                file_kind="pdf" if purpose != Attachment.Purpose.RESULT else "photo",
                content_type="application/pdf",
                size=100,
            )
            for n in range(start, start + count)
            for purpose in Attachment.Purpose.values
        )
        StatusChange.objects.bulk_create(
            StatusChange(
                idea=idea,
                from_status=Status.GEREALISEERD,
                to_status=Status.GEREALISEERD,
                actor=member,
                public_text=f"Stap {n}",
            )
            for n in range(start, start + count)
        )

    add(2)
    client.force_login(member)
    client.get(review_url(idea))
    with django_assert_max_num_queries(30) as few:
        response = client.get(review_url(idea))
    assert response.status_code == 200

    add(198, start=2)
    bulk_published(198, people["krakeel"], first_number=900, status=Status.GEREALISEERD)
    with django_assert_num_queries(len(few)):
        response = client.get(review_url(idea))
    html = response.content.decode()
    for name in ("idee-199.pdf", "bon-199.pdf", "resultaat-199.pdf"):
        assert name in html
    assert "idee-199.pdf" not in section(html, "accounting-title")
    assert "bon-199.pdf" not in section(html, "files-title")


def test_a_verantwoording_step_that_no_longer_fits_says_why(client, accounted, people, english):
    """Two tabs: one reviewer sent the verantwoording back, the other still signs it off."""
    idea = accounted["ideas"]["accounted"]
    client.force_login(people["users"]["wijkteam_a"])
    services.return_accounting(idea, actor=people["users"]["gebiedsregisseur"], question="Bon?")
    before = the_money_state(accounted)
    response = client.post(action_url(idea, "afronden"), SIGN_OFF, follow=True)
    assert response.status_code == 200
    assert "the verantwoording does not wait for the wijkteam" in response.content.decode()
    assert the_money_state(accounted) == before


def test_the_verantwoording_confirm_pages_need_few_queries(
    client, accounted, people, django_assert_max_num_queries
):
    client.force_login(people["users"]["wijkteam_a"])
    for _ in range(5):
        StandardText.objects.create(use=StandardText.Use.OTHER, title="T", text="Tekst")
    for slug in ("afronden", "verantwoording-terugsturen"):
        with django_assert_max_num_queries(20):
            response = client.get(action_url(accounted["ideas"]["accounted"], slug))
        assert response.status_code == 200


def test_the_werkvoorraad_writes_the_decision_date_in_dutch(client, world, people):
    """ "Besluit uiterlijk: 16 december 2026", never "16 Dec 2026"."""
    idea = world["ideas"]["new"]
    due = timezone.localdate().replace(month=12, day=16)
    Idea.objects.filter(pk=idea.pk).update(decision_due=due)
    client.force_login(people["users"]["wijkteam_a"])
    html = client.get(reverse("ideas:review-queue")).content.decode()
    assert_no_english_month(html)
    assert in_dutch(due) in html_lib.unescape(row_of(html, idea))


def add_newcomer(people):
    """Noor Nieuwkomer joins the wijkteam of Krakeel with an account."""
    return team_services.add_team_member(
        people["team_a"],
        name="Noor Nieuwkomer",
        organisation=Organisation.objects.first(),
        function="Buurtwerker",
        user=UserFactory(first_name="Noor", last_name="Nieuwkomer"),
    )


def test_review_forms_drawn_once_show_every_change_of_what_they_show(client, people):
    """The review page's forms are drawn once per way they look (smederijen/templatetags/nlds.py,
    keep_for_form): a renamed condition, a new check ("last checked by") and a new team member
    show at once, and a form with errors keeps what was typed."""
    krakeel, member = people["krakeel"], people["users"]["wijkteam_a"]
    idea = move(submitted_idea(smederij=krakeel, **CONTACT), Status.IN_BEHANDELING, actor=member)
    condition = ConditionFactory(title="Het idee is binnen een jaar klaar")
    client.force_login(member)
    assert "Het idee is binnen een jaar klaar" in client.get(review_url(idea)).content.decode()

    condition.title = "Het idee is binnen twee jaar klaar"
    condition.save()
    html = client.get(review_url(idea)).content.decode()
    assert "Het idee is binnen twee jaar klaar" in html
    assert "binnen een jaar" not in html
    assert "Nog niet gecontroleerd." in html

    services.check_condition(idea, condition, actor=member, verdict="voldoet")
    html = client.get(review_url(idea)).content.decode()
    assert f"Voor het laatst gecontroleerd door {member.get_full_name()}" in html
    chosen = re.search(rf'<input[^>]*name="verdict_{condition.pk}"[^>]*value="voldoet"[^>]*>', html)
    assert "checked" in chosen.group(0)

    add_newcomer(people)
    assert "Noor Nieuwkomer" in client.get(review_url(idea)).content.decode()

    response = client.post(review_url(idea), {"add_note": "1", "note": "   "})
    assert response.status_code == 200
    assert_error_next_to(response.content.decode(), "id_note", "Schrijf de notitie.")


def test_the_people_to_choose_from_are_kept_by_version_and_a_new_member_shows_at_once(
    client, people, settings, django_capture_on_commit_callbacks
):
    """The behandelaar boxes of the review page and the werkvoorraad read the people acting for
    the areas once per version of the teams (smederijen/parts.py); each box keeps its own first
    line, and a new team member is a choice at once."""
    settings.PART_SECONDS = 300
    parts.forget_all()
    krakeel, member = people["krakeel"], people["users"]["wijkteam_a"]
    idea = move(submitted_idea(smederij=krakeel, **CONTACT), Status.IN_BEHANDELING, actor=member)
    client.force_login(member)
    queue = client.get(reverse("ideas:review-queue")).content.decode()
    page = client.get(review_url(idea)).content.decode()
    assert '<option value="" selected>Nog niemand</option>' in page
    assert "Nog niemand" not in queue.split('id="assign-many"')[1]
    assert member.get_full_name() in page

    with django_capture_on_commit_callbacks(execute=True):
        add_newcomer(people)
    assert "Noor Nieuwkomer" in client.get(review_url(idea)).content.decode()
    queue = client.get(reverse("ideas:review-queue")).content.decode()
    assert "Noor Nieuwkomer" in queue.split('id="assign-many"')[1]
    parts.forget_all()


def test_the_werkvoorraads_counts_kept_by_version_follow_every_change_at_once(
    client, people, settings, django_capture_on_commit_callbacks
):
    """The counts per status, "assigned to me" and the number of ideas listed are read once per
    version of the ideas (smederijen/parts.py): taking an idea up and assigning one show at
    once; another person gets their own "assigned to me"."""
    settings.PART_SECONDS = 300
    parts.forget_all()
    krakeel, member = people["krakeel"], people["users"]["wijkteam_a"]
    regisseur = people["users"]["gebiedsregisseur"]
    with django_capture_on_commit_callbacks(execute=True):
        ideas = [submitted_idea(smederij=krakeel, **CONTACT) for _ in range(3)]

    def counts(user, **query):
        client.force_login(user)
        response = client.get(reverse("ideas:review-queue"), query)
        shown = {row["status"]: row["count"] for row in response.context["status_counts"]}
        return shown, response.context["mine"], response.context["page"].paginator.count

    shown, mine, listed = counts(member)
    assert (shown[Status.INGEDIEND], shown[Status.IN_BEHANDELING], mine, listed) == (3, 0, 0, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.take_up(ideas[0], actor=member)
    shown, mine, listed = counts(member)
    assert (shown[Status.INGEDIEND], shown[Status.IN_BEHANDELING], listed) == (2, 1, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(ideas[1], actor=regisseur, behandelaar=member)
    assert counts(member)[1] == 1
    assert counts(member, behandelaar="mij")[2] == 1
    assert counts(regisseur)[1] == 0
    assert counts(member, status="in_behandeling")[2] == 1
    parts.forget_all()


def test_the_review_pages_kept_parts_follow_every_change_at_once(
    client, people, settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """What the review page shows the same to all of the area's staff (the history, the notes,
    the earlier choices of a behandelaar, the content with its begroting, the support) is kept
    by the version of the staff pages (smederijen/parts.py): a note, a choice, a new budget line
    and a confirmed support show at once, for every member; what is personal (the steps, "I
    will handle it") is made for each of them. Kept, the page reads none of those rows."""
    settings.PART_SECONDS = 300
    parts.forget_all()
    krakeel, member = people["krakeel"], people["users"]["wijkteam_a"]
    regisseur = people["users"]["gebiedsregisseur"]
    with django_capture_on_commit_callbacks(execute=True):
        idea = submitted_idea(smederij=krakeel, **CONTACT)
        move(idea, Status.IN_BEHANDELING, actor=member)
    client.force_login(member)

    def page():
        return html_lib.unescape(client.get(review_url(idea)).content.decode())

    assert "Buren bellen over de plek" not in page()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_review_note(idea, actor=member, text="Buren bellen over de plek")
    assert "Buren bellen over de plek" in page()
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(idea, actor=regisseur, behandelaar=member)
    assert "gekozen door Jan Bouwmeester" in page()
    with django_capture_on_commit_callbacks(execute=True):
        BudgetLine.objects.create(idea=idea, item="Zand voor de zandbak", amount=Decimal("85"))
    assert "Zand voor de zandbak" in page()
    with django_capture_on_commit_callbacks(execute=True):
        Support.objects.create(
            idea=idea,
            name="Kees",
            email="kees@example.org",
            street="Zandstraat",
            smederij=krakeel,
            confirmed_at=timezone.now(),
        )
    assert "Zandstraat" in page()
    with django_assert_max_num_queries(7):  # kept: none of the timeline, support or files
        client.get(review_url(idea))

    # The regisseur sees the same parts, and his own "I will handle it" (the member has it).
    client.force_login(regisseur)
    shown = page()
    assert "Buren bellen over de plek" in shown and "Zand voor de zandbak" in shown
    assert "Ik behandel het" in shown
    client.force_login(member)
    assert "Ik behandel het" not in page()
    parts.forget_all()


def test_the_werkvoorraads_table_is_kept_by_version_and_follows_every_change_at_once(
    client, people, settings, django_capture_on_commit_callbacks
):
    """The table of the werkvoorraad is made once per version of the ideas and the staff pages,
    for the areas and the filters chosen (smederijen/parts.py): kept, the page reads no idea. A
    new idea and a new behandelaar show at once; a member of another area never gets the table;
    "assigned to me" is each person's own."""
    settings.PART_SECONDS = 300
    parts.forget_all()
    krakeel, member = people["krakeel"], people["users"]["wijkteam_a"]
    regisseur = people["users"]["gebiedsregisseur"]
    client.force_login(member)

    def table(params="") -> str:
        return html_lib.unescape(client.get(f"/werkvoorraad/{params}").content.decode())

    assert "Zandbak op het plein" not in table()
    with django_capture_on_commit_callbacks(execute=True):
        idea = submitted_idea(smederij=krakeel, title="Zandbak op het plein")
    assert "Zandbak op het plein" in table()
    with CaptureQueriesContext(connection) as kept:
        client.get("/werkvoorraad/")
    assert not any("ideas_idea" in query["sql"] for query in kept), kept.captured_queries
    assert "Zandbak op het plein" not in table("?behandelaar=mij")
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(idea, actor=regisseur, behandelaar=member)
    assert "Zandbak op het plein" in table("?behandelaar=mij")
    assert "Sanne Jonker" in row_of(table(), idea)
    client.force_login(regisseur)
    assert "Zandbak op het plein" in table()
    assert "Zandbak op het plein" not in table("?behandelaar=mij")
    client.force_login(people["users"]["wijkteam_b"])
    assert "Zandbak op het plein" not in table() and "Zandbak op het plein" not in table(
        "?status=open"
    )
    parts.forget_all()


def test_the_review_pages_kept_content_gives_each_person_their_own_steps_token_and_errors(
    world, people, settings
):
    """The review page's content is kept by the version of the staff pages and what it shows of
    who looks (the steps, "I will handle it", the budget link): each person gets their own, and
    a token that works for their own session only; a form posted with errors shows what was
    typed to that person only."""
    settings.PART_SECONDS = 300
    parts.forget_all()
    idea, condition = world["ideas"]["taken"], world["condition"]
    url = review_url(idea)
    clients = {}
    services.assign(
        idea, actor=people["users"]["gebiedsregisseur"], behandelaar=people["users"]["wijkteam_a"]
    )
    for name in ("wijkteam_a", "gebiedsregisseur"):
        clients[name] = Client(enforce_csrf_checks=True)
        clients[name].force_login(people["users"][name])
    pages = {name: c.get(url).content.decode() for name, c in clients.items()}
    again = {name: c.get(url).content.decode() for name, c in clients.items()}
    for name, page in pages.items():
        steps = set(re.findall(rf'href="/werkvoorraad/{idea.public_id}/([a-z-]+)/"', page))
        kept_steps = set(
            re.findall(rf'href="/werkvoorraad/{idea.public_id}/([a-z-]+)/"', again[name])
        )
        assert steps == kept_steps, name
        assert "__smederijen_part_token__" not in page + again[name]
    assert ("Ik behandel het" in pages["gebiedsregisseur"]) != (
        "Ik behandel het" in pages["wijkteam_a"]
    )
    # Each token is the person's own: a note posted with it is saved.
    for name, c in clients.items():
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', again[name]).group(1)
        note = f"Notitie van {name}"
        response = c.post(url, {"add_note": "1", "note": note, "csrfmiddlewaretoken": token})
        assert response.status_code == 302, name
        assert ReviewNote.objects.filter(idea=idea, text=note).exists()
    # A checklist posted with errors: what was typed, for that person only.
    member = clients["wijkteam_a"]
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', member.get(url).content.decode()
    )
    typed = {
        f"verdict_{condition.pk}": "",
        f"remark_{condition.pk}": "Twijfel over de plek",
        "save_checklist": "1",
        "csrfmiddlewaretoken": token.group(1),
    }
    assert "Twijfel over de plek" in member.post(url, typed).content.decode()
    assert "Twijfel over de plek" not in clients["gebiedsregisseur"].get(url).content.decode()
    assert "Twijfel over de plek" not in member.get(url).content.decode()
    parts.forget_all()
