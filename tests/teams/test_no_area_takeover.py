"""A gebiedsregisseur cannot give himself another area in admin, and so cannot get round the one
rule of teams.permissions.visible_area_ids: he cannot make himself gebiedsregisseur of another
Smederij, give a team another area, join a team of another area, or take over another staff
member's account (a new address or password there). Support staff can do all of it."""

import re

import pytest
from django.contrib.auth.models import Group

from teams import permissions
from teams.models import TeamArea, TeamMember
from tests.factories import UserFactory
from tests.teams.conftest import with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def jan(client, people):
    """The gebiedsregisseur of Krakeel, signed in to admin; Elim is not his area."""
    client.force_login(people["users"]["gebiedsregisseur"])
    return people["users"]["gebiedsregisseur"]


def test_he_cannot_make_himself_gebiedsregisseur_of_another_area(client, people, jan):
    elim = people["elim"]
    url = f"/beheer/smederijen/smederij/{elim.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200  # he may read it (the areas are public)
    assert 'name="description"' not in page.content.decode()  # but not change it
    response = client.post(
        url,
        {
            "name": elim.name,
            "slug": "overgenomen",
            "kind": elim.kind,
            "description": elim.description,
            "gebiedsregisseur": str(jan.pk),
        },
    )
    assert response.status_code == 403
    elim.refresh_from_db()
    assert (elim.gebiedsregisseur_id, elim.slug, elim.is_active) == (None, "elim", True)
    assert elim.pk not in permissions.visible_area_ids(jan)


def test_he_keeps_his_own_area_but_does_not_choose_its_gebiedsregisseur(client, people, jan):
    krakeel = people["krakeel"]
    page = client.get(f"/beheer/smederijen/smederij/{krakeel.pk}/change/").content.decode()
    assert 'name="description"' in page
    assert 'name="gebiedsregisseur"' not in page


def test_support_staff_choose_the_gebiedsregisseur(client, people):
    client.force_login(people["users"]["ondersteuning"])
    elim = people["elim"]
    page = client.get(f"/beheer/smederijen/smederij/{elim.pk}/change/").content.decode()
    assert 'name="gebiedsregisseur"' in page


def test_he_cannot_give_a_team_another_area_or_join_a_team_of_another_area(client, people, jan):
    team_a, team_b = people["team_a"], people["team_b"]
    # The team of Elim is not his to change at all (view only), so he cannot join it.
    page = client.get(f"/beheer/teams/team/{team_b.pk}/change/")
    assert page.status_code == 200
    assert 'name="members-0-name"' not in page.content.decode()  # read only
    response = client.post(f"/beheer/teams/team/{team_b.pk}/change/", {"name": "x"})
    assert response.status_code == 403
    # His own team: he keeps its members, but which areas it serves is not his to change.
    page = client.get(f"/beheer/teams/team/{team_a.pk}/change/").content.decode()
    assert 'name="members-0-name"' in page
    assert not re.search(r'name="[^"]*-smederij"', page)
    assert not TeamArea.objects.filter(team=team_a, smederij=people["elim"]).exists()
    assert not TeamMember.objects.filter(team=team_b, user=jan).exists()


def test_he_cannot_change_another_staff_members_account(client, people, jan):
    annette = people["users"]["ondersteuning"]
    url = f"/beheer/teams/user/{annette.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200  # he finds staff, to see who is who
    assert 'name="email"' not in page.content.decode()  # but only to read
    response = client.post(url, {"email": "jan-mailbox@example.org"})
    assert response.status_code == 403
    assert client.get(f"/beheer/teams/user/{annette.pk}/password/").status_code == 403
    annette.refresh_from_db()
    assert annette.email != "jan-mailbox@example.org"


def test_he_mends_a_residents_account_of_his_area_and_his_own(client, people, jan):
    from tests.ideas.factories import submitted_idea

    resident = UserFactory(first_name="Berend", email="berend@example.org")
    submitted_idea(smederij=people["krakeel"], submitted_by=resident)
    page = client.get(f"/beheer/teams/user/{resident.pk}/change/").content.decode()
    assert 'name="email"' in page
    page = client.get(f"/beheer/teams/user/{jan.pk}/change/").content.decode()
    assert 'name="email"' in page


def test_support_staff_change_staff_accounts(client, people):
    client.force_login(people["users"]["ondersteuning"])
    other = with_second_factor(UserFactory(is_staff=True))
    other.groups.add(Group.objects.get(name=permissions.GEBIEDSREGISSEUR))
    page = client.get(f"/beheer/teams/user/{other.pk}/change/").content.decode()
    assert 'name="email"' in page


def test_support_staff_choose_the_areas_a_team_serves(client, people):
    client.force_login(people["users"]["ondersteuning"])
    page = client.get(f"/beheer/teams/team/{people['team_a'].pk}/change/").content.decode()
    assert re.search(r'name="[^"]*-smederij"', page)


def test_the_audit_trail_filter_offers_only_his_areas(client, people, jan):
    from smederijen import audit

    annette = people["users"]["ondersteuning"]
    audit.record(actor=annette, action="budgets.open", smederij=people["krakeel"])
    audit.record(actor=annette, action="budgets.open", smederij=people["elim"])
    page = client.get("/beheer/smederijen/auditevent/").content.decode()
    assert "smederij__id__exact" in page and "Krakeel" in page
    assert "Elim" not in page
