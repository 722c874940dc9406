"""Signing in: residents with a code by mail, staff with a password and an app code."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from ideas.demo.people import current_totp_code
from teams.models import User
from tests.factories import UserFactory
from tests.teams.conftest import TEST_TOTP_SECRET, with_second_factor

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def code_from(message) -> str:
    return re.search(r"^\s*(\d{6})\s*$", message.body, re.MULTILINE).group(1)


def request_code(client, email):
    return client.post("/account/login/code/", {"email": email})


def test_a_new_resident_gets_an_account_with_the_first_code(client, mailoutbox):
    response = request_code(client, "Nieuw.Inwoner@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login/code/confirm/"
    user = User.objects.get(email="nieuw.inwoner@example.org")
    assert not user.has_usable_password()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nieuw.inwoner@example.org"]
    assert mailoutbox[0].subject == "De Smederijen: Je inlogcode"
    code = code_from(mailoutbox[0])

    response = client.post("/account/login/code/confirm/", {"code": code})
    assert response.status_code == 302 and response.headers["Location"] == "/account/mijn-gegevens/"
    page = client.get("/account/mijn-gegevens/").content.decode()
    assert "nieuw.inwoner@example.org" in page
    assert EmailAddress.objects.get(user=user).verified


def test_a_wrong_code_is_refused_and_five_wrong_codes_end_the_attempt(client, mailoutbox):
    resident = UserFactory(email="rita@example.org")
    request_code(client, "rita@example.org")
    code = code_from(mailoutbox[0])
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/account/login/code/confirm/", {"code": wrong})
    assert response.status_code == 200
    assert "code" in response.context["verify_form"].errors
    for _attempt in range(4):
        client.post("/account/login/code/confirm/", {"code": wrong})
    response = client.post("/account/login/code/confirm/", {"code": code})
    assert "_auth_user_id" not in client.session
    assert User.objects.get(pk=resident.pk).last_login is None


def test_asking_for_codes_too_often_is_throttled(client, mailoutbox):
    for _attempt in range(3):
        request_code(client, "veel@example.org")
        client.cookies.clear()  # as if from another browser: the limit is per address
    response = request_code(client, "veel@example.org")
    assert response.status_code == 200
    assert "te vaak" in response.content.decode().lower()
    assert len(mailoutbox) == 3


def test_staff_get_no_code_by_mail(client, mailoutbox):
    staff = with_second_factor(UserFactory(email="medewerker@example.org", is_staff=True))
    request_code(client, "medewerker@example.org")
    assert len(mailoutbox) == 1
    assert not re.search(r"^\s*\d{6}\s*$", mailoutbox[0].body, re.MULTILINE)
    assert "wachtwoord" in mailoutbox[0].body
    assert User.objects.filter(email="medewerker@example.org").count() == 1
    assert staff.pk and "_auth_user_id" not in client.session


def staff_user(**extra):
    user = UserFactory(email="jan@example.org", is_staff=True, **extra)
    user.groups.add(Group.objects.get(name="Gebiedsregisseur"))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in_with_password(client, email="jan@example.org", password=PASSWORD):
    return client.post("/account/login/", {"login": email, "password": password})


def test_staff_cannot_reach_admin_without_the_app_code(client):
    with_second_factor(staff_user())
    response = sign_in_with_password(client)
    assert response.headers["Location"] == "/account/2fa/authenticate/"
    # Password alone is not signed in: admin sends them back to the sign-in page.
    response = client.get(client.get("/beheer/").headers["Location"])
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login/")
    response = client.post("/account/2fa/authenticate/", {"code": "123456"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session

    response = client.post(
        "/account/2fa/authenticate/", {"code": current_totp_code(TEST_TOTP_SECRET)}
    )
    assert response.status_code == 302
    assert client.get("/beheer/").status_code == 200


def test_staff_without_an_app_must_set_one_up_first(client):
    staff_user()
    response = sign_in_with_password(client)
    for url in ["/beheer/", "/wijk-en-dorpenteams/", "/account/mijn-gegevens/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == "/account/2fa/totp/activate/"
    # Setting up an app asks for the password once more, then shows the QR code.
    response = client.get("/account/2fa/totp/activate/")
    assert response.headers["Location"].startswith("/account/reauthenticate/")
    response = client.post(response.headers["Location"], {"password": PASSWORD})
    assert response.headers["Location"] == "/account/2fa/totp/activate/"
    page = client.get("/account/2fa/totp/activate/")
    assert page.status_code == 200
    assert b"<svg" in page.content  # the QR code, inline (no data: image)


def test_five_wrong_passwords_lock_the_account_for_a_while(client):
    with_second_factor(staff_user())
    for _attempt in range(5):
        response = sign_in_with_password(client, password="fout wachtwoord")
        assert response.status_code == 200
    response = sign_in_with_password(client)
    assert response.status_code == 200
    assert "te vaak" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


def test_five_wrong_app_codes_lock_the_second_step(client):
    with_second_factor(staff_user())
    sign_in_with_password(client)
    good = current_totp_code(TEST_TOTP_SECRET)
    wrong = "000000" if good != "000000" else "111111"
    for _attempt in range(5):
        client.post("/account/2fa/authenticate/", {"code": wrong})
    response = client.post("/account/2fa/authenticate/", {"code": good})
    assert "_auth_user_id" not in client.session
    assert "te vaak" in response.content.decode().lower()


def test_a_resident_changes_their_name(client):
    resident = UserFactory(first_name="Rita", last_name="Jansen")
    client.force_login(resident)
    response = client.post(
        "/account/mijn-gegevens/", {"first_name": " Rita ", "last_name": "de Vries"}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.first_name, resident.last_name) == ("Rita", "de Vries")
    assert "Je naam is bewaard" in client.get("/account/mijn-gegevens/").content.decode()


def test_a_resident_changes_their_e_mail_address_with_a_code(client, mailoutbox):
    resident = UserFactory(email="oud@example.org")
    EmailAddress.objects.create(user=resident, email="oud@example.org", verified=True, primary=True)
    client.force_login(resident)
    response = client.post("/account/email/", {"action_add": "", "email": "nieuw@example.org"})
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["nieuw@example.org"]
    code = code_from(mailoutbox[-1])
    resident.refresh_from_db()
    assert resident.email == "oud@example.org"  # not before the code is typed
    response = client.post(response.headers["Location"], {"code": code})
    resident.refresh_from_db()
    assert resident.email == "nieuw@example.org"


def test_a_bad_new_address_gets_a_clear_error(client):
    client.force_login(UserFactory())
    response = client.post("/account/email/", {"action_add": "", "email": "geen-adres"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html and "geen-adres" in html


def test_the_throttling_cache_is_a_database_table_all_workers_share():
    from smederijen import settings as defaults
    from smederijen.cache import SharedTableCache

    assert defaults.CACHES["default"]["BACKEND"] == "smederijen.cache.SharedTableCache"
    shared = SharedTableCache(defaults.CACHES["default"]["LOCATION"], {})
    shared.set("allauth:rl:test", [1.0], 60)
    assert shared.get("allauth:rl:test") == [1.0]


def test_staff_who_remove_their_app_must_set_one_up_again(client):
    """The app is looked up once per session; removing it asks for a new one at once."""
    with_second_factor(staff_user())
    sign_in_with_password(client)
    client.post("/account/2fa/authenticate/", {"code": current_totp_code(TEST_TOTP_SECRET)})
    assert client.get("/wijk-en-dorpenteams/").status_code == 200
    response = client.post("/account/2fa/totp/deactivate/")
    if response.headers["Location"].startswith("/account/reauthenticate/"):
        client.post(response.headers["Location"], {"password": PASSWORD})
        response = client.post("/account/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(type=Authenticator.Type.TOTP).exists()
    response = client.get("/wijk-en-dorpenteams/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/2fa/totp/activate/"
