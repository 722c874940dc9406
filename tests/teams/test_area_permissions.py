"""One rule, held everywhere: a gebiedsregisseur sees the personal data and money of his own areas;
support staff and superusers see all (teams.permissions.visible_area_ids).

The permission table of area data: every role against the admin pages (list, change, history,
delete, export) of every model that holds an area's personal data or money, the files and the
portal pages, for the data of Krakeel (area A). Where a role may not see area A, nothing of it is
in the answer: no name, e-mail address, title or amount.

Values: a status code, or LOGIN when the visitor is sent to the sign-in page first. Admin pages
that a signed-in user without admin access asks for end in 403 (the portal's sign-in guards
admin); a row of another area answers 403 on its own admin pages and is left out of lists,
exports and lookups.

The stuurgroep's models (meetings, positions, assessments, decisions) and the teams are
programme-wide and not in this table: see tests/teams/test_stuurgroep_admin.py.
"""

import io
import json
from decimal import Decimal

import pytest
import tablib
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from budgets import services as budget_services
from budgets.models import Grant
from ideas import services
from ideas.models import Attachment
from ideas.uploads import check_upload
from ideas.workflow import Status
from smederijen.models import AuditEvent
from teams import permissions
from tests.budgets.conftest import THIS_YEAR, lange_klap_plan
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory
from tests.ideas.test_uploads import PDF, upload_file
from tests.teams.conftest import with_second_factor
from tests.teams.test_permissions import LOGIN, outcome

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "wijkteam_a",
    "regisseur_a",
    "regisseur_b",
    "ondersteuning",
    "superuser",
]
# Who may see the personal data and money of Krakeel (area A).
SEES_A = {"wijkteam_a", "regisseur_a", "ondersteuning", "superuser"}

# What of Krakeel must never reach someone who may not see it.
SECRETS = [
    "Vlasblom",  # the submitter's name and address, the paper list's note, the funding source
    "berend.vlasblom@example.org",
    "Jeu-de-boules",  # the idea's title
    "4.321,09",  # the opening amount of Krakeel's budget (its ledger)
    "3.086,53",  # what is available in it
    "1.234,56",  # the grant
    "7.654,32",  # the funding source
    "el Amrani",  # a member of the initiatiefgroep
]

#                  anonymous, resident, team A, regisseur A, regisseur B, ondersteuning, super
ADMIN_A = [LOGIN, 403, 403, 200, 403, 200, 200]  # a row of area A: its own pages
ADMIN_LIST = [LOGIN, 403, 403, 200, 200, 200, 200]  # a list: area A's rows left out for B
SUPERUSER_DELETES = [LOGIN, 403, 403, 403, 403, 403, 200]
AUDIT_A = [LOGIN, 403, 403, 200, 403, 403, 200]  # the trail: regisseurs and superusers
AUDIT_LIST = [LOGIN, 403, 403, 200, 200, 403, 200]
FILE_A = [404, 404, 200, 200, 404, 200, 200]  # files answer "not found" to who may not see
PORTAL_A = [LOGIN, 403, 200, 200, 403, 200, 200]
REVIEW_A = [LOGIN, 404, 200, 200, 404, 404, 200]  # the wijkteam's page: who acts for the area
MEMBERS_PAGE = [200] * 7  # public; the names on it for the area's staff only

# (name, url, expected per role, what the page shows to who may see it)
PAGES = [
    ("ideas list", "/beheer/ideas/idea/", ADMIN_LIST, "Jeu-de-boules"),
    ("idea change", "/beheer/ideas/idea/{idea}/change/", ADMIN_A, "berend.vlasblom@example.org"),
    ("idea history", "/beheer/ideas/idea/{idea}/history/", ADMIN_A, "Jeu-de-boules"),
    ("idea delete", "/beheer/ideas/idea/{idea}/delete/", SUPERUSER_DELETES, "Jeu-de-boules"),
    ("ideas search", "/beheer/ideas/idea/?q=boules", ADMIN_LIST, "Jeu-de-boules"),
    ("budgets list", "/beheer/budgets/budget/", ADMIN_LIST, "Krakeel"),
    ("budget change", "/beheer/budgets/budget/{budget}/change/", ADMIN_A, "4.321,09"),
    ("budget history", "/beheer/budgets/budget/{budget}/history/", ADMIN_A, "Krakeel"),
    ("grants list", "/beheer/budgets/grant/", ADMIN_LIST, "1.234,56"),
    ("grant change", "/beheer/budgets/grant/{grant}/change/", ADMIN_A, "1.234,56"),
    ("grant history", "/beheer/budgets/grant/{grant}/history/", ADMIN_A, "Jeu-de-boules"),
    ("funding list", "/beheer/budgets/fundingsource/", ADMIN_LIST, "Fonds Vlasblom"),
    ("funding change", "/beheer/budgets/fundingsource/{source}/change/", ADMIN_A, "Fonds Vlasblom"),
    ("funding history", "/beheer/budgets/fundingsource/{source}/history/", ADMIN_A, "Vlasblom"),
    ("groups list", "/beheer/teams/initiatiefgroep/", ADMIN_LIST, "Initiatiefgroep Krakeel"),
    ("group change", "/beheer/teams/initiatiefgroep/{group}/change/", ADMIN_A, "el Amrani"),
    ("group history", "/beheer/teams/initiatiefgroep/{group}/history/", ADMIN_A, "Krakeel"),
    ("group delete", "/beheer/teams/initiatiefgroep/{group}/delete/", ADMIN_A, "el Amrani"),
    ("accounts list", "/beheer/teams/user/", ADMIN_LIST, "berend.vlasblom@example.org"),
    ("account change", "/beheer/teams/user/{berend}/change/", ADMIN_A, "Vlasblom"),
    ("account history", "/beheer/teams/user/{berend}/history/", ADMIN_A, "Vlasblom"),
    ("audit trail", "/beheer/smederijen/auditevent/", AUDIT_LIST, "Jeu-de-boules"),
    ("audit row", "/beheer/smederijen/auditevent/{event}/change/", AUDIT_A, "Jeu-de-boules"),
    ("attachment", "/bijlagen/{attachment}/", FILE_A, None),
    ("receipt", "/bijlagen/{receipt}/", FILE_A, None),
    ("paper list scan", "/bijlagen/papieren-lijst/{paper}/", FILE_A, None),
    ("inventory of the idea", "/inventaris/{idea_public_id}/", PORTAL_A, "Jeu-de-boules"),
    ("inventory list", "/initiatiefgroepen/initiatiefgroep-krakeel/ideeen/", PORTAL_A, "Jeu-de"),
    ("members", "/initiatiefgroepen/initiatiefgroep-krakeel/", MEMBERS_PAGE, "el Amrani"),
    ("budget page", "/budgetten/krakeel/{year}/", PORTAL_A, "4.321,09"),
    ("review page", "/werkvoorraad/{idea_public_id}/", REVIEW_A, "berend.vlasblom@example.org"),
]


@pytest.fixture
def area_a(people):
    """Krakeel (area A) with everything of an idea, its money and its files; Elim (area B) has
    its own gebiedsregisseur, Martin Peelen."""
    users = people["users"]
    regisseur_b = with_second_factor(
        UserFactory(first_name="Martin", last_name="Peelen", is_staff=True)
    )
    regisseur_b.groups.add(Group.objects.get(name=permissions.GEBIEDSREGISSEUR))
    people["elim"].gebiedsregisseur = regisseur_b
    people["elim"].save()
    roles = {
        "anonymous": None,
        "resident": users["resident"],
        "wijkteam_a": users["wijkteam_a"],
        "regisseur_a": users["gebiedsregisseur"],
        "regisseur_b": regisseur_b,
        "ondersteuning": users["ondersteuning"],
        "superuser": users["superuser"],
    }

    krakeel, regisseur, team = people["krakeel"], users["gebiedsregisseur"], users["wijkteam_a"]
    budget = budget_services.open_budget(krakeel, THIS_YEAR, "4321.09", actor=regisseur)
    budget_services.open_budget(people["elim"], THIS_YEAR, "500.00", actor=users["ondersteuning"])
    berend = UserFactory(
        first_name="Berend", last_name="Vlasblom", email="berend.vlasblom@example.org"
    )
    idea = IdeaFactory(
        smederij=krakeel,
        submitted_by=berend,
        title="Jeu-de-boulesbaan bij De Tamboer",
        contact_name="Berend Vlasblom",
        contact_email="berend.vlasblom@example.org",
        contact_address="Vlasblomstraat 4, Hoogeveen",
        amount_requested=Decimal("1234.56"),
        budget_lines=[("Baan en ballen", Decimal("1234.56"))],
    )
    attachment = services.add_attachment(idea, check_upload(upload_file("offerte.pdf", PDF)))
    idea = services.submit_idea(idea, actor=berend)
    paper = services.add_paper_list(
        idea, actor=team, count=12, note="Lijst Vlasblomstraat", scan=ContentFile(PDF)
    )
    idea = services.approve(services.take_up(idea, actor=team), actor=team)
    services.grant(idea, "1234.56", actor=team)
    idea = services.mark_realised(services.start_execution(idea, actor=team), actor=team)
    receipt = services.add_accounting_file(
        idea,
        check_upload(upload_file("bon.pdf", PDF)),
        actor=berend,
        purpose=Attachment.Purpose.RECEIPT,
    )
    plan = lange_klap_plan(
        krakeel,
        regisseur,
        lines=[("Speeltoestellen", Decimal("9000.00"))],
        title="Speeltuin aan het Vlasblomplein",
    )
    source = budget_services.save_funding_source(
        plan,
        actor=regisseur,
        kind="fonds",
        name="Fonds Vlasblom",
        amount="7654.32",
        status="gevraagd",
    )
    event = AuditEvent.objects.filter(
        smederij=krakeel, object_repr__contains="Jeu-de-boules"
    ).first()
    assert event is not None and idea.status == Status.GEREALISEERD
    ids = {
        "idea": idea.pk,
        "idea_public_id": idea.public_id,
        "budget": budget.pk,
        "grant": Grant.objects.get(idea=idea).pk,
        "source": source.pk,
        "group": people["group"].pk,
        "berend": berend.pk,
        "event": event.pk,
        "attachment": attachment.public_id,
        "receipt": receipt.public_id,
        "paper": paper.pk,
        "year": THIS_YEAR,
    }
    return {"roles": roles, "ids": ids, "idea": idea, "budget": budget}


def sign_in(client, area_a, role):
    user = area_a["roles"][role]
    if user is not None:
        client.force_login(user)
    return user


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode()


def assert_nothing_of_area_a(text: str, where) -> None:
    for secret in SECRETS:
        assert secret not in text, (where, secret)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url, expected, shown", [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_role_opens_page_with_area_data(client, area_a, role, url, expected, shown):
    sign_in(client, area_a, role)
    response = client.get(url.format(**area_a["ids"]))
    status = outcome(client, response)
    assert status == expected[ROLES.index(role)]
    text = body(response)
    if role in SEES_A:
        if status == 200 and shown:
            assert shown in text, (role, url)
    else:
        assert_nothing_of_area_a(text, (role, url))


# The admin's downloads: (the list, the action, the column holding what identifies a row of A).
EXPORTS = [
    ("/beheer/ideas/idea/", "idea", 0),
    ("/beheer/budgets/budget/", "budget", 0),
]


def export_rows(response, fmt: str) -> list:
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        return list(tablib.Dataset().load(text, format="csv", delimiter=";"))
    return list(tablib.Dataset().load(io.BytesIO(response.content).read(), format="xlsx"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("url, key, column", EXPORTS, ids=[e[1] for e in EXPORTS])
def test_the_exports_hold_area_a_only_for_who_may_see_it(
    client, area_a, role, fmt, url, key, column
):
    """Area A's row selected, or all rows ("select all"): the file holds it only for who may."""
    sign_in(client, area_a, role)
    identifies = {"idea": area_a["idea"].reference, "budget": "Krakeel"}[key]
    selected = {"action": f"export_{fmt}", "_selected_action": [area_a["ids"][key]]}
    for selection in (selected, {**selected, "select_across": "1"}):  # the row, or "all"
        response = client.post(url, selection)
        status = outcome(client, response)
        if role in ("anonymous",):
            assert status == LOGIN
            continue
        if role in ("resident", "wijkteam_a"):  # no admin access
            assert status == 403
            assert_nothing_of_area_a(response.content.decode(), role)
            continue
        assert status == 200 and response["Content-Disposition"].startswith("attachment")
        rows = export_rows(response, fmt)
        found = [row for row in rows if row[column] == identifies]
        assert bool(found) is (role in SEES_A), (role, selection)
        if role == "regisseur_b":
            assert all(
                str(value) not in ("Krakeel", area_a["idea"].reference)
                for row in rows
                for value in row
            )


def test_the_budgets_export_of_a_gebiedsregisseur_holds_his_areas_only(client, area_a):
    """The finding: "the budgets export in admin holds all ten areas"."""
    for role, areas in [
        ("regisseur_a", ["Krakeel"]),
        ("regisseur_b", ["Elim"]),
        ("ondersteuning", ["Elim", "Krakeel"]),
    ]:
        sign_in(client, area_a, role)
        response = client.post(
            "/beheer/budgets/budget/",
            {
                "action": "export_csv",
                "select_across": "1",
                "_selected_action": [area_a["ids"]["budget"]],
            },
        )
        assert sorted(row[0] for row in export_rows(response, "csv")) == areas, role


def test_lookups_and_filters_offer_only_his_areas(client, area_a, people):
    """The autocomplete of plans (on a funding source) and the area filter of the lists."""
    lookup = (
        "/beheer/autocomplete/?app_label=budgets&model_name=fundingsource&field_name=idea"
        "&term=Speeltuin"
    )
    for role, finds in [("regisseur_a", True), ("regisseur_b", False), ("ondersteuning", True)]:
        sign_in(client, area_a, role)
        results = json.loads(client.get(lookup).content)["results"]
        assert bool(results) is finds, role
        for url, path in [
            ("/beheer/ideas/idea/", "smederij"),
            ("/beheer/budgets/budget/", "smederij"),
            ("/beheer/budgets/grant/", "budget__smederij"),
            ("/beheer/budgets/fundingsource/", "idea__smederij"),
            ("/beheer/teams/initiatiefgroep/", "smederij"),
        ]:
            response = client.get(url)
            offered = {
                name
                for spec in response.context["cl"].filter_specs
                if getattr(spec, "field_path", None) == path
                for _pk, name in spec.lookup_choices
            }
            # (A filter with one area to choose is not shown at all.)
            if role == "ondersteuning":
                assert offered == {"Elim", "Krakeel"}, url
            else:
                other = "Elim" if role == "regisseur_a" else "Krakeel"
                assert other not in offered, (role, url)


def test_a_gebiedsregisseur_cannot_choose_another_area_in_a_form(client, area_a, people):
    """The area of an idea in admin: he may move it between his own areas only."""
    sign_in(client, area_a, "regisseur_a")
    response = client.get(f"/beheer/ideas/idea/{area_a['ids']['idea']}/change/")
    choices = {str(c[1]) for c in response.context["adminform"].form.fields["smederij"].choices}
    assert "Krakeel" in choices and "Elim" not in choices


def test_a_gebiedsregisseur_gives_himself_no_more_rights(client, area_a, people):
    """Admin access, roles and superuser rights decide what someone sees: a gebiedsregisseur
    cannot widen his own (or anyone's); support staff give roles; only a superuser makes one."""
    regisseur = area_a["roles"]["regisseur_a"]
    support = Group.objects.get(name=permissions.ONDERSTEUNING)
    url = f"/beheer/teams/user/{regisseur.pk}/change/"
    data = {
        "email": regisseur.email,
        "first_name": "Jan",
        "last_name": "Bouwmeester",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [support.pk],
        "date_joined_0": "2025-01-01",
        "date_joined_1": "10:00:00",
        "team_memberships-TOTAL_FORMS": "0",
        "team_memberships-INITIAL_FORMS": "0",
    }
    for role, superuser, in_support in [
        ("regisseur_a", False, False),
        ("ondersteuning", False, True),
        ("superuser", True, True),
    ]:
        sign_in(client, area_a, role)
        response = client.post(url, data)
        assert response.status_code == 302, (role, response.content.decode()[:3000])
        regisseur.refresh_from_db()
        assert regisseur.is_superuser is superuser, role
        assert regisseur.groups.filter(pk=support.pk).exists() is in_support, role
