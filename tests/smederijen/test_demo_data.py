import pytest
from django.core.management import CommandError, call_command

from smederijen.models import FeaturedItem, Smederij
from teams.models import User

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo_data")
    counts = (Smederij.objects.count(), FeaturedItem.objects.count(), User.objects.count())
    call_command("load_demo_data")
    assert counts == (
        Smederij.objects.count(),
        FeaturedItem.objects.count(),
        User.objects.count(),
    )
    names = set(Smederij.objects.values_list("name", flat=True))
    assert {"Verzetsbuurt", "Zeeheldenbuurt", "Krakeel", "Zuid", "Elim"} <= names
    assert Smederij.objects.filter(kind="dorp").count() >= 3
    output = capsys.readouterr().out
    assert "jan.bouwmeester@example.org" in output and "annette.bartels@example.org" in output


def test_demo_logins_sign_in_to_admin(settings, client):
    settings.DEBUG = True
    call_command("load_demo_data")
    assert client.login(username="Jan.Bouwmeester@example.org", password="demo-smederijen-2026")
    assert client.get("/beheer/smederijen/smederij/").status_code == 200


def test_demo_data_refuses_to_load_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("load_demo_data")
    assert not User.objects.exists()
