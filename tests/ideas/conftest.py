"""Fixtures and small helpers for the tests of the ideeformulier and the ideas pages."""

import html as html_lib
import re
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.urls import resolve, reverse

from ideas import permissions
from tests.factories import UserFactory
from tests.teams.conftest import organisations, people  # noqa: F401 (fixtures used here)

__all__ = ["organisations", "people"]


@pytest.fixture
def owner(db):
    """The resident whose ideas the tests are about (another resident is people's "resident")."""
    return UserFactory(first_name="Olga", last_name="Eigenaar", email="olga@example.org")


@pytest.fixture
def english(client):
    """The visitor chose English: errors show the source texts of ideas/forms.py."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def public_id_from(response) -> str:
    """The concept's id from the address a step redirects to."""
    return str(resolve(urlparse(response.headers["Location"]).path).kwargs["public_id"])


def start_concept(client) -> str:
    """Press "start" on the first page of the ideeformulier, as a browser does."""
    response = client.post(reverse("ideas:idea-start"))
    assert response.status_code == 302, response
    return public_id_from(response)


def give_session_concept(client, idea) -> None:
    """This browser started the concept (its id is in the session), as start_concept does."""
    session = client.session
    session[permissions.SESSION_KEY] = [
        *permissions.session_concepts(session),
        str(idea.public_id),
    ]
    session.save()


def step_url(idea_or_id, step: str) -> str:
    public_id = getattr(idea_or_id, "public_id", idea_or_id)
    return reverse("ideas:idea-step", kwargs={"public_id": public_id, "step": step})


def management_form(total: int, initial: int = 0) -> dict:
    return {
        "lines-TOTAL_FORMS": str(total),
        "lines-INITIAL_FORMS": str(initial),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }


def budget_data(lines: list[tuple[str, str]], *, initial: int = 0, blank: int = 1) -> dict:
    """The begroting as the money step posts it: the typed lines, then empty rows."""
    data = management_form(len(lines) + blank, initial)
    for i, (item, amount) in enumerate([*lines, *[("", "")] * blank]):
        data[f"lines-{i}-item"] = item
        data[f"lines-{i}-amount"] = amount
    return data


def tag_with_attribute(html: str, name: str, value_part: str) -> str | None:
    """The first opening tag whose attribute ``name`` contains ``value_part`` as a word."""
    for match in re.finditer(r"<(input|textarea|select|fieldset|div)\b[^>]*>", html):
        tag = match.group(0)
        attribute = re.search(rf'\s{name}="([^"]*)"', tag)
        if attribute and value_part in attribute.group(1).split():
            return tag
    return None


def assert_error_next_to(html: str, field_id: str, text: str) -> None:
    """The error sits next to its field (``<id>_error_1``) with ``text``, and the field (or its
    group) is marked invalid and points to it with aria-describedby."""
    error_id = f"{field_id}_error_1"
    match = re.search(rf'<[^>]*\sid="{re.escape(error_id)}"[^>]*>(.*?)</', html, re.S)
    assert match, f"no error element {error_id}"
    shown = html_lib.unescape(match.group(1))
    assert text in shown, f"{error_id}: {shown!r} does not contain {text!r}"
    described = tag_with_attribute(html, "aria-describedby", error_id)
    assert described, f"nothing has aria-describedby pointing to {error_id}"
    assert 'aria-invalid="true"' in described, described
