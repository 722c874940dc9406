"""Ideas submitted with the ideeformulier, their history, attachments, supports and conditions.

An idea is a row from the first step of the form on (status `concept`), so nothing a resident
types is lost between steps. It gets its readable reference (``2026-0042``) when it is submitted.
Links that reach private data use the idea's random ``public_id``, never the sequential id.

One module per subject: ``idea`` (the idea, its begroting, history and files), ``supports``,
``review`` (what the wijkteam and the initiatiefgroep write), ``accounting`` (milestones,
verantwoording, satisfaction) and ``stuurgroep`` (the stuurgroep's work on a plan: positions,
meetings, assessments, decisions) and ``overleg`` (het wijkoverleg: the initiatiefgroep and the
wijkteam discuss the ideas of their area). The statuses are in ``ideas/workflow.py``.
"""

from .accounting import Accounting, Milestone, SatisfactionSurvey
from .idea import (
    CARD_COLUMNS,
    CARD_FIELDS,
    Attachment,
    BudgetLine,
    CardRow,
    Condition,
    ConditionQuerySet,
    Idea,
    IdeaQuerySet,
    IdeaSequence,
    Kind,
    Notion,
    Reach,
    StatusChange,
    SubmitterKind,
    attachment_path,
    private_storage,
)
from .overleg import Invitation, ItemRemark, Overleg, OverlegItem
from .review import Assignment, ConditionCheck, InventoryRemark, Reminder, ReviewNote, StandardText
from .stuurgroep import (
    AgendaItem,
    Assessment,
    Attendance,
    Meeting,
    OrganisationPosition,
    Recommendation,
    Scale,
    StuurgroepDecision,
)
from .supports import PaperSupportList, Support, SupportQuerySet

__all__ = [
    "CARD_COLUMNS",
    "CARD_FIELDS",
    "CardRow",
    "Invitation",
    "ItemRemark",
    "Overleg",
    "OverlegItem",
    "Accounting",
    "Milestone",
    "SatisfactionSurvey",
    "Attachment",
    "BudgetLine",
    "Condition",
    "ConditionQuerySet",
    "Idea",
    "IdeaQuerySet",
    "IdeaSequence",
    "Kind",
    "Notion",
    "Reach",
    "StatusChange",
    "SubmitterKind",
    "attachment_path",
    "private_storage",
    "Assignment",
    "ConditionCheck",
    "InventoryRemark",
    "Reminder",
    "ReviewNote",
    "StandardText",
    "AgendaItem",
    "Assessment",
    "Attendance",
    "Meeting",
    "OrganisationPosition",
    "Recommendation",
    "Scale",
    "StuurgroepDecision",
    "PaperSupportList",
    "Support",
    "SupportQuerySet",
]
