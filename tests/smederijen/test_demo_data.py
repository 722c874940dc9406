import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command

from ideas.demo.people import LOGINS
from smederijen.models import FeaturedItem, Smederij
from teams import permissions
from teams.models import (
    Initiatiefgroep,
    Organisation,
    StuurgroepMember,
    Team,
    TeamMember,
    User,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Smederij,
    FeaturedItem,
    User,
    Organisation,
    Team,
    TeamMember,
    Initiatiefgroep,
    StuurgroepMember,
    Authenticator,
]


def test_demo_data_loads_twice_without_duplicates(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo_data")
    counts = [model.objects.count() for model in MODELS]
    call_command("load_demo_data")
    assert counts == [model.objects.count() for model in MODELS]
    names = set(Smederij.objects.values_list("name", flat=True))
    assert {"Verzetsbuurt", "Zeeheldenbuurt", "Krakeel", "Zuid", "Elim"} <= names
    assert Smederij.objects.filter(kind="dorp").count() >= 3
    output = capsys.readouterr().out
    for login in LOGINS:
        assert login.email in output
    assert "demo-smederijen-2026" in output and "SMEDERIJENDEMOKEYHOOGEVEENTWEEAB" in output


def test_demo_data_has_everyone_the_brief_names(settings):
    settings.DEBUG = True
    call_command("load_demo_data")
    kinds = sorted(Organisation.objects.values_list("kind", flat=True))
    assert kinds == ["gemeente", "politie", "welzijn", "woningcorporatie", "woningcorporatie"]
    for smederij in Smederij.objects.all():
        team = Team.objects.get(areas__smederij=smederij)
        roles = set(team.members.exclude(kern_role="").values_list("kern_role", flat=True))
        assert roles == {"opbouwwerker", "wijkbeheerder", "wijkagent"}, smederij
        assert team.members.filter(kern_role="").count() >= 2
        assert smederij.gebiedsregisseur.get_full_name() in {"Jan Bouwmeester", "Martin Peelen"}
        assert smederij.initiatiefgroepen.exists()
    seated = StuurgroepMember.objects.seated()
    assert seated.filter(seat_type="organisatie").count() == 6
    assert seated.filter(seat_type="inwoner").count() == 4
    # Every demo login has its role, and every staff login its second factor.
    for login in LOGINS:
        user = User.objects.get(email=login.email)
        assert permissions.needs_second_factor(user) is login.staff, login.email
        assert Authenticator.objects.filter(user=user).exists() is login.staff
    assert (
        User.objects.get(email="annette.bartels@example.org")
        .groups.filter(name="Ondersteuning")
        .exists()
    )


def test_demo_staff_sign_in_with_password_and_the_printed_app_code(settings, client):
    from ideas.demo.people import current_totp_code

    settings.DEBUG = True
    call_command("load_demo_data")
    response = client.post(
        "/account/login/",
        {"login": "Jan.Bouwmeester@example.org", "password": "demo-smederijen-2026"},
    )
    assert response.headers["Location"] == "/account/2fa/authenticate/"
    client.post("/account/2fa/authenticate/", {"code": current_totp_code()})
    assert client.get("/beheer/smederijen/smederij/").status_code == 200


def test_demo_data_refuses_to_load_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("load_demo_data")
    assert not User.objects.exists()


def test_the_demo_app_code_is_for_development_only(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("demo_totp_code")
