"""The programme's settings in admin: one row, the decision term, and who may change it.

Support staff (Ondersteuning) and superusers keep the decision term; a change counts for the ideas
sent from then on. The row is never added twice or deleted: the list opens the one row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.models import Idea
from smederijen.models import ProgrammeSettings
from tests.factories import UserFactory
from tests.ideas.factories import submitted_idea
from tests.teams.conftest import (  # noqa: F401 (fixtures used here)
    organisations,
    people,
    with_second_factor,
)

__all__ = ["organisations", "people"]

pytestmark = pytest.mark.django_db

CHANGELIST = "/beheer/smederijen/programmesettings/"
ADD = "/beheer/smederijen/programmesettings/add/"


def change_url(settings_row) -> str:
    return f"/beheer/smederijen/programmesettings/{settings_row.pk}/change/"


@pytest.mark.parametrize("role", ["ondersteuning", "superuser"])
def test_the_decision_term_is_edited_in_admin_and_counts_for_ideas_sent_afterwards(
    client, people, role, settings
):
    settings.SMEDERIJEN_DECISION_WEEKS = 6
    before = submitted_idea(smederij=people["krakeel"])
    assert before.decision_due == timezone.localdate() + timedelta(weeks=6)
    client.force_login(people["users"][role])

    response = client.get(CHANGELIST)
    row = ProgrammeSettings.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == change_url(row)
    assert client.get(change_url(row)).status_code == 200

    response = client.post(
        change_url(row),
        {
            "decision_weeks": "3",
            "quorum_percent": "50",
            "quorum_needs_resident": "on",
            "retention_closed_months": "24",
            "retention_unconfirmed_days": "30",
            "question_reminder_days": "14",
            "meeting_reminder_days": "3",
            "audit_retention_months": "36",
        },
    )
    assert response.status_code == 302
    assert ProgrammeSettings.objects.count() == 1
    assert ProgrammeSettings.load().decision_weeks == 3

    after = submitted_idea(smederij=people["krakeel"])
    assert after.decision_due == timezone.localdate() + timedelta(weeks=3)
    # An idea sent before keeps its date.
    assert Idea.objects.get(pk=before.pk).decision_due == before.decision_due


def test_the_list_makes_the_row_with_the_default_the_first_time(client, people, settings):
    settings.SMEDERIJEN_DECISION_WEEKS = 8
    assert not ProgrammeSettings.objects.exists()
    client.force_login(people["users"]["superuser"])
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert ProgrammeSettings.objects.get().decision_weeks == 8


def test_there_is_only_one_row_it_is_not_added_again_or_deleted(client, people):
    row = ProgrammeSettings.load()
    client.force_login(people["users"]["superuser"])
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"decision_weeks": "4"}).status_code == 403
    delete = f"/beheer/smederijen/programmesettings/{row.pk}/delete/"
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ProgrammeSettings.objects.count() == 1
    html = client.get(change_url(row)).content.decode()
    assert delete not in html


@pytest.mark.parametrize("weeks", ["0", "53", "drie", ""])
def test_a_term_outside_1_to_52_weeks_is_refused(client, people, weeks):
    row = ProgrammeSettings.load()
    client.force_login(people["users"]["ondersteuning"])
    response = client.post(change_url(row), {"decision_weeks": weeks})
    assert response.status_code == 200
    assert "decision_weeks" in response.context["adminform"].form.errors
    assert ProgrammeSettings.load().decision_weeks == row.decision_weeks


@pytest.mark.parametrize(
    "role, expected",
    [
        ("resident", 302),  # to the admin's sign-in page
        ("wijkteam_a", 302),
        ("initiatiefgroep_member", 302),
    ],
)
def test_people_without_admin_access_do_not_get_in(client, people, role, expected):
    row = ProgrammeSettings.load()
    client.force_login(people["users"][role])
    for url in (CHANGELIST, change_url(row)):
        response = client.get(url)
        assert response.status_code == expected
        assert "/login/" in response.headers["Location"]
    client.post(change_url(row), {"decision_weeks": "1"})
    assert ProgrammeSettings.load().decision_weeks == row.decision_weeks


def test_staff_without_the_permission_may_not_change_the_term(client, db):
    row = ProgrammeSettings.load()
    staff = with_second_factor(UserFactory(is_staff=True))
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(row)).status_code == 403
    assert client.post(change_url(row), {"decision_weeks": "1"}).status_code == 403
    assert ProgrammeSettings.load().decision_weeks == row.decision_weeks
