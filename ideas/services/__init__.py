"""Every change to an idea goes through here, one module per subject:

- ``transitions``: the one door for a change of status, checked against ``TRANSITIONS``
  (``ideas/workflow.py``), with the idea's row locked, a row of history and mail after the commit;
- ``submission``: the ideeformulier, submitting, withdrawing, answering and attachments;
- ``review``: the wijkteam's steps, notes, voorwaarden and the initiatiefgroep's remarks;
- ``grants``: the idea's side of a grant from the bewonersbudget (the ledger's side is budgets');
- ``supports``, ``milestones``, ``accounting`` (the verantwoording and the satisfaction question);
- ``stuurgroep``: the stuurgroep's work on a lange-klap plan (positions of the organisations,
  meetings and who was there, assessments, the decision);
- ``mail``: what each step tells by mail, after the commit.

Callers use ``from ideas import services`` and ``services.grant(…)``; this module names the whole
public set.
"""

from .accounting import (
    ACCOUNTING_FILE_PURPOSES as ACCOUNTING_FILE_PURPOSES,
)
from .accounting import (
    _locked_for_accounting as _locked_for_accounting,
)
from .accounting import (
    _refuse_unless_submitter_may_write as _refuse_unless_submitter_may_write,
)
from .accounting import (
    accounting_of as accounting_of,
)
from .accounting import (
    add_accounting_file as add_accounting_file,
)
from .accounting import (
    answer_satisfaction as answer_satisfaction,
)
from .accounting import (
    missing_for_accounting as missing_for_accounting,
)
from .accounting import (
    remove_accounting_file as remove_accounting_file,
)
from .accounting import (
    return_accounting as return_accounting,
)
from .accounting import (
    save_accounting as save_accounting,
)
from .accounting import (
    send_accounting as send_accounting,
)
from .accounting import (
    sign_off_accounting as sign_off_accounting,
)
from .grants import (
    grant_budget as grant_budget,
)
from .mail import (
    _mail_status_change as _mail_status_change,
)
from .mail import (
    _mail_stuurgroep_secretary as _mail_stuurgroep_secretary,
)
from .mail import (
    _mail_submitted as _mail_submitted,
)
from .mail import (
    _mail_support as _mail_support,
)
from .mail import (
    _mail_team as _mail_team,
)
from .mail import (
    _send as _send,
)
from .mail import (
    _site_url as _site_url,
)
from .mail import (
    team_addresses as team_addresses,
)
from .milestones import (
    _refuse_milestone_unless as _refuse_milestone_unless,
)
from .milestones import (
    add_milestone as add_milestone,
)
from .milestones import (
    complete_milestone as complete_milestone,
)
from .review import (
    add_inventory_remark as add_inventory_remark,
)
from .review import (
    add_review_note as add_review_note,
)
from .review import (
    approve as approve,
)
from .review import (
    ask_question as ask_question,
)
from .review import (
    check_condition as check_condition,
)
from .review import (
    first_step_of_question as first_step_of_question,
)
from .review import (
    grant as grant,
)
from .review import (
    mark_realised as mark_realised,
)
from .review import (
    reclassify_idea as reclassify_idea,
)
from .review import (
    reject as reject,
)
from .review import (
    send_to_stuurgroep as send_to_stuurgroep,
)
from .review import (
    set_published as set_published,
)
from .review import (
    start_execution as start_execution,
)
from .review import (
    take_up as take_up,
)
from .stuurgroep import (
    Quorum as Quorum,
)
from .stuurgroep import (
    _refuse_unless_with_the_stuurgroep as _refuse_unless_with_the_stuurgroep,
)
from .stuurgroep import (
    assess as assess,
)
from .stuurgroep import (
    decide as decide,
)
from .stuurgroep import (
    list_attendance as list_attendance,
)
from .stuurgroep import (
    plan_meeting as plan_meeting,
)
from .stuurgroep import (
    quorum_of as quorum_of,
)
from .stuurgroep import (
    record_attendance as record_attendance,
)
from .stuurgroep import (
    record_position as record_position,
)
from .stuurgroep import (
    voters_for as voters_for,
)
from .submission import (
    _next_reference as _next_reference,
)
from .submission import (
    _store_attachment as _store_attachment,
)
from .submission import (
    add_attachment as add_attachment,
)
from .submission import (
    answer_question as answer_question,
)
from .submission import (
    claim_concept as claim_concept,
)
from .submission import (
    delete_concept as delete_concept,
)
from .submission import (
    missing_for_submission as missing_for_submission,
)
from .submission import (
    remove_attachment as remove_attachment,
)
from .submission import (
    save_idea_step as save_idea_step,
)
from .submission import (
    start_idea as start_idea,
)
from .submission import (
    submit_idea as submit_idea,
)
from .submission import (
    withdraw_idea as withdraw_idea,
)
from .supports import (
    SUPPORTABLE as SUPPORTABLE,
)
from .supports import (
    add_paper_list as add_paper_list,
)
from .supports import (
    can_be_supported as can_be_supported,
)
from .supports import (
    confirm_support as confirm_support,
)
from .supports import (
    give_support as give_support,
)
from .supports import (
    support_count as support_count,
)
from .supports import (
    support_make_up as support_make_up,
)
from .transitions import (
    allowed_transitions as allowed_transitions,
)
from .transitions import (
    transition as transition,
)
