"""Sending in an idea, the way residents do it: step by step in the browser, signed in or with a
code by mail, and what follows (reference, history, mails, Mijn ideeën, withdrawing, answering
a question, and the limit on starting ideas)."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ideas import services
from ideas.models import Idea, StatusChange
from ideas.workflow import Status
from teams.models import User
from tests.ideas.conftest import budget_data, public_id_from, start_concept, step_url
from tests.ideas.factories import IdeaFactory, in_days, move, submitted_idea

pytestmark = pytest.mark.django_db


def steps(krakeel, *, email="rita@example.org") -> list[tuple[str, dict]]:
    """Every step of the ideeformulier as a resident fills it in, with the button they press."""
    return [
        (
            "plek",
            {
                "kind": "korte_klap",
                "smederij": str(krakeel.pk),
                "location": "Speelveld aan de Vijverlaan",
                "reach": "buurt",
                "target_group": "",
            },
        ),
        (
            "idee",
            {
                "title": "Picknicktafels bij de vijver",
                "summary": "Twee tafels om samen te eten.",
                "description": "Bij de vijver kun je nergens zitten.",
                "notions": ["ontmoeten"],
                "notions_explanation": "",
            },
        ),
        (
            "draagvlak",
            {
                "support_description": "De bewoners van de Vijverlaan",
                "supporters_estimate": "",
                "neighbours_involvement": "",
                "own_effort": "We verven de tafels zelf.",
            },
        ),
        (
            "geld",
            {
                "amount_requested": "750",
                "own_contribution": "",
                "other_funding": "",
                "other_funding_note": "",
                "start_date": in_days(30).isoformat(),
                "end_date": in_days(90).isoformat(),
                **budget_data([("Twee picknicktafels", "600"), ("Verf", "150")], blank=1),
            },
        ),
        ("bijlagen", {}),
        (
            "contact",
            {
                "submitter_kind": "inwoner",
                "organisation_name": "",
                "contact_name": "Rita de Vries",
                "contact_email": email,
                "contact_phone": "",
                "contact_address": "",
            },
        ),
    ]


def fill_in(client, public_id, krakeel, **kwargs) -> None:
    all_steps = steps(krakeel, **kwargs)
    following = [step for step, _data in all_steps[1:]] + ["versturen"]
    for (step, data), next_step in zip(all_steps, following, strict=True):
        response = client.post(step_url(public_id, step), {**data, "next": ""})
        assert response.status_code == 302, (step, response.context and response.context["form"])
        assert response.headers["Location"] == step_url(public_id, next_step)


CONSENT = {"accepted_conditions": "on", "accepted_privacy": "on", "website": "", "next": ""}


def code_from(message) -> str:
    return re.search(r"^\s*(\d{6})\s*$", message.body, re.MULTILINE).group(1)


# Signed in -----------------------------------------------------------------------------------


def test_a_signed_in_resident_sends_an_idea(
    client, people, owner, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    public_id = start_concept(client)
    fill_in(client, public_id, people["krakeel"])
    assert client.get(step_url(public_id, "versturen")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step_url(public_id, "versturen"), CONSENT)
        assert mailoutbox == []  # nothing is told before it is stored

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("ideas:idea-sent", args=[public_id])
    idea = Idea.objects.get(public_id=public_id)
    today = timezone.localdate()
    assert idea.status == Status.INGEDIEND
    assert idea.submitted_by == owner and idea.contact_email == owner.email
    assert idea.reference == f"{today.year}-0001"
    assert re.fullmatch(r"\d{4}-\d{4}", idea.reference)
    assert idea.decision_due == today + timedelta(weeks=6)
    assert [(h.from_status, h.to_status, h.actor) for h in idea.history.all()] == [
        (Status.CONCEPT, Status.INGEDIEND, owner)
    ]
    assert [line.item for line in idea.budget_lines.all()] == ["Twee picknicktafels", "Verf"]

    to_submitter = [m for m in mailoutbox if m.to == [owner.email]]
    assert len(to_submitter) == 1
    assert idea.reference in to_submitter[0].subject and idea.reference in to_submitter[0].body
    to_team = [m for m in mailoutbox if m.to != [owner.email]]
    assert len(to_team) == 1
    assert set(to_team[0].to) == {
        people["team_a"].email,
        people["users"]["wijkteam_a"].email,
        people["users"]["gebiedsregisseur"].email,
    }
    assert idea.reference in to_team[0].body
    # The other area's team hears nothing.
    assert people["team_b"].email not in str([m.to for m in mailoutbox])

    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and idea.reference in page.content.decode()


def test_decision_weeks_come_from_the_settings(people, owner, settings):
    settings.SMEDERIJEN_DECISION_WEEKS = 3
    idea = submitted_idea(smederij=people["krakeel"], submitted_by=owner)
    assert idea.decision_due == timezone.localdate() + timedelta(weeks=3)


def test_two_submissions_get_consecutive_references(people, owner):
    year = timezone.localdate().year
    first = submitted_idea(smederij=people["krakeel"], submitted_by=owner)
    second = submitted_idea(smederij=people["elim"])
    assert (first.reference, second.reference) == (f"{year}-0001", f"{year}-0002")
    assert second.number == first.number + 1


def test_an_incomplete_idea_is_not_sent(client, people, owner):
    client.force_login(owner)
    idea = IdeaFactory(smederij=people["krakeel"], submitted_by=owner, own_effort="")

    response = client.post(step_url(idea, "versturen"), CONSENT)

    assert response.status_code == 200
    idea.refresh_from_db()
    assert idea.status == Status.CONCEPT and idea.reference == ""
    # The page says which step still needs an answer.
    assert f'href="{step_url(idea, "draagvlak")}"' in response.content.decode()


def test_a_concept_saved_for_later_is_in_my_ideas(client, people, owner):
    client.force_login(owner)
    public_id = start_concept(client)
    data = dict(steps(people["krakeel"]))["idee"]

    response = client.post(step_url(public_id, "idee"), {**data, "save_and_stop": ""})

    assert response.status_code == 302 and response.headers["Location"] == reverse("ideas:my-ideas")
    html = client.get(reverse("ideas:my-ideas")).content.decode()
    assert "Picknicktafels bij de vijver" in html
    assert f'href="{step_url(public_id, "plek")}"' in html  # continue where you stopped
    assert Idea.objects.get(public_id=public_id).status == Status.CONCEPT


# Not signed in: the e-mail address is checked with a code ---------------------------------------


def test_a_visitor_sends_an_idea_after_confirming_the_e_mail_address(
    client, people, mailoutbox, django_capture_on_commit_callbacks
):
    public_id = start_concept(client)
    fill_in(client, public_id, people["krakeel"], email="nieuw@example.org")
    assert Idea.objects.get(public_id=public_id).submitted_by is None

    response = client.post(step_url(public_id, "versturen"), CONSENT)
    confirm_url = reverse("ideas:idea-confirm-email", args=[public_id])
    assert response.status_code == 302 and response.headers["Location"] == confirm_url
    assert Idea.objects.get(public_id=public_id).status == Status.CONCEPT

    # The page sends the address and the way back to allauth's "send me a code".
    page = client.get(confirm_url).content.decode()
    form = re.search(r'<form[^>]*action="([^"]+)"(?:(?!</form>).)*name="email"', page, re.S)
    action = form.group(1).replace("&amp;", "&")
    assert action.startswith(reverse("account_request_login_code"))
    finish_url = reverse("ideas:idea-finish", args=[public_id])
    assert f'value="{finish_url}"' in page and 'value="nieuw@example.org"' in page

    response = client.post(action, {"email": "nieuw@example.org", "next": finish_url})
    assert response.status_code == 302
    [code_mail] = mailoutbox
    assert code_mail.to == ["nieuw@example.org"]

    response = client.post(
        response.headers["Location"], {"code": code_from(code_mail), "next": finish_url}
    )
    assert response.status_code == 302 and response.headers["Location"] == finish_url
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(finish_url)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("ideas:idea-sent", args=[public_id])

    idea = Idea.objects.get(public_id=public_id)
    account = User.objects.get(email="nieuw@example.org")
    assert idea.status == Status.INGEDIEND and idea.submitted_by == account
    assert any(idea.reference in m.subject for m in mailoutbox if m.to == [account.email])
    my_ideas = client.get(reverse("ideas:my-ideas")).content.decode()
    assert "Picknicktafels bij de vijver" in my_ideas and idea.reference in my_ideas


def test_another_browser_cannot_open_a_visitors_concept(client, people):
    public_id = start_concept(client)
    fill_in(client, public_id, people["krakeel"])
    assert client.get(step_url(public_id, "idee")).status_code == 200

    other = Client()
    for step in ("plek", "idee", "geld", "contact", "versturen"):
        assert other.get(step_url(public_id, step)).status_code == 404
    response = other.post(step_url(public_id, "idee"), {"title": "Overgenomen", "next": ""})
    assert response.status_code == 404
    assert other.get(reverse("ideas:idea-confirm-email", args=[public_id])).status_code == 404
    assert Idea.objects.get(public_id=public_id).title == "Picknicktafels bij de vijver"


def test_a_signed_in_resident_cannot_open_someone_elses_concept(client, people, owner):
    idea = IdeaFactory(smederij=people["krakeel"], submitted_by=owner)
    client.force_login(people["users"]["resident"])
    assert client.get(step_url(idea, "plek")).status_code == 404


# After sending ---------------------------------------------------------------------------------


def test_the_submitter_can_withdraw_until_the_wijkteam_decides(client, people, owner):
    idea = submitted_idea(smederij=people["krakeel"], submitted_by=owner)
    client.force_login(owner)
    url = reverse("ideas:idea-withdraw", args=[idea.public_id])
    assert client.get(url).status_code == 200

    response = client.post(url, {"reason": "We doen het met de buurt zelf."})

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == Status.INGETROKKEN
    last = idea.history.last()
    assert (last.from_status, last.to_status, last.actor) == (
        Status.INGEDIEND,
        Status.INGETROKKEN,
        owner,
    )
    assert last.public_text == "We doen het met de buurt zelf."


def test_after_a_decision_the_idea_can_no_longer_be_withdrawn(client, people, owner):
    idea = submitted_idea(smederij=people["krakeel"], submitted_by=owner)
    move(idea, Status.IN_BEHANDELING, Status.GOEDGEKEURD, actor=people["users"]["wijkteam_a"])
    client.force_login(owner)

    response = client.post(reverse("ideas:idea-withdraw", args=[idea.public_id]), {"reason": ""})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("ideas:my-idea", args=[idea.public_id])
    idea.refresh_from_db()
    assert idea.status == Status.GOEDGEKEURD
    assert not idea.history.filter(to_status=Status.INGETROKKEN).exists()


def test_answering_the_wijkteams_question_puts_the_idea_back_in_review(
    client, people, owner, mailoutbox, django_capture_on_commit_callbacks
):
    idea = submitted_idea(smederij=people["krakeel"], submitted_by=owner)
    team = people["users"]["wijkteam_a"]
    move(idea, Status.IN_BEHANDELING, actor=team)
    move(idea, Status.AANVULLING_GEVRAAGD, actor=team, text="Hoeveel tafels komen er precies?")
    client.force_login(owner)
    my_idea = client.get(reverse("ideas:my-idea", args=[idea.public_id])).content.decode()
    assert "Hoeveel tafels komen er precies?" in my_idea

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            step_url(idea, "versturen"), {"answer": "Twee tafels met banken eraan."}
        )

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == Status.IN_BEHANDELING
    answer = idea.history.last()
    assert (answer.from_status, answer.to_status, answer.actor) == (
        Status.AANVULLING_GEVRAAGD,
        Status.IN_BEHANDELING,
        owner,
    )
    assert answer.public_text == "Twee tafels met banken eraan."
    assert [m for m in mailoutbox if people["team_a"].email in m.to]  # the team hears of it


def test_a_sent_idea_cannot_be_changed_through_the_steps(client, people, owner):
    idea = submitted_idea(smederij=people["krakeel"], submitted_by=owner, title="Vast plan")
    client.force_login(owner)

    response = client.post(step_url(idea, "idee"), {"title": "Stiekem anders", "next": ""})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("ideas:my-idea", args=[idea.public_id])
    assert Idea.objects.get(pk=idea.pk).title == "Vast plan"


# Too many ideas from one place -------------------------------------------------------------------


def test_the_31st_idea_started_from_one_address_within_an_hour_is_refused(client):
    for _n in range(30):
        start_concept(client)

    response = client.post(reverse("ideas:idea-start"))

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("ideas:idea-start")
    assert Idea.objects.count() == 30
    # Another address may still start one.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert public_id_from(other.post(reverse("ideas:idea-start")))


def test_the_limit_on_starting_ideas_follows_the_settings(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "idea_form": "2/h/ip"}
    start_concept(client)
    start_concept(client)

    response = client.post(reverse("ideas:idea-start"), follow=True)

    assert Idea.objects.count() == 2
    assert response.redirect_chain == [(reverse("ideas:idea-start"), 302)]
    assert len(list(response.context["messages"])) == 1


def test_services_refuse_to_send_twice(people, owner):
    idea = submitted_idea(smederij=people["krakeel"], submitted_by=owner)
    with pytest.raises(ValidationError):
        services.submit_idea(idea, actor=owner)
    assert StatusChange.objects.filter(idea=idea).count() == 1


def test_going_back_keeps_a_half_filled_step(client):
    """'Opslaan en terug' and the step links save what was typed, even when it is not complete."""
    public_id = start_concept(client)
    half = {"title": "Bankjes bij de vijver", "summary": "", "description": ""}
    response = client.post(step_url(public_id, "idee"), {**half, "back": ""})
    assert response.status_code == 302 and response["Location"] == step_url(public_id, "plek")
    idea = Idea.objects.get(public_id=public_id)
    assert idea.title == "Bankjes bij de vijver"

    more = {**half, "summary": "Twee bankjes."}
    response = client.post(step_url(public_id, "idee"), {**more, "goto": "geld"})
    assert response["Location"] == step_url(public_id, "geld")
    idea.refresh_from_db()
    assert idea.summary == "Twee bankjes."

    # A wrong date is not stored, not even on the way back: it is shown with its error.
    response = client.post(step_url(public_id, "geld"), {"start_date": "31-02-2027", "back": ""})
    assert response.status_code == 200
    assert 'id="id_start_date_error_1"' in response.content.decode()


def test_a_concept_continues_at_the_first_unfinished_step(client, people, owner):
    client.force_login(owner)
    public_id = start_concept(client)
    place = {
        "kind": "korte_klap",
        "smederij": people["krakeel"].pk,
        "location": "Vijver",
        "reach": "buurt",
    }
    assert client.post(step_url(public_id, "plek"), place).status_code == 302
    page = client.get(reverse("ideas:my-ideas")).content.decode()
    assert step_url(public_id, "idee") in page
