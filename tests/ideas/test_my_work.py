"""Mijn werk and the staff menu (issue 20, item 1): after signing in staff land on a page with what
waits for them, and the header shows exactly the staff pages their roles may open."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation

from ideas import services
from ideas.demo.people import current_totp_code
from ideas.models import Idea, Recommendation
from ideas.staff_menu import STAFF_PAGES, staff_pages
from teams.models import Stuurgroep
from tests.factories import SmederijFactory
from tests.ideas.factories import submitted_idea
from tests.ideas.test_transitions import idea_in, world
from tests.smederijen.dates import assert_no_english_month, in_dutch
from tests.teams.conftest import ROLES, TEST_TOTP_SECRET
from tests.teams.test_permissions import outcome, sign_in

__all__ = ["world"]  # a fixture

MY_WORK = "/account/mijn-werk/"

# The staff menu per role: the labels in the header, in order (Dutch).
ALL_STAFF_PAGES = [
    "Mijn werk",
    "Werkvoorraad",
    "Wijkoverleg",
    "Dossiers",
    "Vergaderingen",
    "Budgetten",
    "Rapportages",
    "Beheer",
]
MENU = {
    "anonymous": [],
    "resident": [],
    "initiatiefgroep_member": [],
    "wijkteam_a": ["Mijn werk", "Werkvoorraad", "Wijkoverleg", "Budgetten", "Rapportages"],
    "wijkteam_b": ["Mijn werk", "Werkvoorraad", "Wijkoverleg", "Budgetten", "Rapportages"],
    "stuurgroep_member": ["Mijn werk", "Dossiers", "Vergaderingen", "Rapportages"],
    "gebiedsregisseur": ALL_STAFF_PAGES,
    "ondersteuning": ["Mijn werk", "Budgetten", "Rapportages", "Beheer"],
    # A superuser has no seat and is no secretary: the stuurgroep's pages are not his.
    "superuser": [
        "Mijn werk",
        "Werkvoorraad",
        "Wijkoverleg",
        "Budgetten",
        "Rapportages",
        "Beheer",
    ],
}
assert list(MENU) == ROLES
# A staff page that is also the page of initiatiefgroep members and the invited: the list of the
# wijkoverleggen they may see (their invitations). Only who plans them has it in the menu.
ALSO_FOR_MEMBERS = {"ideas:overleg-list"}


def staff_menu(html: str) -> list[tuple[str, str]]:
    """(label, address) of the links in the header's staff menu."""
    found = re.search(r'<nav class="site-staff-nav" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    if found is None:
        return []
    assert found.group(1) == "Menu voor medewerkers"
    return re.findall(
        r'<a class="site-staff-nav__link" href="([^"]+)"[^>]*>([^<]+)</a>', found.group(2)
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_staff_menu_holds_exactly_the_pages_the_role_may_open(client, people, role):
    sign_in(client, people, role)
    menu = staff_menu(client.get("/ideeen/").content.decode())
    assert [label for _url, label in menu] == MENU[role]
    # Every page in the menu opens; every staff page not in it is refused (or asks to sign in).
    shown = {url for url, _label in menu}
    for page in STAFF_PAGES:
        url = reverse(page.url_name)
        response = client.get(url)
        if url in shown:
            assert response.status_code == 200, url
        elif page.url_name in ALSO_FOR_MEMBERS and role != "anonymous":
            # Their own invitations only: nothing to plan.
            assert response.status_code == 200, url
            assert "Wijkoverleg plannen" not in response.content.decode()
        else:
            assert outcome(client, response) in (403, 404, "login"), url


def test_the_menu_marks_the_page_you_are_on(client, people):
    sign_in(client, people, "gebiedsregisseur")
    html = client.get("/werkvoorraad/").content.decode()
    assert re.search(r'href="/werkvoorraad/" aria-current="page">Werkvoorraad<', html)
    assert len(re.findall(r'site-staff-nav__link[^>]*aria-current="page"', html)) == 1


def test_visitors_get_no_staff_menu_and_it_costs_no_query(
    client, people, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert staff_pages(AnonymousUser()) == []
    html = client.get("/over-de-smederijen/").content.decode()
    assert "site-staff-nav" not in html and "Mijn werk" not in html


# Mijn werk -----------------------------------------------------------------------------------


def overdue_by(idea: Idea, days: int) -> Idea:
    Idea.objects.filter(pk=idea.pk).update(decision_due=timezone.localdate() - timedelta(days=days))
    return Idea.objects.get(pk=idea.pk)


def due_in(idea: Idea, days: int) -> Idea:
    Idea.objects.filter(pk=idea.pk).update(decision_due=timezone.localdate() + timedelta(days=days))
    return Idea.objects.get(pk=idea.pk)


@pytest.fixture
def waiting(world):
    """Krakeel's wijkteam has one of each kind of work; Elim has a new idea of its own."""
    member = world["users"]["wijkteam_a"]
    submitter = world["users"]["submitter"]
    new = due_in(idea_in(world, "ingediend"), 40)
    overdue = overdue_by(services.take_up(idea_in(world, "ingediend"), actor=member), 3)
    soon = due_in(services.take_up(idea_in(world, "ingediend"), actor=member), 5)
    answered = idea_in(world, "aanvulling_gevraagd")
    answered = services.answer_question(answered, actor=submitter, answer="Mijn buren helpen mee.")
    answered = due_in(answered, 30)
    accounting = idea_in(world, "gerealiseerd (verantwoording sent)")
    plan = idea_in(world, "bij_stuurgroep")
    elim = submitted_idea(smederij=SmederijFactory(name="Elim-Noord", slug="elim-noord"))
    return {
        "new": new,
        "overdue": overdue,
        "soon": soon,
        "answered": answered,
        "accounting": accounting,
        "plan": plan,
        "elsewhere": elim,
    }


def work_list(html: str, key: str) -> str:
    found = re.search(
        rf'data-work="{key}">(.*?)</li>\s*(?=<li class="my-work__list|</ul>\s*</section>)',
        html,
        re.S,
    )
    assert found, key
    return found.group(1)


def count_of(block: str) -> int:
    return int(re.search(r'<span class="my-work__count">(\d+)</span>', block).group(1))


def test_the_wijkteam_sees_what_waits_in_its_own_area(client, world, waiting):
    client.force_login(world["users"]["wijkteam_a"])
    html = client.get(MY_WORK).content.decode()
    for key, idea in [
        ("new", waiting["new"]),
        ("overdue", waiting["overdue"]),
        ("due_soon", waiting["soon"]),
        ("answered", waiting["answered"]),
        ("accounting", waiting["accounting"]),
    ]:
        block = work_list(html, key)
        assert count_of(block) == 1, key
        assert f'href="/werkvoorraad/{idea.public_id}/"' in block, key
        assert idea.title in block
    assert "Te laat" in work_list(html, "overdue")
    assert in_dutch(waiting["soon"].decision_due) in work_list(html, "due_soon")
    # Another area's idea is nowhere; the stuurgroep's lists are not for the wijkteam.
    assert waiting["elsewhere"].title not in html
    assert 'data-work="dossiers"' not in html
    assert_no_english_month(html)


def test_nothing_waits_says_so(client, people):
    client.force_login(people["users"]["wijkteam_b"])
    html = client.get(MY_WORK).content.decode()
    assert count_of(work_list(html, "new")) == 0
    assert "Er wachten geen nieuwe ideeën" in html
    assert "Er is geen besluit te laat" in html


def test_a_stuurgroep_member_sees_the_plans_not_yet_assessed_and_the_meetings(
    client,
    world,
    waiting,
):
    member_user = world["users"]["stuurgroep_member"]
    client.force_login(member_user)
    chair = world["users"]["chair"]
    starts = timezone.now() + timedelta(days=9)
    meeting = services.plan_meeting(
        Stuurgroep.objects.get(),
        actor=chair,
        starts_at=starts,
        place="Het Kompas",
        ideas=[waiting["plan"]],
    )
    html = client.get(MY_WORK).content.decode()
    dossiers = work_list(html, "dossiers")
    assert count_of(dossiers) == 1
    assert f'href="/stuurgroep/dossiers/{waiting["plan"].public_id}/"' in dossiers
    meetings = work_list(html, "meetings")
    assert count_of(meetings) == 1 and f'href="/stuurgroep/vergaderingen/{meeting.pk}/"' in meetings
    with translation.override("nl"):
        assert timezone.localtime(starts).strftime("%H:%M") in meetings
    # The wijkteam's lists are not hers (she acts for no area).
    assert 'data-work="new"' not in html
    assert_no_english_month(html)

    # Once she has assessed the plan it waits for her no more.
    services.assess(
        waiting["plan"],
        actor=member_user,
        residents_support=4,
        professionals_support=3,
        recommendation=Recommendation.values[0],
        remark="Veel steun in de buurt.",
    )
    html = client.get(MY_WORK).content.decode()
    assert count_of(work_list(html, "dossiers")) == 0


@pytest.mark.parametrize("extra", [0, 12])
def test_my_work_reads_a_fixed_number_of_queries(
    client,
    world,
    waiting,
    extra,
    django_assert_max_num_queries,
):
    for _ in range(extra):
        overdue_by(submitted_idea(smederij=world["krakeel"]), 2)
    client.force_login(world["users"]["gebiedsregisseur"])
    with django_assert_max_num_queries(16):
        response = client.get(MY_WORK)
    assert response.status_code == 200
    block = work_list(response.content.decode(), "overdue")
    assert count_of(block) == 1 + extra
    assert block.count('class="my-work__row"') == min(1 + extra, 5)
    if extra:
        assert "De eerste 5 van 13." in block


def test_staff_land_on_my_work_after_signing_in_and_residents_on_their_details(client, people):
    member = people["users"]["wijkteam_a"]
    member.set_password("een-lang-wachtwoord-42")
    member.save()
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    response = client.post(
        "/account/login/", {"login": member.email, "password": "een-lang-wachtwoord-42"}
    )
    assert response.headers["Location"] == "/account/2fa/authenticate/"
    response = client.post(
        "/account/2fa/authenticate/", {"code": current_totp_code(TEST_TOTP_SECRET)}
    )
    assert response.headers["Location"] == MY_WORK
    assert client.get(MY_WORK).status_code == 200
