"""Ideas submitted with the ideeformulier, their history, attachments, supports and conditions.

An idea is a row from the first step of the form on (status `concept`), so nothing a resident
types is lost between steps. It gets its readable reference (``2026-0042``) when it is submitted.
Links that reach private data use the idea's random ``public_id``, never the sequential id.

One module per subject: ``idea`` (the idea, its begroting, history and files), ``supports``,
``review`` (what the wijkteam and the initiatiefgroep write), ``accounting`` (milestones,
verantwoording, satisfaction) and ``stuurgroep`` (the stuurgroep's work on a plan: positions,
meetings, assessments, decisions). The statuses are in ``ideas/workflow.py``.
"""

from .accounting import (
    Accounting as Accounting,
)
from .accounting import (
    Milestone as Milestone,
)
from .accounting import (
    SatisfactionSurvey as SatisfactionSurvey,
)
from .idea import (
    Attachment as Attachment,
)
from .idea import (
    BudgetLine as BudgetLine,
)
from .idea import (
    Condition as Condition,
)
from .idea import (
    ConditionQuerySet as ConditionQuerySet,
)
from .idea import (
    Idea as Idea,
)
from .idea import (
    IdeaQuerySet as IdeaQuerySet,
)
from .idea import (
    IdeaSequence as IdeaSequence,
)
from .idea import (
    Kind as Kind,
)
from .idea import (
    Notion as Notion,
)
from .idea import (
    Reach as Reach,
)
from .idea import (
    StatusChange as StatusChange,
)
from .idea import (
    SubmitterKind as SubmitterKind,
)
from .idea import (
    attachment_path as attachment_path,
)
from .idea import (
    private_storage as private_storage,
)
from .review import (
    ConditionCheck as ConditionCheck,
)
from .review import (
    InventoryRemark as InventoryRemark,
)
from .review import (
    ReviewNote as ReviewNote,
)
from .review import (
    StandardText as StandardText,
)
from .stuurgroep import (
    AgendaItem as AgendaItem,
)
from .stuurgroep import (
    Assessment as Assessment,
)
from .stuurgroep import (
    Attendance as Attendance,
)
from .stuurgroep import (
    Meeting as Meeting,
)
from .stuurgroep import (
    OrganisationPosition as OrganisationPosition,
)
from .stuurgroep import (
    Recommendation as Recommendation,
)
from .stuurgroep import (
    Scale as Scale,
)
from .stuurgroep import (
    StuurgroepDecision as StuurgroepDecision,
)
from .supports import (
    PaperSupportList as PaperSupportList,
)
from .supports import (
    Support as Support,
)
from .supports import (
    SupportQuerySet as SupportQuerySet,
)
