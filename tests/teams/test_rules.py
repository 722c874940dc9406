"""The rules the database holds, and the clear Dutch message a person gets when they hit one."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from teams import services
from teams.models import KernRole, SeatType, Stuurgroep, StuurgroepMember, TeamMember
from tests.factories import SmederijFactory, TeamFactory, UserFactory
from tests.teams.conftest import with_second_factor

pytestmark = pytest.mark.django_db

START = date(2025, 1, 1)


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_a_second_wijkagent_in_one_kernteam_is_refused(organisations):
    team = TeamFactory()
    services.add_team_member(
        team,
        name="Eerste Agent",
        organisation=organisations["politie"],
        function="Wijkagent",
        kern_role=KernRole.WIJKAGENT,
    )
    with pytest.raises(ValidationError) as error:
        services.add_team_member(
            team,
            name="Tweede Agent",
            organisation=organisations["politie"],
            function="Wijkagent",
            kern_role=KernRole.WIJKAGENT,
        )
    assert "heeft al iemand in deze rol van het kernteam" in messages(error.value)
    # The database holds the rule too, whatever writes to it.
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMember.objects.create(
            team=team,
            name="Derde Agent",
            organisation=organisations["politie"],
            function="Wijkagent",
            kern_role=KernRole.WIJKAGENT,
        )
    assert team.members.filter(kern_role=KernRole.WIJKAGENT).count() == 1
    # Another team may have its own wijkagent, and a team any number of other members.
    services.add_team_member(
        TeamFactory(),
        name="Agent Elim",
        organisation=organisations["politie"],
        function="Wijkagent",
        kern_role=KernRole.WIJKAGENT,
    )
    for name in ("Jongerenwerker", "Buurtsportcoach"):
        services.add_team_member(
            team, name=name, organisation=organisations["welzijn"], function=name
        )


@pytest.mark.parametrize(
    "role, wrong, right",
    [
        (KernRole.OPBOUWWERKER, "politie", "welzijn"),
        (KernRole.WIJKBEHEERDER, "gemeente", "domesta"),
        (KernRole.WIJKAGENT, "domesta", "politie"),
    ],
)
def test_kernteam_member_comes_from_the_fitting_organisation(organisations, role, wrong, right):
    team = TeamFactory()
    with pytest.raises(ValidationError) as error:
        services.add_team_member(
            team, name="Iemand", organisation=organisations[wrong], function="x", kern_role=role
        )
    assert "organisation" in error.value.message_dict
    assert "Kies een organisatie van de soort" in messages(error.value)
    member = services.add_team_member(
        team, name="Iemand", organisation=organisations[right], function="x", kern_role=role
    )
    assert member.pk


def seat(stuurgroep, seat_type, n, organisations):
    return services.seat_stuurgroep_member(
        stuurgroep,
        seat_type=seat_type,
        name=f"Lid {seat_type} {n}",
        organisation=organisations["gemeente"] if seat_type == SeatType.ORGANISATION else None,
        term_start=START,
    )


def test_an_eleventh_seat_or_a_fifth_resident_seat_is_refused(organisations):
    stuurgroep = Stuurgroep.objects.get()
    for n in range(4):
        seat(stuurgroep, SeatType.RESIDENT, n, organisations)
    with pytest.raises(ValidationError) as error:
        seat(stuurgroep, SeatType.RESIDENT, 5, organisations)
    assert "Alle vier de zetels voor inwoners zijn bezet" in messages(error.value)

    for n in range(6):
        seat(stuurgroep, SeatType.ORGANISATION, n, organisations)
    with pytest.raises(ValidationError) as error:
        seat(stuurgroep, SeatType.ORGANISATION, 7, organisations)
    assert "Alle zes de zetels voor organisaties zijn bezet" in messages(error.value)
    assert StuurgroepMember.objects.seated().count() == 10

    # Around the service, the database still refuses: no seat 11, no second holder of a seat.
    for number, seat_type in [(11, SeatType.RESIDENT), (8, SeatType.RESIDENT)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            StuurgroepMember.objects.create(
                stuurgroep=stuurgroep,
                seat=number,
                seat_type=seat_type,
                name="Te veel",
                term_start=START,
            )
    # A resident cannot take an organisation seat either.
    with pytest.raises(IntegrityError), transaction.atomic():
        StuurgroepMember.objects.create(
            stuurgroep=stuurgroep,
            seat=3,
            seat_type=SeatType.RESIDENT,
            name="Verkeerd",
            term_start=START,
            is_seated=False,
        )


def test_stepping_down_frees_the_seat_and_keeps_the_record(organisations):
    stuurgroep = Stuurgroep.objects.get()
    members = [seat(stuurgroep, SeatType.RESIDENT, n, organisations) for n in range(4)]
    services.vacate_stuurgroep_seat(members[1], on=date(2026, 6, 30))
    overview = services.seat_overview(stuurgroep)
    vacant = [s["number"] for s in overview if s["member"] is None]
    assert vacant == [1, 2, 3, 4, 5, 6, 8]
    newcomer = seat(stuurgroep, SeatType.RESIDENT, 9, organisations)
    assert newcomer.seat == 8
    old = StuurgroepMember.objects.get(pk=members[1].pk)
    assert not old.is_seated and old.term_end == date(2026, 6, 30)


def test_an_organisation_seat_needs_an_organisation(organisations):
    with pytest.raises(ValidationError) as error:
        services.seat_stuurgroep_member(
            Stuurgroep.objects.get(),
            seat_type=SeatType.ORGANISATION,
            name="Zonder",
            term_start=START,
        )
    assert "organisation" in error.value.message_dict


def test_a_smederij_is_served_by_one_team():
    area = SmederijFactory()
    TeamFactory(areas=[area])
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamFactory(areas=[area])


def test_roles_follow_the_data(organisations):
    user = UserFactory()
    member = services.add_team_member(
        TeamFactory(), name="X", organisation=organisations["welzijn"], function="x", user=user
    )
    assert list(user.groups.values_list("name", flat=True)) == ["Wijkteamlid"]
    member.delete()
    services.sync_role_groups(user)
    assert not user.groups.exists()


def admin_post_data(stuurgroep, members, new):
    """The admin form of the stuurgroep with its seats inline, as the browser would send it."""
    rows = [*members, *new]
    data = {
        "name": stuurgroep.name,
        "introduction": "",
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": str(len(members)),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        is_model = isinstance(row, StuurgroepMember)
        values = {
            "id": row.pk if is_model else "",
            "stuurgroep": stuurgroep.pk,
            "seat_type": row.seat_type if is_model else row["seat_type"],
            "name": row.name if is_model else row["name"],
            "organisation": (row.organisation_id or "")
            if is_model
            else row.get("organisation", ""),
            "smederij": "",
            "term_start": "2025-01-01",
            "term_end": "",
            "user": "",
        }
        if row.is_seated if is_model else True:
            values["is_seated"] = "on"
        for key, value in values.items():
            data[f"members-{i}-{key}"] = value
    return data


def test_admin_refuses_a_fifth_resident_seat_with_a_clear_message(client, organisations):
    stuurgroep = Stuurgroep.objects.get()
    members = [seat(stuurgroep, SeatType.RESIDENT, n, organisations) for n in range(4)]
    client.force_login(with_second_factor(UserFactory(is_staff=True, is_superuser=True)))
    url = f"/beheer/teams/stuurgroep/{stuurgroep.pk}/change/"
    response = client.post(
        url, admin_post_data(stuurgroep, members, [{"seat_type": "inwoner", "name": "Vijfde"}])
    )
    assert response.status_code == 200
    assert "Alle vier de zetels voor inwoners zijn bezet" in response.content.decode()
    assert StuurgroepMember.objects.count() == 4

    # Seating an organisation member in the same form works, in the first free seat.
    response = client.post(
        url,
        admin_post_data(
            stuurgroep,
            members,
            [
                {
                    "seat_type": "organisatie",
                    "name": "Nieuw",
                    "organisation": organisations["gemeente"].pk,
                }
            ],
        ),
    )
    assert response.status_code == 302
    assert StuurgroepMember.objects.get(name="Nieuw").seat == 1
    page = client.get(url).content.decode()
    assert "Vrije zetels" in page
