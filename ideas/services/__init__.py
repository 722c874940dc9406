"""Every change to an idea goes through here, one module per subject:

- ``transitions``: the one door for a change of status, checked against ``TRANSITIONS``
  (``ideas/workflow.py``), with the idea's row locked, a row of history and mail after the commit;
- ``submission``: the ideeformulier, submitting, withdrawing, answering and attachments;
- ``review``: the wijkteam's steps, notes, voorwaarden and the initiatiefgroep's remarks;
- ``grants``: the idea's side of a grant from the bewonersbudget (the ledger's side is budgets');
- ``supports``, ``milestones``, ``accounting`` (the verantwoording and the satisfaction question);
- ``stuurgroep``: the stuurgroep's work on a lange-klap plan (positions of the organisations,
  meetings and who was there, assessments, the decision);
- ``overleg``: het wijkoverleg (plan with an agenda from the inventory, invite, change, cancel,
  the answers of the invited and the initiatiefgroep's remarks beforehand);
- ``mail``: what each step tells by mail, after the commit.

Callers use ``from ideas import services`` and ``services.grant(…)``; this module names the whole
public set.
"""

from .accounting import (
    ACCOUNTING_FILE_PURPOSES,
    accounting_of,
    add_accounting_file,
    answer_satisfaction,
    missing_for_accounting,
    remove_accounting_file,
    return_accounting,
    save_accounting,
    send_accounting,
    sign_off_accounting,
)
from .grants import grant_budget
from .mail import (
    team_addresses,
)
from .milestones import add_milestone, complete_milestone
from .overleg import (
    add_point,
    answer_invitation,
    areas_to_plan_for,
    cancel_overleg,
    change_overleg,
    ideas_to_discuss,
    invitees,
    move_point,
    plan_overleg,
    prepare_item,
    remove_point,
)
from .review import (
    add_inventory_remark,
    add_review_note,
    approve,
    ask_question,
    assign,
    check_condition,
    conditions_to_copy,
    copy_conditions,
    first_step_of_question,
    grant,
    mark_realised,
    reclassify_idea,
    reject,
    send_to_stuurgroep,
    set_published,
    start_execution,
    take_up,
)
from .stuurgroep import (
    Quorum,
    assess,
    decide,
    list_attendance,
    plan_meeting,
    quorum_of,
    record_attendance,
    record_position,
    voters_for,
)
from .submission import (
    add_attachment,
    answer_question,
    claim_concept,
    delete_concept,
    missing_for_submission,
    remove_attachment,
    save_idea_step,
    start_idea,
    submit_idea,
    withdraw_idea,
)
from .supports import (
    add_paper_list,
    can_be_supported,
    confirm_support,
    give_support,
    support_annotations,
    support_count,
    support_make_up,
    support_total_annotation,
    support_totals,
)
from .transitions import allowed_transitions, transition

__all__ = [
    "add_point",
    "answer_invitation",
    "areas_to_plan_for",
    "cancel_overleg",
    "change_overleg",
    "ideas_to_discuss",
    "invitees",
    "move_point",
    "plan_overleg",
    "prepare_item",
    "remove_point",
    "ACCOUNTING_FILE_PURPOSES",
    "accounting_of",
    "add_accounting_file",
    "answer_satisfaction",
    "missing_for_accounting",
    "remove_accounting_file",
    "return_accounting",
    "save_accounting",
    "send_accounting",
    "sign_off_accounting",
    "grant_budget",
    "team_addresses",
    "add_milestone",
    "complete_milestone",
    "add_inventory_remark",
    "assign",
    "add_review_note",
    "approve",
    "ask_question",
    "check_condition",
    "conditions_to_copy",
    "copy_conditions",
    "first_step_of_question",
    "grant",
    "mark_realised",
    "reclassify_idea",
    "reject",
    "send_to_stuurgroep",
    "set_published",
    "start_execution",
    "take_up",
    "Quorum",
    "assess",
    "decide",
    "list_attendance",
    "plan_meeting",
    "quorum_of",
    "record_attendance",
    "record_position",
    "voters_for",
    "add_attachment",
    "answer_question",
    "claim_concept",
    "delete_concept",
    "missing_for_submission",
    "remove_attachment",
    "save_idea_step",
    "start_idea",
    "submit_idea",
    "withdraw_idea",
    "add_paper_list",
    "can_be_supported",
    "confirm_support",
    "give_support",
    "support_annotations",
    "support_count",
    "support_total_annotation",
    "support_totals",
    "support_make_up",
    "allowed_transitions",
    "transition",
]
