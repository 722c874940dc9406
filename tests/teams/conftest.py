from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from teams import permissions, services
from teams.models import KernRole, Organisation, SeatType, Stuurgroep
from tests.factories import (
    InitiatiefgroepFactory,
    OrganisationFactory,
    SmederijFactory,
    TeamFactory,
    UserFactory,
)

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# Every role of the people issue, in the order of the permission table's columns.
ROLES = [
    "anonymous",
    "resident",
    "initiatiefgroep_member",
    "wijkteam_a",
    "wijkteam_b",
    "stuurgroep_member",
    "gebiedsregisseur",
    "ondersteuning",
    "superuser",
]


def with_second_factor(user):
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TEST_TOTP_SECRET)
    return user


@pytest.fixture
def organisations(db):
    return {
        "welzijn": OrganisationFactory(
            name="Stichting Welzijnswerk", kind=Organisation.Kind.WELZIJN
        ),
        "domesta": OrganisationFactory(name="Domesta", kind=Organisation.Kind.WONINGCORPORATIE),
        "politie": OrganisationFactory(name="Politie", kind=Organisation.Kind.POLITIE),
        "gemeente": OrganisationFactory(name="Gemeente Hoogeveen", kind=Organisation.Kind.GEMEENTE),
    }


@pytest.fixture
def people(db, organisations):
    """Two areas (A = Krakeel, B = Elim), their teams, an initiatiefgroep, and one user per role."""
    from django.contrib.auth.models import Group

    groups = {g.name: g for g in Group.objects.all()}
    krakeel = SmederijFactory(name="Krakeel", slug="krakeel")
    elim = SmederijFactory(name="Elim", slug="elim", kind="dorp")
    team_a = TeamFactory(name="Wijkteam Krakeel", slug="krakeel", areas=[krakeel])
    team_b = TeamFactory(name="Dorpenteam Elim", slug="elim", kind="dorpenteam", areas=[elim])

    users = {"anonymous": None}
    users["resident"] = UserFactory(first_name="Rita", last_name="Inwoner")
    users["initiatiefgroep_member"] = UserFactory(
        first_name="Fatima", last_name="el Amrani", email="fatima@example.org"
    )
    users["wijkteam_a"] = with_second_factor(UserFactory(first_name="Sanne", last_name="Jonker"))
    users["wijkteam_b"] = with_second_factor(UserFactory(first_name="Ruud", last_name="Hendriks"))
    users["stuurgroep_member"] = with_second_factor(UserFactory(first_name="Ingrid"))
    users["gebiedsregisseur"] = with_second_factor(
        UserFactory(first_name="Jan", last_name="Bouwmeester", is_staff=True)
    )
    users["gebiedsregisseur"].groups.add(groups[permissions.GEBIEDSREGISSEUR])
    users["ondersteuning"] = with_second_factor(UserFactory(first_name="Annette", is_staff=True))
    users["ondersteuning"].groups.add(groups[permissions.ONDERSTEUNING])
    users["superuser"] = with_second_factor(UserFactory(is_staff=True, is_superuser=True))

    krakeel.gebiedsregisseur = users["gebiedsregisseur"]
    krakeel.save()

    kern_a = {}
    for role, org in [
        (KernRole.OPBOUWWERKER, "welzijn"),
        (KernRole.WIJKBEHEERDER, "domesta"),
        (KernRole.WIJKAGENT, "politie"),
    ]:
        kern_a[role] = services.add_team_member(
            team_a,
            name={"opbouwwerker": "Sanne Jonker", "wijkagent": "Willem Agterberg"}.get(
                role, "Wendy Beheer"
            ),
            organisation=organisations[org],
            function=role.label.capitalize(),
            kern_role=role,
            user=users["wijkteam_a"] if role == KernRole.OPBOUWWERKER else None,
            phone="06 12345678",
            email=f"{role}@krakeel.example.org",
        )
    services.add_team_member(
        team_b,
        name="Ruud Hendriks",
        organisation=organisations["domesta"],
        function="Wijkbeheerder",
        kern_role=KernRole.WIJKBEHEERDER,
        user=users["wijkteam_b"],
    )
    stuurgroep = Stuurgroep.objects.get()
    services.seat_stuurgroep_member(
        stuurgroep,
        seat_type=SeatType.RESIDENT,
        name="Ingrid Mulder",
        smederij=krakeel,
        user=users["stuurgroep_member"],
        term_start=date(2025, 1, 1),
    )
    group = InitiatiefgroepFactory(
        smederij=krakeel, name="Initiatiefgroep Krakeel", slug="initiatiefgroep-krakeel"
    )
    services.join_initiatiefgroep(group, users["initiatiefgroep_member"])
    return {
        "users": users,
        "krakeel": krakeel,
        "elim": elim,
        "team_a": team_a,
        "team_b": team_b,
        "kern_a": kern_a,
        "group": group,
        "stuurgroep": stuurgroep,
    }
