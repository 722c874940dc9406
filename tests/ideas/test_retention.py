"""Retention with a frozen clock: `apply_retention(now=…)` is the nightly job at a chosen moment.
Just before a period ends nothing changes; just after it, exactly the due records are
anonymised or deleted, each closed idea gets a history note, and a second run changes nothing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ideas import services
from ideas.models import Idea, StatusChange, Support
from ideas.privacy import apply_retention, months_before
from smederijen.models import AuditEvent, ProgrammeSettings
from tests.ideas import test_transitions
from tests.ideas.conftest import owner  # noqa: F401 (the fixture world builds on)
from tests.ideas.factories import IdeaFactory, submitted_idea

pytestmark = pytest.mark.django_db

world = test_transitions.world
SECOND = timedelta(seconds=1)


def closed_on(idea: Idea) -> timezone.datetime:
    return idea.history.filter(to_status=idea.status).latest("at").at


@pytest.fixture
def case(world):
    member = world["users"]["wijkteam_a"]
    krakeel = world["krakeel"]
    rejected = services.reject(
        services.take_up(submitted_idea(smederij=krakeel, title="Afgewezen"), actor=member),
        actor=member,
        reason="Past niet in de voorwaarden.",
    )
    withdrawn = services.withdraw_idea(
        submitted_idea(
            smederij=krakeel, title="Ingetrokken", submitted_by=world["users"]["resident"]
        ),
        actor=world["users"]["resident"],
    )
    open_idea = services.take_up(submitted_idea(smederij=krakeel, title="Loopt nog"), actor=member)
    services.set_published(rejected, actor=member, published=True)
    services.set_published(open_idea, actor=member, published=True)
    # Supports given while the ideas were open: one confirmed on each, one never confirmed.
    on_rejected = Support.objects.create(
        idea=rejected, name="Piet Steun", email="piet@example.org", street="Kerkstraat"
    )
    on_rejected.confirmed_at = timezone.now()
    on_rejected.save()
    on_open = Support.objects.create(
        idea=open_idea,
        name="Kim Steun",
        email="kim@example.org",
        street="Dorpsstraat",
        confirmed_at=timezone.now(),
    )
    unconfirmed = Support.objects.create(
        idea=open_idea, name="Nog Niet", email="nognie@example.org", street="Hoofdstraat"
    )
    concept = IdeaFactory(smederij=krakeel, title="Vergeten concept")
    return {
        "rejected": rejected,
        "withdrawn": withdrawn,
        "open": open_idea,
        "on_rejected": on_rejected,
        "on_open": on_open,
        "unconfirmed": unconfirmed,
        "concept": concept,
    }


def snapshot():
    return (
        list(Idea.objects.order_by("pk").values_list("pk", "contact_email", "submitted_by")),
        list(Support.objects.order_by("pk").values_list("pk", "name", "email", "street")),
        StatusChange.objects.count(),
    )


def test_just_before_the_periods_nothing_changes(case):
    concept = Idea.objects.get(pk=case["concept"].pk)
    short_due = min(case["unconfirmed"].created_at, concept.updated_at) + timedelta(days=30)
    before = snapshot()
    report = apply_retention(now=short_due - SECOND)
    assert snapshot() == before
    assert report.ideas == [] and report.supports_deleted == report.concepts_deleted == 0

    first_closed = min(closed_on(case["rejected"]), closed_on(case["withdrawn"]))
    report = apply_retention(now=first_closed.replace(year=first_closed.year + 2) - SECOND)
    assert report.ideas == [] and report.supports_anonymised == 0
    assert Idea.objects.get(pk=case["rejected"].pk).contact_email


def test_just_after_the_short_period_only_unconfirmed_supports_and_concepts_go(case):
    periods = ProgrammeSettings.load()
    moment = Idea.objects.get(pk=case["concept"].pk).updated_at + timedelta(
        days=periods.retention_unconfirmed_days
    )
    moment = max(moment, case["unconfirmed"].created_at + timedelta(days=30)) + SECOND
    report = apply_retention(now=moment)
    assert report.supports_deleted == 1 and report.concepts_deleted == 1
    assert not Support.objects.filter(pk=case["unconfirmed"].pk).exists()
    assert not Idea.objects.filter(pk=case["concept"].pk).exists()
    assert report.ideas == []  # two years are not over
    assert Support.objects.get(pk=case["on_rejected"].pk).name == "Piet Steun"


def test_just_after_two_years_exactly_the_closed_ideas_and_their_supports_are_anonymised(case):
    rejected, withdrawn, open_idea = case["rejected"], case["withdrawn"], case["open"]
    last_closed = max(closed_on(rejected), closed_on(withdrawn))
    # Two years after the last of them closed: 24 months is the default.
    moment = last_closed.replace(year=last_closed.year + 2) + SECOND
    history_before = {i.pk: i.history.count() for i in (rejected, withdrawn, open_idea)}

    report = apply_retention(now=moment)

    assert sorted(report.ideas) == sorted([rejected.reference, withdrawn.reference])
    for idea in (rejected, withdrawn):
        idea.refresh_from_db()
        assert idea.contact_name == idea.contact_email == idea.contact_phone == ""
        assert idea.contact_address == "" and idea.submitted_by is None
        assert idea.personal_data_removed_at == moment
        assert idea.history.count() == history_before[idea.pk] + 1
        note = idea.history.latest("at")
        assert note.from_status == note.to_status == idea.status
        assert "bewaartermijn" in note.internal_note and note.actor is None
    open_idea.refresh_from_db()
    assert open_idea.contact_email and open_idea.submitted_by is not None
    assert open_idea.history.count() == history_before[open_idea.pk]
    on_rejected = Support.objects.get(pk=case["on_rejected"].pk)
    assert (on_rejected.name, on_rejected.street) == ("", "")
    assert on_rejected.email.endswith("@verwijderd.invalid") and on_rejected.confirmed_at
    assert Support.objects.get(pk=case["on_open"].pk).name == "Kim Steun"
    assert services.support_count(rejected) == 1  # it still counts
    assert AuditEvent.objects.filter(action="privacy.retention").count() == 1
    # The trail named the ideas by their titles when staff acted; now by reference only.
    assert set(
        AuditEvent.objects.filter(
            object_id=str(rejected.pk), action__startswith="ideas."
        ).values_list("object_repr", flat=True)
    ) == {rejected.reference}

    # The next night there is nothing left to do.
    before = snapshot()
    again = apply_retention(now=moment + timedelta(days=1))
    assert again.ideas == [] and again.supports_anonymised == 0
    assert snapshot() == before


def test_the_periods_are_set_in_admin_and_old_audit_rows_go(case):
    periods = ProgrammeSettings.load()
    periods.retention_closed_months = 6
    periods.audit_retention_months = 12
    periods.save()
    rejected = case["rejected"]
    now = timezone.now()
    old = AuditEvent.objects.create(action="ideas.approve", kind="wijziging", source="portaal")
    AuditEvent.objects.filter(pk=old.pk).update(at=months_before(now, 12) - SECOND)
    moment = closed_on(rejected)
    report = apply_retention(now=months_before(moment, -6) + SECOND)
    assert rejected.reference in report.ideas
    assert report.audit_rows_deleted >= 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


def test_the_command_for_cron_reports_what_it_did(case, capsys):
    call_command("apply_retention")
    out = capsys.readouterr().out
    assert "0 ideas anonymised" in out


def test_the_privacy_statement_tells_the_periods_set_in_admin(client, django_assert_num_queries):
    periods = ProgrammeSettings.load()
    periods.retention_closed_months = 18
    periods.retention_unconfirmed_days = 45
    periods.save()
    with django_assert_num_queries(1):
        html = client.get("/privacy/").content.decode()
    assert "tot 18 maanden nadat het idee is afgerond" in html
    assert "45 dagen" in html and "Het logboek: 36 maanden." in html
