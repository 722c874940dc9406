import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError

from teams.models import User

pytestmark = pytest.mark.django_db


def test_an_account_is_known_by_its_e_mail_address_whatever_the_capitals():
    user = User.objects.create_user("Anna.Kuipers@Example.org", "een lang wachtwoord 42")
    assert user.email == "anna.kuipers@example.org"
    assert authenticate(username="ANNA.kuipers@example.org", password="een lang wachtwoord 42")
    assert str(user) == "anna.kuipers@example.org"


def test_two_accounts_cannot_share_an_e_mail_address_in_other_capitals():
    User.objects.create_user("anna@example.org")
    with pytest.raises(IntegrityError):
        User.objects.create(email="ANNA@example.org")


def test_a_superuser_is_staff():
    admin = User.objects.create_superuser("beheer@example.org", "een lang wachtwoord 42")
    assert admin.is_staff and admin.is_superuser and admin.has_usable_password()
