"""The stuurgroep decides on a lange-klap plan in a meeting: the quorum and the votes as tables.

The stuurgroep here has all ten seats taken (six organisations, four residents; the chair holds
an organisation seat). A decision is allowed or refused with a clear message; a refused one
changes nothing (no decision row, no history, no status change, no mail).
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from ideas import services as idea_services
from ideas.models import Idea, Kind, StatusChange, StuurgroepDecision
from ideas.workflow import Status
from smederijen.models import ProgrammeSettings
from teams import services
from teams.models import Organisation, SeatType
from tests.factories import OrganisationFactory, UserFactory
from tests.ideas.factories import move, submitted_idea

pytestmark = pytest.mark.django_db

REASON = "Veel steun van bewoners en van de organisaties in de wijk."


@pytest.fixture
def board(people, organisations):
    """The full stuurgroep, a plan of Krakeel with it, and a meeting with the plan on the agenda."""
    stuurgroep = people["stuurgroep"]
    orgs = list(organisations.values()) + [
        OrganisationFactory(name="Woonconcept", kind=Organisation.Kind.WONINGCORPORATIE),
        OrganisationFactory(name="Stichting Sport", kind=Organisation.Kind.WELZIJN),
    ]
    chair_user = UserFactory(first_name="Carla", last_name="Voorzitter")
    org_members = [
        services.seat_stuurgroep_member(
            stuurgroep,
            seat_type=SeatType.ORGANISATION,
            name=f"Lid {org.name}",
            organisation=org,
            user=chair_user if n == 0 else UserFactory(),
            is_chair=n == 0,
            term_start=date(2025, 1, 1),
        )
        for n, org in enumerate(orgs)
    ]
    residents = [people["stuurgroep"].members.get(seat_type=SeatType.RESIDENT)] + [
        services.seat_stuurgroep_member(
            stuurgroep,
            seat_type=SeatType.RESIDENT,
            name=f"Bewoner {n}",
            smederij=people["krakeel"],
            user=UserFactory(),
            term_start=date(2025, 1, 1),
        )
        for n in range(3)
    ]
    member = people["users"]["wijkteam_a"]
    idea = submitted_idea(smederij=people["krakeel"], kind=Kind.LANGE_KLAP)
    idea = move(idea, Status.IN_BEHANDELING, Status.BIJ_STUURGROEP, actor=member)
    meeting = idea_services.plan_meeting(
        stuurgroep, actor=chair_user, starts_at=timezone.now(), place="Raadhuis", ideas=[idea]
    )
    return {
        "idea": idea,
        "meeting": meeting,
        "chair": chair_user,
        "orgs": org_members,
        "residents": residents,
        "people": people,
    }


def attend(board, organisations: int, residents: int) -> None:
    present = board["orgs"][:organisations] + board["residents"][:residents]
    idea_services.record_attendance(board["meeting"], actor=board["chair"], present_members=present)


def snapshot(idea):
    fresh = Idea.objects.get(pk=idea.pk)
    return (
        fresh.status,
        StatusChange.objects.filter(idea=idea).count(),
        StuurgroepDecision.objects.count(),
    )


# The quorum: more than the set share of the seated members present, and a resident among them.
QUORUM = [
    # (organisation members present, resident members present, percent, resident needed, allowed)
    (5, 1, 50, True, True),  # 6 of 10: more than half
    (4, 1, 50, True, False),  # 5 of 10: exactly half is not enough
    (6, 0, 50, True, False),  # no resident member
    (6, 0, 50, False, True),  # ... unless the rule does not ask for one
    (6, 4, 50, True, True),  # everyone
    (5, 1, 60, True, False),  # 6 of 10 is not more than 60 %
    (5, 2, 60, True, True),  # 7 of 10 is
    (0, 0, 50, True, False),  # nobody came
]


@pytest.mark.parametrize("orgs, residents, percent, needs_resident, allowed", QUORUM)
def test_quorum_table(board, mailoutbox, orgs, residents, percent, needs_resident, allowed):
    ProgrammeSettings.objects.update_or_create(
        pk=1,
        defaults={
            "decision_weeks": 6,
            "quorum_percent": percent,
            "quorum_needs_resident": needs_resident,
        },
    )
    attend(board, orgs, residents)
    voters = orgs + residents
    before = snapshot(board["idea"])
    quorum = idea_services.quorum_of(board["meeting"])
    assert quorum.ok is allowed
    with translation.override("en"):
        if allowed:
            idea_services.decide(
                board["idea"],
                board["meeting"],
                actor=board["chair"],
                outcome="positief",
                public_reason=REASON,
                votes_for=voters,
                votes_against=0,
            )
            assert Idea.objects.get(pk=board["idea"].pk).status == Status.FINANCIERING
        else:
            with pytest.raises(ValidationError, match="There is no quorum"):
                idea_services.decide(
                    board["idea"],
                    board["meeting"],
                    actor=board["chair"],
                    outcome="positief",
                    public_reason=REASON,
                    votes_for=voters,
                    votes_against=0,
                )
            assert snapshot(board["idea"]) == before


# The votes, with 7 present (6 organisation members, 1 resident): (outcome, for, against,
# abstentions, conflicts declared) → the status it leads to, or the start of the refusal.
VOTES = [
    ("positief", 5, 1, 1, 0, Status.FINANCIERING),
    ("positief", 3, 3, 1, 0, "A positive decision needs more votes for"),
    ("negatief", 2, 5, 0, 0, Status.AFGEWEZEN),
    ("negatief", 3, 3, 1, 0, Status.AFGEWEZEN),
    ("negatief", 4, 3, 0, 0, "A negative decision cannot have more votes for"),
    ("aanhouden", 3, 3, 1, 0, Status.IN_BEHANDELING),
    ("positief", 5, 1, 0, 0, "7 members present may vote"),  # one vote missing
    ("positief", 5, 1, 0, 1, Status.FINANCIERING),  # one member has a conflict: 6 vote
    ("positief", 5, 1, 1, 1, "6 members present may vote"),  # ... and cannot vote anyway
    ("positief", 6, -1, 2, 0, "Fill in the votes"),
    ("unknown", 7, 0, 0, 0, "Choose the decision"),
]


@pytest.mark.parametrize("outcome, for_, against, abstain, conflicts, expected", VOTES)
def test_voting_table(
    board,
    mailoutbox,
    django_capture_on_commit_callbacks,
    outcome,
    for_,
    against,
    abstain,
    conflicts,
    expected,
):
    attend(board, 6, 1)
    for member in board["orgs"][:conflicts]:
        idea_services.assess(
            board["idea"], actor=member.user, has_conflict=True, conflict_note="Buurman"
        )
    before = snapshot(board["idea"])
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        call = lambda: idea_services.decide(  # noqa: E731
            board["idea"],
            board["meeting"],
            actor=board["chair"],
            outcome=outcome,
            public_reason=REASON,
            votes_for=for_,
            votes_against=against,
            abstentions=abstain,
        )
        if expected in Status.values:
            decision = call()
            assert (decision.votes_for, decision.votes_against) == (for_, against)
        else:
            with pytest.raises(ValidationError, match=expected):
                call()
    if expected in Status.values:
        idea = Idea.objects.get(pk=board["idea"].pk)
        assert idea.status == expected
        assert idea.history.last().public_text == REASON
        # The submitter and the area's team are told, once each.
        assert len([m for m in mailoutbox if idea.contact_email in m.to]) == 1
        team = board["people"]["users"]["wijkteam_a"].email
        assert len([m for m in mailoutbox if team in m.to]) == 1
    else:
        assert snapshot(board["idea"]) == before
        assert mailoutbox == []


@pytest.mark.parametrize("reason", ["", "   "])
def test_no_decision_without_a_public_reason(board, reason):
    attend(board, 6, 1)
    before = snapshot(board["idea"])
    with translation.override("en"), pytest.raises(ValidationError, match="Write the reason"):
        idea_services.decide(
            board["idea"],
            board["meeting"],
            actor=board["chair"],
            outcome="positief",
            public_reason=reason,
            votes_for=7,
            votes_against=0,
        )
    assert snapshot(board["idea"]) == before


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("chair", True),
        ("gebiedsregisseur", True),  # the secretary of the plan's area
        ("stuurgroep_member", False),  # a member, not the chair
        ("wijkteam_a", False),
        ("resident", False),
        ("ondersteuning", False),
    ],
)
def test_who_records_the_decision(board, who, allowed):
    attend(board, 6, 1)
    actor = board["chair"] if who == "chair" else board["people"]["users"][who]
    before = snapshot(board["idea"])
    decide = lambda: idea_services.decide(  # noqa: E731
        board["idea"],
        board["meeting"],
        actor=actor,
        outcome="positief",
        public_reason=REASON,
        votes_for=7,
        votes_against=0,
    )
    if allowed:
        decide()
        assert Idea.objects.get(pk=board["idea"].pk).status == Status.FINANCIERING
    else:
        with pytest.raises(PermissionDenied):
            decide()
        assert snapshot(board["idea"]) == before


def test_a_plan_not_on_the_agenda_or_decided_already_is_refused(board):
    attend(board, 6, 1)
    other = submitted_idea(smederij=board["people"]["krakeel"], kind=Kind.LANGE_KLAP)
    other = move(
        other,
        Status.IN_BEHANDELING,
        Status.BIJ_STUURGROEP,
        actor=board["people"]["users"]["wijkteam_a"],
    )
    with translation.override("en"):
        with pytest.raises(ValidationError, match="not on the agenda"):
            idea_services.decide(
                other,
                board["meeting"],
                actor=board["chair"],
                outcome="positief",
                public_reason=REASON,
                votes_for=7,
                votes_against=0,
            )
        idea_services.decide(
            board["idea"],
            board["meeting"],
            actor=board["chair"],
            outcome="positief",
            public_reason=REASON,
            votes_for=7,
            votes_against=0,
        )
        with pytest.raises(ValidationError, match="not with the stuurgroep"):
            idea_services.decide(
                board["idea"],
                board["meeting"],
                actor=board["chair"],
                outcome="negatief",
                public_reason=REASON,
                votes_for=0,
                votes_against=7,
            )
        # Who was there is fixed once a decision has been taken, and so are the assessments.
        with pytest.raises(ValidationError):
            idea_services.record_attendance(
                board["meeting"], actor=board["chair"], present_members=board["orgs"]
            )
        with pytest.raises(ValidationError):
            idea_services.assess(
                board["idea"],
                actor=board["orgs"][1].user,
                residents_support=4,
                professionals_support=4,
                recommendation="positief",
            )
    assert StuurgroepDecision.objects.count() == 1


def test_assessments_and_positions_are_for_the_right_people(board, organisations):
    idea = board["idea"]
    member = board["orgs"][1]
    with translation.override("en"):
        assessment = idea_services.assess(
            idea,
            actor=member.user,
            residents_support=4,
            professionals_support=3,
            recommendation="positief",
            remark="Goed plan.",
        )
        assert (assessment.residents_support, assessment.recommendation) == (4, "positief")
        with pytest.raises(ValidationError, match="Judge the support"):
            idea_services.assess(idea, actor=member.user, recommendation="positief")
        with pytest.raises(PermissionDenied):
            idea_services.assess(
                idea,
                actor=board["people"]["users"]["wijkteam_a"],
                residents_support=4,
                professionals_support=4,
                recommendation="positief",
            )
        # An organisation's position: by its own staff only (Sanne works for Welzijnswerk).
        sanne = board["people"]["users"]["wijkteam_a"]
        idea_services.record_position(
            idea,
            organisations["welzijn"],
            actor=sanne,
            stance="steunt",
            explanation="Past bij ons werk in de wijk.",
        )
        with pytest.raises(PermissionDenied):
            idea_services.record_position(
                idea,
                organisations["domesta"],
                actor=sanne,
                stance="steunt",
                explanation="Niet ons besluit.",
            )
        with pytest.raises(ValidationError, match="Explain"):
            idea_services.record_position(
                idea, organisations["welzijn"], actor=sanne, stance="neutraal", explanation=" "
            )
    assert idea.positions.get().stance == "steunt"


def test_a_funded_plan_gets_milestones_and_starts_only_when_fully_funded(board):
    attend(board, 6, 1)
    idea_services.decide(
        board["idea"],
        board["meeting"],
        actor=board["chair"],
        outcome="positief",
        public_reason=REASON,
        votes_for=7,
        votes_against=0,
    )
    member = board["people"]["users"]["wijkteam_a"]
    idea = Idea.objects.get(pk=board["idea"].pk)
    milestone = idea_services.add_milestone(
        idea, actor=member, title="Ontwerp klaar", planned_on=date(2026, 12, 1)
    )
    idea_services.complete_milestone(milestone, actor=member, done_on=timezone.localdate())
    assert idea.milestones.get().done_on == timezone.localdate()
    with translation.override("en"), pytest.raises(ValidationError):
        idea_services.start_execution(idea, actor=member)  # no money found yet
    assert Idea.objects.get(pk=idea.pk).status == Status.FINANCIERING
    with pytest.raises(PermissionDenied):
        idea_services.add_milestone(
            idea, actor=board["people"]["users"]["wijkteam_b"], title="X", planned_on=date.today()
        )
