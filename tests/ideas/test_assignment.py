"""Who handles an idea (issue 20, item 2): a behandelaar from the area's team, assigned or
reassigned through one service with a history row and a mail; the werkvoorraad filter "Aan mij
toegewezen"; several ideas taken up and assigned at once."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ideas import services
from ideas.models import Assignment, Idea, StatusChange
from ideas.workflow import Status
from smederijen.models import AuditEvent
from tests.ideas.test_review_pages import (
    IDEA_ROLES,
    outcome,
    post,
    review_url,
    sign_in,
    world,
)

__all__ = ["post", "world"]  # fixtures

ASSIGN_MANY = "/werkvoorraad/toewijzen/"


def fresh(idea) -> Idea:
    return Idea.objects.get(pk=idea.pk)


def test_the_team_gives_an_idea_to_a_colleague_who_gets_a_mail(
    world, django_capture_on_commit_callbacks
):
    users = world["people"]["users"]
    idea = world["ideas"]["new"]
    # The one who assigns browses in English; the colleague's mail is in the site's Dutch.
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.assign(idea, actor=users["gebiedsregisseur"], behandelaar=users["wijkteam_a"])
    assert fresh(idea).behandelaar == users["wijkteam_a"]
    row = Assignment.objects.get(idea=idea)
    assert (row.behandelaar, row.assigned_by) == (users["wijkteam_a"], users["gebiedsregisseur"])
    [event] = AuditEvent.objects.filter(object_id=str(idea.pk), action__startswith="ideas.")
    assert (event.action, event.actor) == ("ideas.assign", users["gebiedsregisseur"])
    [message] = mail.outbox
    assert message.to == [users["wijkteam_a"].email]
    assert message.subject == f"De Smederijen: jij behandelt idee {idea.reference}"
    assert f"/werkvoorraad/{idea.public_id}/" in message.body
    assert "Jan Bouwmeester vraagt je om idee" in message.body


def test_choosing_yourself_or_the_same_person_again_sends_no_mail(
    world, django_capture_on_commit_callbacks
):
    member = world["people"]["users"]["wijkteam_a"]
    idea = world["ideas"]["new"]
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(idea, actor=member, behandelaar=member)
        services.assign(idea, actor=member, behandelaar=member)
    assert mail.outbox == []
    assert Assignment.objects.filter(idea=idea).count() == 1


def test_only_someone_of_the_areas_team_can_handle_an_idea(world):
    users = world["people"]["users"]
    idea = world["ideas"]["new"]
    # Ruud works in Elim, not in Krakeel; a resident works nowhere.
    for person in (users["wijkteam_b"], users["resident"]):
        with pytest.raises(ValidationError):
            services.assign(idea, actor=users["wijkteam_a"], behandelaar=person)
    # Someone of another area may not choose for Krakeel at all.
    with pytest.raises(PermissionDenied):
        services.assign(idea, actor=users["wijkteam_b"], behandelaar=users["wijkteam_b"])
    assert fresh(idea).behandelaar is None and not Assignment.objects.exists()


def test_a_closed_idea_gets_no_behandelaar(world):
    member = world["people"]["users"]["wijkteam_a"]
    idea = services.reject(world["ideas"]["taken"], actor=member, reason="Past niet.")
    with pytest.raises(ValidationError):
        services.assign(idea, actor=member, behandelaar=member)


def test_the_review_page_shows_who_handles_it_and_its_history(client, post, world):
    users = world["people"]["users"]
    idea = world["ideas"]["taken"]
    client.force_login(users["gebiedsregisseur"])
    html = client.get(review_url(idea)).content.decode()
    assert "Nog niemand behandelt dit idee." in html
    # The list offers the people of Krakeel's team and its gebiedsregisseur, not Elim's.
    options = re.findall(r'<option value="(\d+)"', html)
    assert str(users["wijkteam_a"].pk) in options and str(users["wijkteam_b"].pk) not in options

    response = post(
        review_url(idea), {"assign": "1", "assign-behandelaar": str(users["wijkteam_a"].pk)}
    )
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).content.decode()
    assert "<strong>Sanne Jonker</strong> behandelt dit idee." in html
    assert "gekozen door Jan Bouwmeester" in html
    assert len(mail.outbox) == 1

    response = post(review_url(idea), {"assign_me": "1"})
    assert fresh(idea).behandelaar == users["gebiedsregisseur"]
    assert Assignment.objects.filter(idea=idea).count() == 2


def test_someone_of_another_area_in_the_list_is_refused_next_to_the_field(client, world):
    users = world["people"]["users"]
    idea = world["ideas"]["taken"]
    client.force_login(users["wijkteam_a"])
    response = client.post(
        review_url(idea), {"assign": "1", "assign-behandelaar": str(users["wijkteam_b"].pk)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies een van de mensen in de lijst." in html
    assert 'aria-invalid="true"' in html
    assert fresh(idea).behandelaar is None


def test_the_werkvoorraad_shows_the_behandelaar_and_filters_on_me(client, world):
    users = world["people"]["users"]
    ideas = world["ideas"]
    services.assign(ideas["taken"], actor=users["wijkteam_a"], behandelaar=users["wijkteam_a"])
    services.assign(
        ideas["approved"], actor=users["wijkteam_a"], behandelaar=users["gebiedsregisseur"]
    )
    client.force_login(users["wijkteam_a"])
    html = client.get("/werkvoorraad/").content.decode()
    assert "1 idee is aan jou toegewezen." in html
    assert "Sanne Jonker" in html and "Jan Bouwmeester" in html
    mine = client.get("/werkvoorraad/?behandelaar=mij").content.decode()
    listed = set(re.findall(r'href="/werkvoorraad/([0-9a-f-]{36})/"', mine))
    assert listed == {str(ideas["taken"].public_id)}
    nobody = client.get("/werkvoorraad/?behandelaar=niemand").content.decode()
    listed = set(re.findall(r'href="/werkvoorraad/([0-9a-f-]{36})/"', nobody))
    assert str(ideas["new"].public_id) in listed
    assert not listed & {str(ideas["taken"].public_id), str(ideas["approved"].public_id)}
    # Mijn werk lists it too.
    work = client.get("/account/mijn-werk/").content.decode()
    assert re.search(r'data-work="mine">.*?<span class="my-work__count">1</span>', work, re.S)


def test_several_ideas_are_taken_up_and_assigned_at_once(client, post, world):
    users = world["people"]["users"]
    ideas = world["ideas"]
    client.force_login(users["gebiedsregisseur"])
    response = post(
        ASSIGN_MANY,
        {
            "idee": [str(ideas["new"].public_id), str(ideas["taken"].public_id)],
            "behandelaar": str(users["wijkteam_a"].pk),
            "take_up": "on",
            "next": "/werkvoorraad/?status=open",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/werkvoorraad/?status=open"
    new, taken = fresh(ideas["new"]), fresh(ideas["taken"])
    assert new.behandelaar == taken.behandelaar == users["wijkteam_a"]
    assert new.status == Status.IN_BEHANDELING  # taken up
    html = client.get(response.headers["Location"]).content.decode()
    assert "2 ideeën worden nu behandeld door Sanne Jonker. 1 nieuw idee is opgepakt." in html
    # One mail per idea to Sanne, one to the submitter whose idea was taken up.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [users["wijkteam_a"].email] * 2 + [new.contact_email]
    )


def test_choosing_nothing_keeps_what_was_chosen_and_says_what_is_missing(client, world):
    users = world["people"]["users"]
    idea = world["ideas"]["new"]
    client.force_login(users["wijkteam_a"])
    response = client.post(ASSIGN_MANY, {"idee": [str(idea.public_id)], "behandelaar": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies wie de ideeën behandelt." in html
    # The chosen idea is still ticked: nothing is lost.
    assert re.search(rf'value="{idea.public_id}"[^>]*checked', html)
    response = client.post(ASSIGN_MANY, {"behandelaar": str(users["wijkteam_a"].pk)})
    assert "Kies minstens één idee in de lijst." in response.content.decode()
    assert not Assignment.objects.exists()


def test_garbage_to_the_bulk_form_gets_the_form_with_errors(client, world):
    client.force_login(world["people"]["users"]["wijkteam_a"])
    for data in (
        {"idee": ["not-a-uuid"], "behandelaar": "x"},
        {"idee": ["00000000-0000-0000-0000-000000000000"], "behandelaar": "999999"},
        {"idee": "\x00", "behandelaar": "1\x00"},
    ):
        response = client.post(ASSIGN_MANY, data)
        assert response.status_code == 200, data
    assert client.get(ASSIGN_MANY).status_code == 405
    assert not Assignment.objects.exists()


# owner, anonymous, resident, ig member, team A, team B, stuurgroep, regisseur, support, superuser
# Team B may use the form, but Krakeel's idea is not among its choices: the form with an error.
ASSIGN_MANY_BY_ROLE = [403, "login", 403, 403, 302, 200, 403, 302, 403, 302]


@pytest.mark.parametrize("role", IDEA_ROLES)
def test_who_may_assign_several_ideas(client, world, owner, role):
    users = world["people"]["users"]
    sign_in(client, world["people"], owner, role)
    idea = world["ideas"]["new"]
    response = client.post(
        ASSIGN_MANY,
        {"idee": [str(idea.public_id)], "behandelaar": str(users["wijkteam_a"].pk)},
    )
    expected = ASSIGN_MANY_BY_ROLE[IDEA_ROLES.index(role)]
    assert outcome(response) == expected
    assert (fresh(idea).behandelaar is not None) is (expected == 302)
    assert StatusChange.objects.filter(idea=idea).count() == 1  # not taken up: not asked


def test_assigning_on_the_review_page_is_rate_limited_by_address(client, world, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "staff_bulk": "1/m/ip"}
    users = world["people"]["users"]
    idea = world["ideas"]["taken"]
    client.force_login(users["wijkteam_a"])
    client.post(review_url(idea), {"assign_me": "1"})
    response = client.post(
        review_url(idea), {"assign": "1", "assign-behandelaar": str(users["gebiedsregisseur"].pk)}
    )
    assert response.status_code == 302
    assert fresh(idea).behandelaar == users["wijkteam_a"]  # the second was refused
    html = client.get(response.headers["Location"]).content.decode()
    assert "Je hebt het te vaak geprobeerd" in html


def test_admin_shows_who_handles_an_idea(client, world):
    users = world["people"]["users"]
    idea = world["ideas"]["taken"]
    services.assign(idea, actor=users["gebiedsregisseur"], behandelaar=users["wijkteam_a"])
    client.force_login(users["gebiedsregisseur"])
    listed = client.get("/beheer/ideas/idea/").content.decode()
    assert "Behandelaar" in listed and "Sanne Jonker" in listed
    page = client.get(f"/beheer/ideas/idea/{idea.pk}/change/").content.decode()
    assert "Sanne Jonker" in page
    # Read only there: the behandelaar changes through the service only.
    assert 'name="behandelaar"' not in page
