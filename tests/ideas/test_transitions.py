"""The way of an idea as one table: every (state, action, role) is either allowed, and moves the
idea where the issue says, or refused, and then nothing changes at all (status, kind, history,
mails, grants, payments, the budget and its ledger, the verantwoording, notes, the checklist).

The expected table below is written from the rules of issue 6 and the domain brief, not read from
``ideas.workflow.TRANSITIONS``: if that table and this one disagree, one of them is wrong.

All ideas are in Krakeel (area A of ``people``): "wijkteam_a" and "gebiedsregisseur" act for it,
"wijkteam_b" is the team of Elim. The submitter is a resident of their own ("owner").

The stuurgroep has two seated members: "chair" holds an organisation seat, "stuurgroep_member" a
resident seat. It decides on a plan in a meeting (``ideas.services.decide``): the meeting, with the
plan on its agenda when it is with the stuurgroep and both members present, is planned before the
action under test. (The quorum and the votes have their own table in
tests/teams/test_stuurgroep_decisions.py.)
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from budgets import services as budget_services
from budgets.models import Budget, BudgetEntry, Grant, Payment
from ideas import services
from ideas.models import (
    Accounting,
    Attachment,
    ConditionCheck,
    Idea,
    Kind,
    ReviewNote,
    StatusChange,
    StuurgroepDecision,
)
from ideas.uploads import CheckedFile
from ideas.workflow import Status
from teams import services as team_services
from teams.models import SeatType
from tests.budgets.conftest import THIS_YEAR
from tests.factories import UserFactory
from tests.ideas.factories import ConditionFactory, submitted_idea

pytestmark = pytest.mark.django_db

ROLES = [
    "submitter",
    "wijkteam_a",
    "wijkteam_b",
    "gebiedsregisseur",
    "stuurgroep_member",
    "chair",
    "resident",
    "initiatiefgroep_member",
    "ondersteuning",
]

# Who may do what, in the words of the issue.
SUBMITTER = frozenset({"submitter"})
# "the gebiedsregisseur of the area may do all they [the wijkteam members] may"
TEAM = frozenset({"wijkteam_a", "gebiedsregisseur"})
# The stuurgroep decides on the plans it has; its secretary (the gebiedsregisseur) records it.
# The chair is a member of the stuurgroep too.
STUURGROEP = frozenset({"stuurgroep_member", "chair", "gebiedsregisseur"})
# A decision in a meeting is recorded by the chair, or by the secretary of the plan's area (the
# gebiedsregisseur of Krakeel); a member who is not the chair does not record it.
RECORDS_DECISIONS = frozenset({"chair", "gebiedsregisseur"})
# "Staff can turn a korte-klap idea into a lange-klap one (and back) with a reason": the area's
# team, its gebiedsregisseur, and the office (support staff work in admin).
STAFF = TEAM | {"ondersteuning"}

ASKED = Decimal("750.00")
# The verantwoording: it cost € 690 of the € 750 granted, so € 60 goes back when it is signed off.
COST = Decimal("690.00")
RETURNED = ASKED - COST
DECIDED = "Zo is het besloten."

# The situations an idea can be in: every status but concept, by the kind that reaches it; the
# kind matters where the way splits (in behandeling), so that one is there for both kinds.
SITUATIONS = {
    "ingediend": (Kind.KORTE_KLAP, Status.INGEDIEND),
    "in_behandeling": (Kind.KORTE_KLAP, Status.IN_BEHANDELING),
    "in_behandeling (lange klap)": (Kind.LANGE_KLAP, Status.IN_BEHANDELING),
    "aanvulling_gevraagd": (Kind.KORTE_KLAP, Status.AANVULLING_GEVRAAGD),
    "goedgekeurd": (Kind.KORTE_KLAP, Status.GOEDGEKEURD),
    "budget_toegekend": (Kind.KORTE_KLAP, Status.BUDGET_TOEGEKEND),
    "bij_stuurgroep": (Kind.LANGE_KLAP, Status.BIJ_STUURGROEP),
    "financiering (no money found yet)": (Kind.LANGE_KLAP, Status.FINANCIERING),
    "in_uitvoering": (Kind.KORTE_KLAP, Status.IN_UITVOERING),
    # Realised: the owner wrote the verantwoording (cost, story, a receipt) but has not sent it.
    "gerealiseerd": (Kind.KORTE_KLAP, Status.GEREALISEERD),
    # ... and sent it: now it is the wijkteam's to sign off or send back.
    "gerealiseerd (verantwoording sent)": (Kind.KORTE_KLAP, Status.GEREALISEERD),
    "afgerond": (Kind.KORTE_KLAP, Status.AFGEROND),
    "afgewezen": (Kind.KORTE_KLAP, Status.AFGEWEZEN),
    "ingetrokken": (Kind.KORTE_KLAP, Status.INGETROKKEN),
}
assert {status for _kind, status in SITUATIONS.values()} == set(Status.values) - {Status.CONCEPT}

# Until a decision (approval, rejection, the stuurgroep) the idea is still being looked at.
BEFORE_DECISION = [
    "ingediend",
    "in_behandeling",
    "in_behandeling (lange klap)",
    "aanvulling_gevraagd",
]
# "from any open state: afgewezen (public reason required)"; a plan with the stuurgroep is the
# stuurgroep's to turn down; once money is granted or the work started, it is no longer open.
OPEN_FOR_THE_TEAM = [*BEFORE_DECISION, "goedgekeurd"]

# (situation, action) → (who may, the status it leads to). Everything not here: refused for all.
ALLOWED: dict[tuple[str, str], tuple[frozenset, str | None]] = {
    ("ingediend", "take_up"): (TEAM, Status.IN_BEHANDELING),
    # A question on a new idea: the team takes it up and asks in one go.
    ("ingediend", "ask_question"): (TEAM, Status.AANVULLING_GEVRAAGD),
    ("in_behandeling", "ask_question"): (TEAM, Status.AANVULLING_GEVRAAGD),
    ("in_behandeling (lange klap)", "ask_question"): (TEAM, Status.AANVULLING_GEVRAAGD),
    ("aanvulling_gevraagd", "answer_question"): (SUBMITTER, Status.IN_BEHANDELING),
    ("in_behandeling", "approve"): (TEAM, Status.GOEDGEKEURD),  # korte klap only
    ("goedgekeurd", "grant"): (TEAM, Status.BUDGET_TOEGEKEND),
    ("budget_toegekend", "start_execution"): (TEAM, Status.IN_UITVOERING),
    ("in_uitvoering", "mark_realised"): (TEAM, Status.GEREALISEERD),
    # "the submitter reports what it really cost, uploads receipts and photos ... the wijkteam
    # signs it off": the submitter writes and sends it, only until it is sent; the team then
    # sends it back with a question or signs it off, and signing off completes the idea.
    ("gerealiseerd", "save_accounting"): (SUBMITTER, None),
    ("gerealiseerd", "send_accounting"): (SUBMITTER, None),
    ("gerealiseerd (verantwoording sent)", "return_accounting"): (TEAM, None),
    ("gerealiseerd (verantwoording sent)", "sign_off_accounting"): (TEAM, Status.AFGEROND),
    ("in_behandeling (lange klap)", "send_to_stuurgroep"): (TEAM, Status.BIJ_STUURGROEP),
    ("bij_stuurgroep", "reject"): (STUURGROEP, Status.AFGEWEZEN),
    **{(s, "reject"): (TEAM, Status.AFGEWEZEN) for s in OPEN_FOR_THE_TEAM},
    **{(s, "withdraw_idea"): (SUBMITTER, Status.INGETROKKEN) for s in BEFORE_DECISION},
    # The kind changes while the team reviews; the status stays (None: unchanged).
    **{(s, "reclassify"): (STAFF, None) for s in BEFORE_DECISION},
    # Internal notes and the checklist belong to the area's staff, whatever the status.
    **{(s, "add_review_note"): (TEAM, None) for s in SITUATIONS},
    **{(s, "check_condition"): (TEAM, None) for s in SITUATIONS},
    # The stuurgroep's decision in a meeting: positief → financiering, negatief → afgewezen,
    # aanhouden → back to the wijkteam with the stuurgroep's questions.
    ("bij_stuurgroep", "decide_positief"): (RECORDS_DECISIONS, Status.FINANCIERING),
    ("bij_stuurgroep", "decide_negatief"): (RECORDS_DECISIONS, Status.AFGEWEZEN),
    ("bij_stuurgroep", "decide_aanhouden"): (RECORDS_DECISIONS, Status.IN_BEHANDELING),
}

ACTIONS = [
    "take_up",
    "ask_question",
    "answer_question",
    "approve",
    "grant",
    "reject",
    "reclassify",
    "send_to_stuurgroep",
    "start_execution",
    "mark_realised",
    "save_accounting",
    "send_accounting",
    "return_accounting",
    "sign_off_accounting",
    "withdraw_idea",
    "add_review_note",
    "check_condition",
    "decide_positief",
    "decide_negatief",
    "decide_aanhouden",
]
DECIDE_ACTIONS = {"decide_positief", "decide_negatief", "decide_aanhouden"}
# The votes of the seven members present: (outcome, for, against, abstentions).
VOTES = {
    "decide_positief": ("positief", 2, 0, 0),
    "decide_negatief": ("negatief", 0, 2, 0),
    "decide_aanhouden": ("aanhouden", 1, 1, 0),
}
# Steps of the team or the stuurgroep: the submitter is told (by mail) of each of them.
TOLD_TO_SUBMITTER = {
    "take_up",
    "ask_question",
    "approve",
    "grant",
    "reject",
    "reclassify",
    "send_to_stuurgroep",
    "start_execution",
    "mark_realised",
    "return_accounting",
    "sign_off_accounting",
    *DECIDE_ACTIONS,
}


def other_kind(idea):
    return Kind.LANGE_KLAP if idea.kind == Kind.KORTE_KLAP else Kind.KORTE_KLAP


def receipt(name: str = "bon.pdf") -> CheckedFile:
    """A receipt as ``ideas.uploads.check_upload`` hands it over."""
    return CheckedFile(
        content=b"%PDF-1.4 bon van de bouwmarkt",
        content_type="application/pdf",
        file_kind="pdf",
        original_name=name,
    )


def write_accounting(idea: Idea, submitter, *, cost=COST, send: bool = False) -> Idea:
    """The owner of a realised idea writes the verantwoording (and sends it), as the portal does."""
    services.save_accounting(
        idea,
        actor=submitter,
        actual_cost=cost,
        story="Het buurtfeest was een succes: zestig buren kwamen.",
        photos_public=True,
    )
    services.add_accounting_file(
        idea, receipt(), actor=submitter, purpose=Attachment.Purpose.RECEIPT
    )
    if send:
        services.send_accounting(idea, actor=submitter)
    return idea


# What the owner writes when they change a verantwoording that is not sent yet.
SAVED_COST = Decimal("700.00")


def meeting_for(world, idea: Idea):
    """The chair plans a meeting (with the plan on the agenda if the stuurgroep has it) and
    records that both members came, one of them a resident: enough for a quorum."""
    board = world["board"]
    chair = world["users"]["chair"]
    meeting = services.plan_meeting(
        board["stuurgroep"],
        actor=chair,
        starts_at=timezone.now(),
        place="Raadhuis",
        ideas=[idea] if idea.status == Status.BIJ_STUURGROEP else [],
    )
    services.record_attendance(meeting, actor=chair, present_members=board["present"])
    return meeting


def prepare(action: str, world, idea: Idea):
    """What an action needs before it is tried: a meeting for a decision; nothing otherwise."""
    return meeting_for(world, idea) if action in DECIDE_ACTIONS else None


def decide(action: str, idea: Idea, meeting, actor, text: str):
    outcome, votes_for, votes_against, abstentions = VOTES[action]
    return services.decide(
        idea,
        meeting,
        actor=actor,
        outcome=outcome,
        public_reason=text,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
    )


def do(action: str, idea: Idea, actor, condition, *, text: str = DECIDED, meeting=None):
    """Call the service of ``action`` as ``actor``, with the text the action asks for (a decision
    is taken in ``meeting``, from ``prepare``)."""
    if action in DECIDE_ACTIONS:
        return decide(action, idea, meeting, actor, text)
    calls = {
        "take_up": lambda: services.take_up(idea, actor=actor),
        "ask_question": lambda: services.ask_question(
            idea, actor=actor, question=text, internal_note="Intern: even nagaan."
        ),
        "answer_question": lambda: services.answer_question(idea, actor=actor, answer=text),
        "approve": lambda: services.approve(idea, actor=actor, public_text=text),
        "grant": lambda: services.grant(idea, ASKED, actor=actor, public_text=text),
        "reject": lambda: services.reject(idea, actor=actor, reason=text),
        "reclassify": lambda: services.reclassify_idea(
            idea, actor=actor, kind=other_kind(idea), reason=text
        ),
        "send_to_stuurgroep": lambda: services.send_to_stuurgroep(
            idea, actor=actor, public_text=text
        ),
        "start_execution": lambda: services.start_execution(idea, actor=actor, public_text=text),
        "mark_realised": lambda: services.mark_realised(idea, actor=actor, public_text=text),
        "save_accounting": lambda: services.save_accounting(
            idea, actor=actor, actual_cost=SAVED_COST, story=text, photos_public=False
        ),
        "send_accounting": lambda: services.send_accounting(idea, actor=actor),
        "return_accounting": lambda: services.return_accounting(
            idea, actor=actor, question=text, internal_note="Intern: bon 2 ontbreekt."
        ),
        "sign_off_accounting": lambda: services.sign_off_accounting(
            idea, actor=actor, public_text=text
        ),
        "withdraw_idea": lambda: services.withdraw_idea(idea, actor=actor, reason=text),
        "add_review_note": lambda: services.add_review_note(idea, actor=actor, text=text),
        "check_condition": lambda: services.check_condition(
            idea, condition, actor=actor, verdict="voldoet", remark=text
        ),
    }
    return calls[action]()


def seated_chair(people, organisations) -> dict:
    """A chair (an organisation seat, with an account) beside people's resident member: the
    smallest stuurgroep that can decide (the quorum and the votes have their own table in
    tests/teams/test_stuurgroep_decisions.py)."""
    stuurgroep = people["stuurgroep"]
    chair = UserFactory(first_name="Carla", last_name="Voorzitter")
    member = team_services.seat_stuurgroep_member(
        stuurgroep,
        seat_type=SeatType.ORGANISATION,
        name="Carla Voorzitter",
        organisation=organisations["gemeente"],
        user=chair,
        is_chair=True,
        term_start=date(2025, 1, 1),
    )
    resident = stuurgroep.members.get(seat_type=SeatType.RESIDENT)
    return {"stuurgroep": stuurgroep, "chair": chair, "present": [member, resident]}


@pytest.fixture
def world(people, organisations, owner):
    board = seated_chair(people, organisations)
    users = dict(people["users"], submitter=owner, chair=board["chair"])
    budget = budget_services.open_budget(
        people["krakeel"], THIS_YEAR, "1000.00", actor=users["gebiedsregisseur"]
    )
    return {
        "users": users,
        "krakeel": people["krakeel"],
        "budget": budget,
        "condition": ConditionFactory(),
        "board": board,
    }


def idea_in(world, situation: str) -> Idea:
    """An idea of Krakeel brought to ``situation`` through the services, as the portal does."""
    kind, status = SITUATIONS[situation]
    member = world["users"]["wijkteam_a"]
    submitter = world["users"]["submitter"]
    idea = submitted_idea(
        smederij=world["krakeel"], submitted_by=submitter, kind=kind, amount_requested=ASKED
    )
    if status == Status.INGEDIEND:
        return idea
    if status == Status.INGETROKKEN:
        return services.withdraw_idea(idea, actor=submitter, reason="Toch niet.")
    idea = services.take_up(idea, actor=member)
    steps = {
        Status.AANVULLING_GEVRAAGD: [
            lambda i: services.ask_question(i, actor=member, question="Wie helpt mee?")
        ],
        Status.AFGEWEZEN: [lambda i: services.reject(i, actor=member, reason="Past niet.")],
        Status.BIJ_STUURGROEP: [lambda i: services.send_to_stuurgroep(i, actor=member)],
        Status.FINANCIERING: [
            lambda i: services.send_to_stuurgroep(i, actor=member),
            lambda i: services.transition(
                i,
                Status.FINANCIERING,
                actor=world["users"]["stuurgroep_member"],
                public_text="Veel steun: we zoeken geld.",
            ),
        ],
    }
    korte_klap_way = [
        (Status.GOEDGEKEURD, lambda i: services.approve(i, actor=member)),
        (Status.BUDGET_TOEGEKEND, lambda i: services.grant(i, ASKED, actor=member) and i),
        (Status.IN_UITVOERING, lambda i: services.start_execution(i, actor=member)),
        (Status.GEREALISEERD, lambda i: services.mark_realised(i, actor=member)),
        # Completed: the verantwoording was written, sent and signed off.
        (
            Status.AFGEROND,
            lambda i: (
                services.sign_off_accounting(
                    write_accounting(i, submitter, send=True), actor=member
                )
                and i
            ),
        ),
    ]
    if status in steps:
        for step in steps[status]:
            idea = step(idea)
    elif status != Status.IN_BEHANDELING:
        for reached, step in korte_klap_way:
            idea = step(idea)
            if reached == status:
                break
    if situation == "gerealiseerd":
        write_accounting(idea, submitter)
    elif situation == "gerealiseerd (verantwoording sent)":
        write_accounting(idea, submitter, send=True)
    idea = Idea.objects.get(pk=idea.pk)
    assert (idea.kind, idea.status) == (kind, status)
    return idea


def snapshot(idea: Idea, budget: Budget) -> dict:
    """Everything a refused action must leave as it was."""
    fresh = Idea.objects.get(pk=idea.pk)
    budget.refresh_from_db()
    return {
        "status": fresh.status,
        "kind": fresh.kind,
        "history": StatusChange.objects.filter(idea=idea).count(),
        "grants": Grant.objects.filter(idea=idea).count(),
        "payments": Payment.objects.filter(grant__idea=idea).count(),
        "ledger": BudgetEntry.objects.count(),
        "available": budget.available,
        # (state, cost, story) of the verantwoording; None while there is none.
        "accounting": Accounting.objects.filter(idea=idea)
        .values_list("state", "actual_cost", "story")
        .first(),
        "notes": ReviewNote.objects.filter(idea=idea).count(),
        "checks": ConditionCheck.objects.filter(idea=idea).count(),
        "decisions": StuurgroepDecision.objects.filter(idea=idea).count(),
    }


def expected_after(action: str, situation: str, before: dict, to_status) -> dict:
    after = dict(before)
    if to_status is not None:
        after["status"] = to_status
    if action == "ask_question" and situation == "ingediend":
        after["history"] += 2  # taken up, then the question: two steps, two rows
    elif action in ("add_review_note", "check_condition"):
        after["notes" if action == "add_review_note" else "checks"] += 1
    elif action == "save_accounting":
        pass  # a draft: no step in the history yet
    else:
        after["history"] += 1
    if before["accounting"] is not None:
        state, cost, story = before["accounting"]
        if action == "save_accounting":
            after["accounting"] = (Accounting.State.OPEN, SAVED_COST, DECIDED)
        elif action == "send_accounting":
            after["accounting"] = (Accounting.State.SENT, cost, story)
        elif action == "return_accounting":
            after["accounting"] = (Accounting.State.OPEN, cost, story)
        elif action == "sign_off_accounting":
            after["accounting"] = (Accounting.State.SIGNED_OFF, cost, story)
            # The € 690 is paid from the grant; the € 60 not spent goes back to the budget.
            after["payments"] += 1
            after["ledger"] += 1
            after["available"] = before["available"] + RETURNED
    if action == "reclassify":
        after["kind"] = Kind.LANGE_KLAP if before["kind"] == Kind.KORTE_KLAP else Kind.KORTE_KLAP
    if action in DECIDE_ACTIONS:
        after["decisions"] += 1
    if action == "grant":
        after["grants"] += 1
        after["ledger"] += 1
        after["available"] = before["available"] - ASKED
    return after


def test_the_table_covers_only_real_situations_and_actions():
    for situation, action in ALLOWED:
        assert situation in SITUATIONS and action in ACTIONS, (situation, action)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("situation", list(SITUATIONS))
def test_transition_table(
    world, situation, action, role, mailoutbox, django_capture_on_commit_callbacks
):
    idea = idea_in(world, situation)
    meeting = prepare(action, world, idea)
    before = snapshot(idea, world["budget"])
    who, to_status = ALLOWED.get((situation, action), (frozenset(), None))
    actor = world["users"][role]

    if role in who:
        with django_capture_on_commit_callbacks(execute=True):
            do(action, idea, actor, world["condition"], meeting=meeting)
        assert snapshot(idea, world["budget"]) == expected_after(
            action, situation, before, to_status
        )
    else:
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises((PermissionDenied, ValidationError)):
                do(action, idea, actor, world["condition"], meeting=meeting)
        assert snapshot(idea, world["budget"]) == before
        assert mailoutbox == []


# A reason where the issue asks for one ------------------------------------------------------

NEEDS_TEXT = [
    # (situation, action, who does it)
    ("in_behandeling", "ask_question", "wijkteam_a"),
    ("ingediend", "ask_question", "gebiedsregisseur"),
    ("aanvulling_gevraagd", "answer_question", "submitter"),
    ("ingediend", "reject", "wijkteam_a"),
    ("goedgekeurd", "reject", "gebiedsregisseur"),
    ("bij_stuurgroep", "reject", "stuurgroep_member"),
    ("in_behandeling", "reclassify", "wijkteam_a"),
    ("gerealiseerd (verantwoording sent)", "return_accounting", "gebiedsregisseur"),
    ("bij_stuurgroep", "decide_negatief", "chair"),
    ("bij_stuurgroep", "decide_aanhouden", "gebiedsregisseur"),
]


@pytest.mark.parametrize("text", ["", "   \n "], ids=["empty", "only spaces"])
@pytest.mark.parametrize("situation, action, role", NEEDS_TEXT)
def test_a_step_that_needs_a_reason_is_refused_without_one(
    world, situation, action, role, text, mailoutbox, django_capture_on_commit_callbacks
):
    idea = idea_in(world, situation)
    meeting = prepare(action, world, idea)
    before = snapshot(idea, world["budget"])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            do(action, idea, world["users"][role], world["condition"], text=text, meeting=meeting)
    assert snapshot(idea, world["budget"]) == before
    assert mailoutbox == []


def test_the_reason_is_kept_as_the_public_text_without_the_spaces_around_it(world):
    idea = idea_in(world, "in_behandeling")
    services.reject(
        idea,
        actor=world["users"]["wijkteam_a"],
        reason="  Het past niet binnen de voorwaarden.  ",
        internal_note=" Besproken op 3 maart. ",
    )
    change = StatusChange.objects.filter(idea=idea).last()
    assert (change.to_status, change.public_text, change.internal_note) == (
        Status.AFGEWEZEN,
        "Het past niet binnen de voorwaarden.",
        "Besproken op 3 maart.",
    )
    assert change.actor == world["users"]["wijkteam_a"]


def test_approve_and_grant_refuse_a_lange_klap_plan_and_the_stuurgroep_a_korte_klap_idea(world):
    member = world["users"]["wijkteam_a"]
    plan = idea_in(world, "in_behandeling (lange klap)")
    with pytest.raises(ValidationError):
        services.approve(plan, actor=member)
    idea = idea_in(world, "in_behandeling")
    with pytest.raises(ValidationError):
        services.send_to_stuurgroep(idea, actor=member)
    assert Idea.objects.get(pk=plan.pk).status == Status.IN_BEHANDELING
    assert Idea.objects.get(pk=idea.pk).status == Status.IN_BEHANDELING


@pytest.mark.parametrize("amount", ["750.01", "0", "-5"])
def test_a_grant_more_than_asked_or_not_positive_changes_nothing(world, amount, mailoutbox):
    idea = idea_in(world, "goedgekeurd")
    before = snapshot(idea, world["budget"])
    with pytest.raises(ValidationError):
        services.grant(idea, Decimal(amount), actor=world["users"]["wijkteam_a"])
    assert snapshot(idea, world["budget"]) == before
    assert mailoutbox == []


def test_a_grant_more_than_available_changes_nothing(world):
    idea = idea_in(world, "goedgekeurd")
    # Another idea took most of the money first: € 250 is left, € 750 is asked.
    other = idea_in(world, "goedgekeurd")
    services.grant(other, ASKED, actor=world["users"]["wijkteam_a"])
    before = snapshot(idea, world["budget"])
    assert before["available"] == Decimal("250.00")
    with pytest.raises(ValidationError):
        services.grant(idea, ASKED, actor=world["users"]["gebiedsregisseur"])
    assert snapshot(idea, world["budget"]) == before


# One mail to the submitter per step of the team ---------------------------------------------

TEAM_STEPS = [
    # (situation, action, the status the mail tells)
    ("ingediend", "take_up", Status.IN_BEHANDELING),
    ("ingediend", "ask_question", Status.AANVULLING_GEVRAAGD),
    ("in_behandeling", "ask_question", Status.AANVULLING_GEVRAAGD),
    ("in_behandeling", "approve", Status.GOEDGEKEURD),
    ("goedgekeurd", "grant", Status.BUDGET_TOEGEKEND),
    ("in_behandeling", "reject", Status.AFGEWEZEN),
    ("in_behandeling (lange klap)", "send_to_stuurgroep", Status.BIJ_STUURGROEP),
    ("budget_toegekend", "start_execution", Status.IN_UITVOERING),
    ("in_uitvoering", "mark_realised", Status.GEREALISEERD),
    ("in_behandeling", "reclassify", Status.IN_BEHANDELING),
    ("gerealiseerd (verantwoording sent)", "return_accounting", Status.GEREALISEERD),
    ("gerealiseerd (verantwoording sent)", "sign_off_accounting", Status.AFGEROND),
]


@pytest.mark.parametrize("role", sorted(TEAM))
@pytest.mark.parametrize("situation, action, status", TEAM_STEPS)
def test_the_submitter_gets_one_mail_per_team_step(
    world, situation, action, status, role, mailoutbox, django_capture_on_commit_callbacks
):
    idea = idea_in(world, situation)
    rows_before = set(StatusChange.objects.filter(idea=idea).values_list("pk", flat=True))
    text = "Kunt u laten weten wie er meehelpen? Kenmerk TX-4711."
    with django_capture_on_commit_callbacks(execute=True):
        do(action, idea, world["users"][role], world["condition"], text=text)

    submitter_email = world["users"]["submitter"].email
    to_submitter = [m for m in mailoutbox if submitter_email in m.to]
    assert len(to_submitter) == 1, [m.subject for m in to_submitter]
    mail = to_submitter[0]
    assert idea.reference in mail.subject
    if action != "take_up":  # taking an idea up needs no explanation
        assert "TX-4711" in mail.body  # the reason, in the mail
    assert f"/account/mijn-ideeen/{idea.public_id}/" in mail.body  # and the link to the idea
    assert "Intern" not in mail.body  # never the internal note
    new_rows = StatusChange.objects.filter(idea=idea).exclude(pk__in=rows_before)
    assert new_rows.last().to_status == status
    assert new_rows.last().mail_queued is True


def test_no_mail_is_sent_twice_for_one_step(world, mailoutbox, django_capture_on_commit_callbacks):
    """Running the step's mail callback again (a retry) does not mail the submitter again."""
    idea = idea_in(world, "in_behandeling")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.approve(idea, actor=world["users"]["wijkteam_a"], public_text="Mooi plan.")
    assert len(mailoutbox) == 1
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "situation, action",
    [("aanvulling_gevraagd", "answer_question"), ("ingediend", "withdraw_idea")],
)
def test_the_submitters_own_steps_do_not_mail_the_submitter(
    world, situation, action, mailoutbox, django_capture_on_commit_callbacks
):
    idea = idea_in(world, situation)
    with django_capture_on_commit_callbacks(execute=True):
        do(action, idea, world["users"]["submitter"], world["condition"], text="Tien buren.")
    submitter_email = world["users"]["submitter"].email
    assert [m for m in mailoutbox if submitter_email in m.to] == []
    if action == "answer_question":  # the answer goes to the wijkteam, and the idea back to it
        team_mail = [m for m in mailoutbox if world["users"]["wijkteam_a"].email in m.to]
        assert len(team_mail) == 1
        assert Idea.objects.get(pk=idea.pk).status == Status.IN_BEHANDELING


# The verantwoording ---------------------------------------------------------------------------


def test_signing_off_books_the_costs_returns_the_rest_and_asks_how_satisfied(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    idea = idea_in(world, "gerealiseerd (verantwoording sent)")
    grant = Grant.objects.get(idea=idea)
    available = Budget.objects.get(pk=world["budget"].pk).available
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_off_accounting(idea, actor=world["users"]["gebiedsregisseur"])

    grant.refresh_from_db()
    assert (grant.state, grant.amount, grant.spent) == (Grant.State.SETTLED, COST, COST)
    assert [p.amount for p in Payment.objects.filter(grant=grant)] == [COST]
    assert Budget.objects.get(pk=world["budget"].pk).available == available + RETURNED
    accounting = Accounting.objects.get(idea=idea)
    assert (accounting.state, accounting.accepted_cost) == (Accounting.State.SIGNED_OFF, COST)
    assert accounting.signed_off_by == world["users"]["gebiedsregisseur"]
    assert Idea.objects.get(pk=idea.pk).status == Status.AFGEROND
    (mail,) = [m for m in mailoutbox if world["users"]["submitter"].email in m.to]
    assert "/tevredenheid/" in mail.body  # one click to the satisfaction question


def test_signing_off_lower_costs_returns_more(world):
    idea = idea_in(world, "gerealiseerd (verantwoording sent)")
    available = Budget.objects.get(pk=world["budget"].pk).available
    services.sign_off_accounting(
        idea, actor=world["users"]["wijkteam_a"], accepted_cost=Decimal("600.00")
    )
    assert Budget.objects.get(pk=world["budget"].pk).available == available + Decimal("150.00")
    assert Accounting.objects.get(idea=idea).accepted_cost == Decimal("600.00")


def test_a_returned_verantwoording_can_be_changed_and_sent_again(world):
    idea = idea_in(world, "gerealiseerd (verantwoording sent)")
    submitter = world["users"]["submitter"]
    services.return_accounting(
        idea, actor=world["users"]["wijkteam_a"], question="Er mist een bon."
    )
    services.add_accounting_file(
        idea, receipt("bon-2.pdf"), actor=submitter, purpose=Attachment.Purpose.RECEIPT
    )
    services.send_accounting(idea, actor=submitter)
    assert Accounting.objects.get(idea=idea).state == Accounting.State.SENT
    assert idea.attachments.filter(purpose=Attachment.Purpose.RECEIPT).count() == 2
