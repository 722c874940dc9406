"""The people pages: what they show, and a fixed number of queries whatever the data size."""

import pytest

from teams import services
from teams.models import KernRole
from tests.factories import (
    InitiatiefgroepFactory,
    SmederijFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def fill_team(team, organisations, others):
    for role, org in [
        (KernRole.OPBOUWWERKER, "welzijn"),
        (KernRole.WIJKBEHEERDER, "domesta"),
        (KernRole.WIJKAGENT, "politie"),
    ]:
        services.add_team_member(
            team,
            name=f"{role} {team.pk}",
            organisation=organisations[org],
            function=role,
            kern_role=role,
        )
    for n in range(others):
        TeamMemberFactory(team=team, organisation=organisations["gemeente" if n % 2 else "welzijn"])


@pytest.mark.parametrize("size", [2, 20])
def test_team_pages_need_the_same_queries_whatever_the_number_of_members(
    client, organisations, django_assert_num_queries, size
):
    areas = [SmederijFactory() for _ in range(3)]
    teams = [TeamFactory(areas=[area]) for area in areas]
    for team in teams:
        fill_team(team, organisations, size)
    # list: teams, their areas, their kernteams; detail: the team, its areas, its members.
    with django_assert_num_queries(3):
        assert client.get("/wijk-en-dorpenteams/").status_code == 200
    with django_assert_num_queries(3):
        assert client.get(teams[0].get_absolute_url()).status_code == 200
    # A Smederij's page: the area, its team with the kernteam, its initiatiefgroepen, and its
    # wijkoverleg (the next one, the ideas discussed lately).
    with django_assert_num_queries(6):
        assert client.get(areas[0].get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_group_and_stuurgroep_pages_need_the_same_queries_whatever_the_size(
    client, people, django_assert_num_queries, size
):
    group = people["group"]
    for _n in range(size):
        services.join_initiatiefgroep(group, UserFactory())
    for _n in range(size):
        InitiatiefgroepFactory(smederij=people["krakeel"])
    with django_assert_num_queries(1):
        assert client.get("/initiatiefgroepen/").status_code == 200
    # The group, and its area's wijkoverleg (the next one, the ideas discussed lately).
    with django_assert_num_queries(3):
        assert client.get(group.get_absolute_url()).status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/stuurgroep/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/gebiedsregisseurs/").status_code == 200
    # A member sees the names: account, membership, roles, areas, names, and the wijkoverleg's
    # two (the session comes from the sessions cache, in memory here).
    client.force_login(people["users"]["initiatiefgroep_member"])
    with django_assert_num_queries(7):
        response = client.get(group.get_absolute_url())
    assert response.context["members"] is not None
    assert len(response.context["members"]) == size + 1


def test_the_team_page_shows_the_kernteam_first_with_how_to_reach_them(client, people):
    html = client.get("/wijk-en-dorpenteams/krakeel/").content.decode()
    kern = html.index('id="kern-title"')
    assert kern < html.index('id="where-title"')
    for name in ("Sanne Jonker", "Wendy Beheer", "Willem Agterberg"):
        assert kern < html.index(name)
    assert 'href="tel:0612345678"' in html
    assert 'href="mailto:wijkagent@krakeel.example.org"' in html
    assert "Krakeelstraat 30" in html and "Dinsdag 9.00 tot 12.00 uur" in html


def test_the_smederij_page_links_its_team_gebiedsregisseur_and_initiatiefgroep(client, people):
    html = client.get("/smederijen/krakeel/").content.decode()
    assert 'href="/wijk-en-dorpenteams/krakeel/"' in html
    assert "Jan Bouwmeester" in html
    assert 'href="/initiatiefgroepen/initiatiefgroep-krakeel/"' in html


def test_leaving_a_group_removes_the_name(client, people):
    member = people["users"]["initiatiefgroep_member"]
    client.force_login(member)
    response = client.post("/initiatiefgroepen/initiatiefgroep-krakeel/afmelden/")
    assert response.headers["Location"] == "/initiatiefgroepen/initiatiefgroep-krakeel/"
    html = client.get(response.headers["Location"]).content.decode()
    assert "0 leden" in html and "Fatima el Amrani" not in html
