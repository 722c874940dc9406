"""Who may open which ideas page and do which action: every role against every page, as a table.

Values: a status code, or LOGIN when the visitor is sent to the sign-in page first. The ideas are
Olga's (the "owner" column): a published one, a sent one that is not published (with a private
file) and a concept, all in Krakeel (area A). Pages a visitor may not know exist answer 404.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets import services as budget_services
from ideas import services
from ideas.models import Attachment, Idea, InventoryRemark
from ideas.uploads import check_upload
from ideas.workflow import Status
from tests.budgets.conftest import THIS_YEAR
from tests.ideas.conftest import step_url
from tests.ideas.factories import IdeaFactory, published_idea
from tests.ideas.test_uploads import PDF, upload_file
from tests.teams.conftest import ROLES

pytestmark = pytest.mark.django_db

LOGIN = "login"
IDEA_ROLES = ["owner", *ROLES]
ALL_200 = [200] * 10
OWNER_ONLY = [200] + [404] * 9
SIGNED_IN = [200, LOGIN] + [200] * 8
OWNER_SIGNED_IN = [200, LOGIN] + [404] * 8
# The initiatiefgroep of Krakeel and the staff of Krakeel (its team, its regisseur, the office).
INVENTORY = [403, LOGIN, 403, 200, 200, 403, 403, 200, 200, 200]
PRIVATE_FILE = [200, 404, 404, 200, 200, 404, 404, 200, 200, 200]
# A receipt of the verantwoording: Olga and the staff of Krakeel, not the initiatiefgroep.
RECEIPT = [200, 404, 404, 404, 200, 404, 404, 200, 200, 200]
# Who acts for an area (a team, a regisseur; a superuser every area) plans a wijkoverleg.
PLANS_OVERLEG = [403, LOGIN, 403, 403, 200, 200, 403, 200, 403, 200]
# Krakeel's overleg: its initiatiefgroep, its team and regisseur, support staff, superusers.
SEES_OVERLEG = [404, LOGIN, 404, 200, 200, 404, 404, 200, 200, 200]
# Who may see the contact details of Olga's idea: herself and the staff of Krakeel.
SEES_CONTACT = {"owner", "wijkteam_a", "gebiedsregisseur", "ondersteuning", "superuser"}

CONTACT = {
    "contact_name": "Olga Eigenaar",
    "contact_email": "olga.prive@example.org",
    "contact_phone": "06 55544433",
    "contact_address": "Geheimstraat 9, Hoogeveen",
    "name_is_public": False,
}

#      owner, anonymous, resident, ig member, team A, team B, stuurgroep, regisseur, onderst., super
PAGES = [
    ("public list", "/ideeen/", ALL_200),
    ("public detail", "{published}", ALL_200),
    ("detail of an unpublished idea", "{sent_detail}", [404] * 10),
    ("search", "/zoeken/?q=picknicktafels", ALL_200),
    ("conditions", "/ideeen/voorwaarden/", ALL_200),
    ("start an idea", "/idee-indienen/", ALL_200),
    ("a step of the concept", "{concept_step}", OWNER_ONLY),
    ("the check step of the concept", "{concept_review}", OWNER_ONLY),
    ("delete the concept", "{concept_delete}", OWNER_ONLY),
    ("my ideas", "/account/mijn-ideeen/", SIGNED_IN),
    ("my idea", "{my_idea}", OWNER_SIGNED_IN),
    ("withdraw (the page)", "{withdraw}", OWNER_SIGNED_IN),
    ("private file", "{attachment}", PRIVATE_FILE),
    ("verantwoording of a realised idea", "{accounting}", OWNER_SIGNED_IN),
    ("receipt with the verantwoording", "{receipt}", RECEIPT),
    ("inventory of the group", "/initiatiefgroepen/initiatiefgroep-krakeel/ideeen/", INVENTORY),
    ("inventory of an idea", "{inventory}", INVENTORY),
    ("inventory of a concept", "{concept_inventory}", [404, LOGIN] + [404] * 8),
    # Het wijkoverleg of Krakeel, with Olga's sent idea on its agenda.
    ("wijkoverleg list", "/wijkoverleg/", SIGNED_IN),
    ("plan a wijkoverleg", "/wijkoverleg/plannen/", PLANS_OVERLEG),
    ("wijkoverleg of Krakeel", "{overleg}", SEES_OVERLEG),
    ("its calendar file", "{overleg_ics}", SEES_OVERLEG),
]

IDEA_STEP = {
    "title": "Anders",
    "summary": "Een ander plan.",
    "description": "Heel anders.",
    "notions": ["ontmoeten"],
}
# POST actions: 302 means done (sent on), LOGIN means sent to sign in first.
ACTIONS = [
    ("withdraw", "{withdraw}", {"reason": "Toch niet."}, [302, LOGIN] + [404] * 8),
    (
        "add an inventory remark",
        "{inventory}",
        {"text": "Past goed bij de speeltuin."},
        [403, LOGIN, 403, 302, 403, 403, 403, 403, 403, 403],
    ),
    ("change a step of the concept", "{concept_idea_step}", IDEA_STEP, [302] + [404] * 9),
    (
        "a remark before the wijkoverleg",
        "{overleg}",
        {"remark": "1", "item": "{item}", "punt{item}-text": "Goed plan.", "punt{item}-advice": ""},
        [404, LOGIN, 404, 302, 403, 404, 404, 403, 403, 403],
    ),
    (
        "cancel the wijkoverleg",
        "{overleg}",
        {"cancel": "1", "confirmed": "1"},
        [404, LOGIN, 404, 403, 302, 404, 404, 302, 403, 302],
    ),
    (
        "add a topic to the wijkoverleg",
        "{overleg}",
        {"point": "1", "title": "Buurtfeest"},
        [404, LOGIN, 404, 403, 302, 404, 404, 302, 403, 302],
    ),
    ("delete the concept", "{concept_delete}", {}, [302] + [404] * 9),
    ("support an unpublished idea", "{sent_support}", {"name": "X"}, [404] * 10),
    (
        "save the verantwoording",
        "{accounting}",
        {"actual_cost": "690", "story": "Het is gelukt.", "save": ""},
        [302, LOGIN] + [404] * 8,
    ),
    (
        "send the verantwoording",
        "{accounting}",
        {"actual_cost": "690", "story": "Het is gelukt.", "send": ""},
        [302, LOGIN] + [404] * 8,
    ),
]


@pytest.fixture
def world(people, owner):
    krakeel = people["krakeel"]
    published = published_idea(
        smederij=krakeel,
        submitted_by=owner,
        publisher=people["users"]["gebiedsregisseur"],
        title="Picknicktafels bij de vijver",
        **CONTACT,
    )
    sent = IdeaFactory(smederij=krakeel, submitted_by=owner, title="Nieuwe lantaarns", **CONTACT)
    attachment = services.add_attachment(sent, check_upload(upload_file("offerte.pdf", PDF)))
    sent = services.submit_idea(sent, actor=owner)
    concept = IdeaFactory(smederij=krakeel, submitted_by=owner, title="Half plan", **CONTACT)
    realised = realised_idea(people, owner)
    receipt = services.add_accounting_file(
        realised,
        check_upload(upload_file("bon.pdf", PDF)),
        actor=owner,
        purpose=Attachment.Purpose.RECEIPT,
    )
    overleg = services.plan_overleg(
        actor=people["users"]["gebiedsregisseur"],
        smederijen=[krakeel],
        starts_at=timezone.now() + timedelta(days=7),
        ends_at=timezone.now() + timedelta(days=7, hours=2),
        place="Buurthuis De Kaap",
        ideas=[sent],
    )
    urls = {
        "overleg": reverse("ideas:overleg", args=[overleg.public_id]),
        "overleg_ics": reverse("ideas:overleg-ics", args=[overleg.public_id]),
        "item": str(overleg.items.get().pk),
        "published": published.get_absolute_url(),
        "sent_detail": reverse("ideas:idea-detail", args=[sent.reference]),
        "sent_support": reverse("ideas:idea-support", args=[sent.reference]),
        "concept_step": step_url(concept, "plek"),
        "concept_idea_step": step_url(concept, "idee"),
        "concept_review": step_url(concept, "versturen"),
        "concept_delete": reverse("ideas:concept-delete", args=[concept.public_id]),
        "concept_inventory": reverse("ideas:inventory-detail", args=[concept.public_id]),
        "my_idea": reverse("ideas:my-idea", args=[sent.public_id]),
        "withdraw": reverse("ideas:idea-withdraw", args=[sent.public_id]),
        "attachment": attachment.get_absolute_url(),
        "inventory": reverse("ideas:inventory-detail", args=[sent.public_id]),
        "accounting": reverse("ideas:accounting", args=[realised.public_id]),
        "receipt": receipt.get_absolute_url(),
    }
    return {"published": published, "sent": sent, "concept": concept, "urls": urls}


def realised_idea(people, owner) -> Idea:
    """Olga's korte-klap idea, granted from Krakeel's budget and carried out (the team's steps)."""
    team = people["users"]["wijkteam_a"]
    budget_services.open_budget(
        people["krakeel"], THIS_YEAR, "1000.00", actor=people["users"]["gebiedsregisseur"]
    )
    idea = services.submit_idea(
        IdeaFactory(smederij=people["krakeel"], submitted_by=owner, title="Bankjes", **CONTACT),
        actor=owner,
    )
    idea = services.approve(services.take_up(idea, actor=team), actor=team)
    services.grant(idea, "750.00", actor=team)
    idea = services.start_execution(idea, actor=team)
    return services.mark_realised(idea, actor=team)


def sign_in(client, people, owner, role):
    user = owner if role == "owner" else people["users"][role]
    if user is not None:
        client.force_login(user)


def outcome(response):
    if response.status_code == 302 and response.headers["Location"].startswith("/account/login/"):
        return LOGIN
    return response.status_code


def assert_no_contact_details(response, role):
    if role in SEES_CONTACT or response.status_code != 200 or response.streaming:
        return
    html = response.content.decode()
    for value in ("olga.prive@example.org", "06 55544433", "Geheimstraat 9", "olga@example.org"):
        assert value not in html, (role, value)


@pytest.mark.parametrize("role", IDEA_ROLES)
@pytest.mark.parametrize("url, expected", [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_role_opens_idea_page(client, people, owner, world, role, url, expected):
    sign_in(client, people, owner, role)
    response = client.get(url.format(**world["urls"]))
    assert outcome(response) == expected[IDEA_ROLES.index(role)]
    assert_no_contact_details(response, role)


@pytest.mark.parametrize("role", IDEA_ROLES)
@pytest.mark.parametrize(
    "url, data, expected", [a[1:] for a in ACTIONS], ids=[f"POST {a[0]}" for a in ACTIONS]
)
def test_role_does_idea_action(client, people, owner, world, role, url, data, expected):
    sign_in(client, people, owner, role)
    urls = world["urls"]
    data = {
        key.format(**urls): value.format(**urls) if isinstance(value, str) else value
        for key, value in data.items()
    }
    response = client.post(url.format(**urls), {**data, "next": ""})
    assert outcome(response) == expected[IDEA_ROLES.index(role)]
    assert_no_contact_details(response, role)


@pytest.mark.parametrize("role", IDEA_ROLES)
def test_refused_actions_change_nothing(client, people, owner, world, role):
    sign_in(client, people, owner, role)
    urls = world["urls"]
    for url, data in [
        (urls["withdraw"], {"reason": "Toch niet."}),
        (urls["inventory"], {"text": "Opmerking"}),
        (urls["concept_idea_step"], {**IDEA_STEP, "next": ""}),
        (urls["concept_delete"], {}),
    ]:
        client.post(url, data)

    sent = Idea.objects.get(pk=world["sent"].pk)
    assert (sent.status == Status.INGETROKKEN) is (role == "owner")
    assert InventoryRemark.objects.exists() is (role == "initiatiefgroep_member")
    concept = Idea.objects.filter(pk=world["concept"].pk).first()
    if role == "owner":
        assert concept is None  # changed, then deleted
    else:
        assert concept.title == "Half plan"
