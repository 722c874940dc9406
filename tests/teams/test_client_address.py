"""Behind the proxy every request comes from one address; the visitor's own address comes from
the proxy's X-Forwarded-For (smederijen/clientip.py). Sign-in lock-outs and the portal's rate
limits key on it, so one attacker behind the proxy locks out nobody else, and a visitor who is
not the proxy cannot change his address by writing the header himself."""

import runpy
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from smederijen.clientip import client_ip
from tests.smederijen.test_settings import manage
from tests.teams.conftest import with_second_factor
from tests.teams.test_sign_in import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
ATTACKER, STAFF, VISITOR = "198.51.100.66", "198.51.100.77", "198.51.100.88"
CONTACT = {"name": "Olga", "email": "olga@example.org", "message": "Wanneer?", "website": ""}


@pytest.fixture
def behind_the_proxy(settings):
    settings.SMEDERIJEN_TRUSTED_PROXIES = [PROXY, "::1"]


def via_proxy(address: str) -> Client:
    """A browser at ``address`` whose requests reach the portal through the proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def test_an_attacker_behind_the_proxy_does_not_lock_out_a_staff_member(behind_the_proxy):
    with_second_factor(staff_user())
    attacker = via_proxy(ATTACKER)
    for attempt in range(21):
        attacker.post(
            reverse("account_login"), {"login": f"gok{attempt}@example.org", "password": "x"}
        )
    refused = attacker.post(reverse("account_login"), {"login": "gok@example.org", "password": "x"})
    assert "te vaak" in refused.content.decode().lower()  # the attacker himself is stopped

    response = via_proxy(STAFF).post(
        reverse("account_login"), {"login": "jan@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/2fa/authenticate/"  # on to the app code


def test_one_visitor_behind_the_proxy_does_not_use_up_the_contact_limit_of_all(
    behind_the_proxy, mailoutbox
):
    url = reverse("smederijen:contact")
    busy = via_proxy(ATTACKER)
    statuses = [busy.post(url, CONTACT).status_code for _ in range(11)]
    assert statuses == [302] * 10 + [200]  # "contact_form": "10/h/ip"

    assert via_proxy(VISITOR).post(url, CONTACT).status_code == 302
    assert len(mailoutbox) == 11


def test_a_forged_header_from_a_client_that_is_not_the_proxy_changes_nothing(
    behind_the_proxy, mailoutbox
):
    url = reverse("smederijen:contact")
    statuses = [
        Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        .post(url, CONTACT)
        .status_code
        for n in range(11)
    ]
    assert statuses == [302] * 10 + [200]  # one address, whatever the header says
    assert len(mailoutbox) == 10


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        # No proxy in between: the socket's address, whatever the header says.
        ("203.0.113.9", "", "203.0.113.9"),
        ("203.0.113.9", "192.0.2.1", "203.0.113.9"),
        # From the proxy: the address it saw, the last in the header.
        (PROXY, "198.51.100.66", "198.51.100.66"),
        # The visitor wrote a header himself: the proxy added the real address after it.
        (PROXY, "192.0.2.1, 198.51.100.66", "198.51.100.66"),
        (PROXY, "1.1.1.1, 2.2.2.2, 198.51.100.66", "198.51.100.66"),
        # Two proxies of ours (the load balancer adds the first proxy's view).
        (PROXY, "192.0.2.1, 198.51.100.66, 10.0.0.5", "198.51.100.66"),
        # With a port, in brackets, IPv6, an IPv4 address written as IPv6.
        (PROXY, "198.51.100.66:4711", "198.51.100.66"),
        (PROXY, "[2001:db8::7]:4711", "2001:db8::7"),
        (PROXY, "2001:db8::7", "2001:db8::7"),
        (PROXY, "::ffff:198.51.100.66", "198.51.100.66"),
        # Garbage where the proxy writes: the request counts as the proxy's own.
        (PROXY, "unknown", PROXY),
        (PROXY, "198.51.100.66, <script>", PROXY),
        # From the proxy without a header (its own health check).
        (PROXY, "", PROXY),
        # A Unix socket has no address: only the proxy on the server can reach it.
        ("", "198.51.100.66", "198.51.100.66"),
    ],
)
def test_the_visitors_address(behind_the_proxy, remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_networks_may_be_trusted(settings):
    settings.SMEDERIJEN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="198.51.100.66, 10.9.9.9"
    )
    assert client_ip(request) == "198.51.100.66"


def test_gunicorn_trusts_the_same_proxies(monkeypatch):
    monkeypatch.setenv("SMEDERIJEN_TRUSTED_PROXIES", "10.0.0.5,10.0.1.0/24")
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert config["forwarded_allow_ips"] == "10.0.0.5,10.0.1.0/24"


def test_a_proxy_that_is_no_address_stops_start_up_with_one_clear_line():
    result = manage("check", DJANGO_DEBUG="1", SMEDERIJEN_TRUSTED_PROXIES="127.0.0.1,nginx")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: SMEDERIJEN_TRUSTED_PROXIES: 'nginx' is no address or network."
    )


def test_only_the_proxy_may_say_the_visitor_came_over_https(behind_the_proxy, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    url = reverse("smederijen:about")
    through_proxy = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https").get(url)
    assert through_proxy.status_code == 200
    forged = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https").get(url)
    assert forged.status_code == 301  # plain HTTP: sent to HTTPS
    assert forged.headers["Location"].startswith("https://")
