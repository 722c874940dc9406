"""Garbage posted to every form of the portal — random bytes, invalid UTF-8, huge fields, wrong
types, broken multipart, too many fields — gets a 4xx or the form again with its errors, never a
500, and never a half-saved row. Each form is posted as the role that may use it, on the demo data
(every state of an idea is there), so the garbage reaches the form's own checks."""

import io
import os
import random
import re
from functools import cache

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from budgets.models import Budget
from ideas.form_views import STEP_SLUGS
from ideas.models import Idea, Invitation, Meeting, Overleg
from ideas.review_actions import ACTIONS
from ideas.workflow import Status
from teams.models import User

pytestmark = pytest.mark.django_db

# Rows a garbage post may still leave: the session it runs in, a cache row, the audit trail of a
# page that was shown again (opening contact details), and mail.
MAY_GROW = {"sessions.session", "smederijen.auditevent", "mailer.message"}


# Forms whose every field may be left empty: any post confirms them, garbage too. They are posted
# for the 500 check; the row check does not apply.
CONFIRM_ONLY = (
    "/idee-indienen/",
    "/verwijderen/",
    "/afmelden/",
    # Review steps whose text fields are all optional: a post without them takes the step.
    "/oppakken/",
    "/goedkeuren/",
    "/starten/",
    "/gerealiseerd/",
)


@cache
def heavy_png() -> bytes:
    """49 megapixels in 19 KB: seconds of work to draw again, so refused before that."""
    out = io.BytesIO()
    Image.new("1", (7000, 7000), 1).save(out, format="PNG")
    return out.getvalue()


def garbage_files(name: str) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.7\n\xff\xfe geen pdf", "application/pdf"),
        SimpleUploadedFile(f"{name}.png", heavy_png(), "image/png"),
    ]


def garbage_payloads(field_names: list[str]) -> list[tuple[str, bytes | dict, str | None]]:
    rng = random.Random(20261202)
    names = field_names or ["title", "name", "email", "amount"]
    return [
        (
            "random bytes",
            bytes(rng.randrange(256) for _ in range(4096)),
            "application/x-www-form-urlencoded",
        ),
        (
            "invalid utf-8",
            b"&".join(n.encode() + b"=%FF%FE%C0%AF\xff\xfe" for n in names),
            "application/x-www-form-urlencoded",
        ),
        ("huge fields", dict.fromkeys(names, "x" * 200000), None),
        (
            "wrong types",
            {n: ["-1", "1e309", "NaN", "2026-13-45", "<script>", "\x00"] for n in names},
            None,
        ),
        (
            "too many fields",
            "&".join(f"f{i}=1" for i in range(1500)).encode(),
            "application/x-www-form-urlencoded",
        ),
        (
            "broken multipart",
            b'--XYZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n\xff\xfe',
            "multipart/form-data; boundary=XYZ",
        ),
        ("multipart without boundary", b"garbage", "multipart/form-data"),
        ("json instead of a form", b'{"title": [1, 2, {"a": null}]}', "application/json"),
        # A line break that would add a mail header, and an escape character in every field.
        ("control characters", dict.fromkeys(names, "Jan\r\nBcc: victim@evil.example\x1b"), None),
        ("too big a body", b"a=" + b"x" * (6 * 1024 * 1024), "application/x-www-form-urlencoded"),
        ("a broken PDF and a heavy photo", {n: garbage_files(n) for n in names}, None),
    ]


def field_names_of(html: str) -> list[str]:
    return sorted(
        set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', html))
        - {"csrfmiddlewaretoken"}
    )


def counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model.objects.count()
        for model in apps.get_models()
        if model._meta.label_lower not in MAY_GROW and model._meta.managed
    }


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False


def form_urls() -> list[tuple[str, str]]:
    """(who posts, address) for every form of the portal, on the demo data."""
    kees = User.objects.get(email="kees.deboer@example.org")
    concept = Idea.objects.filter(submitted_by=kees, status=Status.CONCEPT).first()
    question = Idea.objects.filter(submitted_by=kees, status=Status.AANVULLING_GEVRAAGD).first()
    public = Idea.objects.published().filter(status=Status.IN_BEHANDELING).first()
    krakeel = Idea.objects.filter(smederij__slug="krakeel").exclude(status=Status.CONCEPT).first()
    plan = Idea.objects.filter(status=Status.BIJ_STUURGROEP).first()
    meeting = Meeting.objects.order_by("-starts_at").first()
    budget = Budget.objects.filter(smederij__slug="krakeel").order_by("-year").first()
    overleg = Overleg.objects.get()
    invitation = Invitation.objects.filter(overleg=overleg).first()
    urls = [
        ("jan", reverse("ideas:overleg-new") + "?smederij=krakeel"),
        ("fatima", reverse("ideas:overleg", args=[overleg.public_id])),
        ("jan", reverse("ideas:overleg", args=[overleg.public_id])),
        (None, reverse("ideas:overleg-answer", args=[invitation.token])),
        (None, reverse("smederijen:contact")),
        (None, reverse("ideas:idea-start")),
        (None, reverse("ideas:idea-support", args=[public.reference])),
        (None, reverse("set_language")),
        (None, reverse("account_login")),
        (None, reverse("account_request_login_code")),
        ("kees", reverse("teams:my-details")),
        ("kees", reverse("ideas:idea-finish", args=[concept.public_id])),
        ("kees", reverse("ideas:my-idea", args=[question.public_id])),
        ("kees", reverse("teams:initiatiefgroep-leave", args=["initiatiefgroep-krakeel"])),
        ("fatima", reverse("ideas:inventory-detail", args=[krakeel.public_id])),
        ("sanne", reverse("ideas:review", args=[krakeel.public_id])),
        ("jan", reverse("budgets:budget-detail", args=[budget.smederij.slug, budget.year])),
        ("jan", reverse("ideas:meeting-new")),
        ("jan", reverse("ideas:meeting-attendance", args=[meeting.pk])),
        ("jan", reverse("ideas:meeting-decision", args=[meeting.pk, plan.public_id])),
        ("ingrid", reverse("ideas:assessment", args=[plan.public_id])),
        ("sanne", reverse("ideas:position", args=[plan.public_id])),
        ("jan", reverse("ideas:plan-funding", args=[plan.reference])),
        ("sanne", reverse("ideas:review-assign")),
        ("jan", reverse("budgets:open-year", args=[budget.year + 1])),
    ]
    urls += [("kees", reverse("ideas:idea-step", args=[concept.public_id, s])) for s in STEP_SLUGS]
    urls += [
        ("sanne", reverse("ideas:review-action", args=[krakeel.public_id, a])) for a in ACTIONS
    ]
    return urls


USERS = {
    "kees": "kees.deboer@example.org",
    "fatima": "fatima.elamrani@example.org",
    "sanne": "sanne.jonker@example.org",
    "jan": "jan.bouwmeester@example.org",
    "ingrid": "ingrid.mulder@example.org",
}


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # the heavy photo
def test_garbage_to_every_form_gets_a_clear_4xx_or_the_form_and_saves_nothing(demo, client):
    failures = []
    posted = 0
    for who, url in form_urls():
        client.logout()
        if who:
            client.force_login(User.objects.get(email=USERS[who]))
        page = client.get(url)
        names = field_names_of(page.content.decode(errors="replace"))
        for what, body, content_type in garbage_payloads(names):
            before = counts()
            try:
                if content_type is None:
                    response = client.post(url, body)
                else:
                    response = client.post(url, body, content_type=content_type)
            except Exception as error:  # noqa: BLE001 - an exception here is a 500 in production
                failures.append(f"{url} {what}: {type(error).__name__}: {error}"[:300])
                continue
            posted += 1
            if response.status_code >= 500:
                failures.append(f"{url} {what}: {response.status_code}")
            elif response.status_code == 400:
                assert b"<html" in response.content.lower() or response.content, url
            after = counts()
            grown = {k: (before[k], after[k]) for k in before if after[k] > before[k]}
            if grown and not url.endswith(CONFIRM_ONLY):
                failures.append(f"{url} {what}: rows added {grown}")
    assert posted > 200
    assert failures == [], "\n".join(failures)
