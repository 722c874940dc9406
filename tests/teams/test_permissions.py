"""Who may open which page and do which action: every role against every page, as a table.

Values: a status code, or LOGIN when the visitor is sent to the sign-in page first. Admin pages
that a signed-in non-staff user asks for end in 403 (the portal's sign-in guards admin).
"""

import pytest

from teams import permissions
from teams.models import Membership
from tests.teams.conftest import ROLES

pytestmark = pytest.mark.django_db

LOGIN = "login"
ALL_200 = [200] * 9
SIGNED_IN = [LOGIN] + [200] * 8
ADMIN_OFFICE = [LOGIN, 403, 403, 403, 403, 403, 200, 200, 200]
SUPERUSER_ONLY = [LOGIN, 403, 403, 403, 403, 403, 403, 403, 200]

#            anonymous, resident, ig member, team A, team B, stuurgroep, regisseur, onderst., super
PAGES = [
    ("/", ALL_200),
    ("/over-de-smederijen/", ALL_200),
    ("/smederijen/", ALL_200),
    ("/smederijen/krakeel/", ALL_200),
    ("/smederijen/bestaat-niet/", [404] * 9),
    ("/toegankelijkheid/", ALL_200),
    ("/privacy/", ALL_200),
    ("/contact/", ALL_200),
    ("/contact/verzonden/", ALL_200),
    ("/wijk-en-dorpenteams/", ALL_200),
    ("/wijk-en-dorpenteams/krakeel/", ALL_200),
    ("/wijk-en-dorpenteams/bestaat-niet/", [404] * 9),
    ("/gebiedsregisseurs/", ALL_200),
    ("/stuurgroep/", ALL_200),
    ("/initiatiefgroepen/", ALL_200),
    ("/initiatiefgroepen/initiatiefgroep-krakeel/", ALL_200),
    ("/initiatiefgroepen/bestaat-niet/", [404] * 9),
    ("/initiatiefgroepen/initiatiefgroep-krakeel/aanmelden/", [405] * 9),  # GET: only POST
    ("/account/login/", [200] + [302] * 8),  # signed in: sent on to their own page
    ("/account/login/code/", [200] + [302] * 8),
    ("/account/mijn-gegevens/", SIGNED_IN),
    # Mijn werk: the start page of staff (a wijkteam, a stuurgroep seat, the office).
    ("/account/mijn-werk/", [LOGIN, 403, 403, 200, 200, 200, 200, 200, 200]),
    ("/account/email/", SIGNED_IN),
    ("/account/2fa/", SIGNED_IN),
    ("/account/mijn-gegevens/downloaden/", SIGNED_IN),
    ("/account/verwijderen/", SIGNED_IN),  # staff and stuurgroep seats read why they cannot
    ("/account/verwijderd/", ALL_200),
    ("/health/", ALL_200),
    ("/beheer/", ADMIN_OFFICE),
    ("/beheer/teams/team/", ADMIN_OFFICE),
    ("/beheer/teams/team/{team_a}/change/", ADMIN_OFFICE),
    ("/beheer/teams/organisation/add/", ADMIN_OFFICE),
    ("/beheer/teams/initiatiefgroep/{group}/change/", ADMIN_OFFICE),
    ("/beheer/teams/stuurgroep/{stuurgroep}/change/", ADMIN_OFFICE),
    ("/beheer/teams/user/", ADMIN_OFFICE),
    ("/beheer/smederijen/featureditem/", ADMIN_OFFICE),
    ("/beheer/smederijen/pagetext/", ADMIN_OFFICE),
    ("/beheer/smederijen/mailtext/", ADMIN_OFFICE),
    # The audit trail: gebiedsregisseurs (of their areas) and superusers read it.
    ("/beheer/smederijen/auditevent/", [LOGIN, 403, 403, 403, 403, 403, 200, 403, 200]),
    ("/beheer/smederijen/smederij/add/", [LOGIN, 403, 403, 403, 403, 403, 200, 403, 200]),
    ("/beheer/auth/group/", SUPERUSER_ONLY),
]

# POST actions: 302 means done (sent back to the page), LOGIN means sent to sign in first.
ACTIONS = [
    ("/initiatiefgroepen/initiatiefgroep-krakeel/aanmelden/", {}, [LOGIN] + [302] * 8),
    ("/initiatiefgroepen/initiatiefgroep-krakeel/afmelden/", {}, [LOGIN] + [302] * 8),
    ("/initiatiefgroepen/bestaat-niet/aanmelden/", {}, [LOGIN] + [404] * 8),
    ("/account/mijn-gegevens/", {"first_name": "A", "last_name": "B"}, [LOGIN] + [302] * 8),
    # Residents delete their own account; anyone with a role or a seat asks the office.
    (
        "/account/verwijderen/",
        {"understood": "on"},
        [LOGIN, 302, 302, 403, 403, 403, 403, 403, 403],
    ),
]


def outcome(client, response):
    """The status, following admin's own login redirect to where it really ends."""
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/beheer/login/"):
        response = client.get(location)
        location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/account/login/"):
        return LOGIN
    return response.status_code


def sign_in(client, people, role):
    user = people["users"][role]
    if user is not None:
        client.force_login(user)


def format_url(url, people):
    return url.format(
        team_a=people["team_a"].pk, group=people["group"].pk, stuurgroep=people["stuurgroep"].pk
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url, expected", PAGES, ids=[row[0] for row in PAGES])
def test_role_opens_page(client, people, role, url, expected):
    sign_in(client, people, role)
    response = client.get(format_url(url, people))
    assert outcome(client, response) == expected[ROLES.index(role)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url, data, expected", ACTIONS, ids=[f"POST {row[0]}" for row in ACTIONS])
def test_role_does_action(client, people, role, url, data, expected):
    sign_in(client, people, role)
    response = client.post(url, data)
    assert outcome(client, response) == expected[ROLES.index(role)]


# Who sees the names of the members of the initiatiefgroep of Krakeel (area A).
MEMBER_NAMES_VISIBLE = {
    "anonymous": False,
    "resident": False,
    "initiatiefgroep_member": True,
    "wijkteam_a": True,
    "wijkteam_b": False,
    "stuurgroep_member": False,
    "gebiedsregisseur": True,
    "ondersteuning": True,
    "superuser": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_member_names_only_for_members_and_staff_of_the_area(client, people, role):
    sign_in(client, people, role)
    html = client.get("/initiatiefgroepen/initiatiefgroep-krakeel/").content.decode()
    assert ("Fatima el Amrani" in html) is MEMBER_NAMES_VISIBLE[role]
    assert "1 lid" in html  # the count is public
    # A resident's e-mail address is never on a public page, whoever looks.
    assert "fatima@example.org" not in html


@pytest.mark.parametrize("role", ROLES)
def test_no_account_or_resident_data_on_public_people_pages(client, people, role):
    sign_in(client, people, role)
    for url in [
        "/wijk-en-dorpenteams/",
        "/wijk-en-dorpenteams/krakeel/",
        "/gebiedsregisseurs/",
        "/stuurgroep/",
        "/initiatiefgroepen/",
        "/smederijen/krakeel/",
    ]:
        html = client.get(url).content.decode()
        for user in people["users"].values():
            if user is not None and user != people["users"][role]:
                assert user.email not in html, (url, user.email)
        assert "Fatima" not in html


STAFF_SEES_VACANCIES = {
    role: role not in ("anonymous", "resident", "initiatiefgroep_member") for role in ROLES
}


@pytest.mark.parametrize("role", ROLES)
def test_vacant_seats_and_terms_are_shown_to_staff(client, people, role):
    sign_in(client, people, role)
    html = client.get("/stuurgroep/").content.decode()
    assert ('id="staff-title"' in html) is STAFF_SEES_VACANCIES[role]


# Which areas each role acts for (may do the staff work of).
ACTS_FOR = {
    "anonymous": set(),
    "resident": set(),
    "initiatiefgroep_member": set(),
    "wijkteam_a": {"krakeel"},
    "wijkteam_b": {"elim"},
    "stuurgroep_member": set(),
    "gebiedsregisseur": {"krakeel"},
    "ondersteuning": set(),
    "superuser": {"krakeel", "elim"},
}


@pytest.mark.parametrize("role", ROLES)
def test_areas_a_role_acts_for(people, role):
    from django.contrib.auth.models import AnonymousUser

    user = people["users"][role] or AnonymousUser()
    assert {s.slug for s in permissions.areas_for(user)} == ACTS_FOR[role]
    for area in ("krakeel", "elim"):
        assert permissions.acts_for_area(user, people[area]) is (area in ACTS_FOR[role])


@pytest.mark.parametrize("role", ROLES)
def test_only_the_seated_member_has_a_seat_and_nobody_else_is_asked_for_one(
    people, role, django_assert_num_queries
):
    """A seat comes with the role Stuurgroeplid: once a person's roles are read, someone
    without that role (a wijkteam member on every staff page) costs no query for a seat."""
    from django.contrib.auth.models import AnonymousUser

    user = people["users"][role] or AnonymousUser()
    permissions.role_names(user)
    asked = role in ("stuurgroep_member", "superuser")
    with django_assert_num_queries(1 if asked else 0):
        member = permissions.seated_member(user)
    assert (member is not None) is (role == "stuurgroep_member")
    assert member is None or member.user == user


def test_joining_twice_keeps_one_membership(client, people):
    client.force_login(people["users"]["resident"])
    url = "/initiatiefgroepen/initiatiefgroep-krakeel/aanmelden/"
    client.post(url)
    client.post(url)
    assert Membership.objects.filter(user=people["users"]["resident"]).count() == 1
