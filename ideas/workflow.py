"""The idea's way in one place: its statuses and the groups of statuses the rules speak of.

Which step leads from which status, and who may take it, is the ``TRANSITIONS`` table below (the
one door that applies it is ``ideas/services/transitions.py``); every other module asks here which
statuses belong together.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    CONCEPT = "concept", _("concept")
    INGEDIEND = "ingediend", _("submitted")
    IN_BEHANDELING = "in_behandeling", _("being reviewed")
    AANVULLING_GEVRAAGD = "aanvulling_gevraagd", _("more information asked")
    GOEDGEKEURD = "goedgekeurd", _("meets the conditions")
    BUDGET_TOEGEKEND = "budget_toegekend", _("budget granted")
    BIJ_STUURGROEP = "bij_stuurgroep", _("with the stuurgroep")
    FINANCIERING = "financiering", _("looking for money")
    IN_UITVOERING = "in_uitvoering", _("being carried out")
    GEREALISEERD = "gerealiseerd", _("realised")
    AFGEROND = "afgerond", _("completed")
    AFGEWEZEN = "afgewezen", _("rejected")
    INGETROKKEN = "ingetrokken", _("withdrawn")


# Before the wijkteam decides, the submitter may still withdraw the idea.
OPEN_BEFORE_DECISION = (Status.INGEDIEND, Status.IN_BEHANDELING, Status.AANVULLING_GEVRAAGD)
# The ideas a wijkoverleg's agenda proposes: submitted, and the wijkteam has not decided yet.
TO_DISCUSS = OPEN_BEFORE_DECISION
# The wijkteam's decisions that an advice of the wijkoverleg is about, and those that follow a
# positive advice (a negative advice is followed by rejecting).
DECIDES = (Status.GOEDGEKEURD, Status.BIJ_STUURGROEP, Status.AFGEWEZEN)
FOLLOWS_POSITIVE = (Status.GOEDGEKEURD, Status.BIJ_STUURGROEP)
# The submitter may change the idea while it is a concept or when more information was asked.
EDITABLE_BY_SUBMITTER = (Status.CONCEPT, Status.AANVULLING_GEVRAAGD)


SUBMITTER = "submitter"
TEAM = "team"  # the wijkteam of the idea's area or its gebiedsregisseur
STUURGROEP = "stuurgroep"


@dataclass(frozen=True)
class Transition:
    actor: str
    needs_public_text: bool = False


# The way of an idea: (from, to) → who may make the step and whether a public reason is needed.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (Status.CONCEPT, Status.INGEDIEND): Transition(SUBMITTER),
    (Status.INGEDIEND, Status.IN_BEHANDELING): Transition(TEAM),
    (Status.IN_BEHANDELING, Status.AANVULLING_GEVRAAGD): Transition(TEAM, needs_public_text=True),
    (Status.AANVULLING_GEVRAAGD, Status.IN_BEHANDELING): Transition(
        SUBMITTER, needs_public_text=True
    ),
    (Status.IN_BEHANDELING, Status.GOEDGEKEURD): Transition(TEAM),
    (Status.GOEDGEKEURD, Status.BUDGET_TOEGEKEND): Transition(TEAM),
    (Status.BUDGET_TOEGEKEND, Status.IN_UITVOERING): Transition(TEAM),
    (Status.IN_BEHANDELING, Status.BIJ_STUURGROEP): Transition(TEAM),
    (Status.BIJ_STUURGROEP, Status.FINANCIERING): Transition(STUURGROEP, needs_public_text=True),
    (Status.BIJ_STUURGROEP, Status.IN_BEHANDELING): Transition(STUURGROEP, needs_public_text=True),
    (Status.FINANCIERING, Status.IN_UITVOERING): Transition(TEAM),
    (Status.IN_UITVOERING, Status.GEREALISEERD): Transition(TEAM),
    (Status.GEREALISEERD, Status.AFGEROND): Transition(TEAM),
}
for _open in (
    Status.INGEDIEND,
    Status.IN_BEHANDELING,
    Status.AANVULLING_GEVRAAGD,
    Status.GOEDGEKEURD,
):
    TRANSITIONS[(_open, Status.AFGEWEZEN)] = Transition(TEAM, needs_public_text=True)
TRANSITIONS[(Status.BIJ_STUURGROEP, Status.AFGEWEZEN)] = Transition(
    STUURGROEP, needs_public_text=True
)
for _open in OPEN_BEFORE_DECISION:
    TRANSITIONS[(_open, Status.INGETROKKEN)] = Transition(SUBMITTER)


# Residents can support an idea from when it is sent until it is carried out.
SUPPORTABLE = (
    Status.INGEDIEND,
    Status.IN_BEHANDELING,
    Status.AANVULLING_GEVRAAGD,
    Status.GOEDGEKEURD,
    Status.BUDGET_TOEGEKEND,
    Status.BIJ_STUURGROEP,
    Status.FINANCIERING,
    Status.IN_UITVOERING,
)
# A lange-klap plan that gathers its money: with the stuurgroep, or looking for co-funding.
FUNDING_STATUSES = (Status.BIJ_STUURGROEP, Status.FINANCIERING)
# Turned down or withdrawn: the idea stopped before it was carried out.
STOPPED = (Status.AFGEWEZEN, Status.INGETROKKEN)
# Realised or completed: the idea has (or had) a verantwoording.
WITH_ACCOUNTING = (Status.GEREALISEERD, Status.AFGEROND)

# When an idea is closed the submitter is asked how satisfied they are with how it was handled.
ASKED_HOW_SATISFIED = (Status.AFGEROND, Status.AFGEWEZEN)
# A plan with money (or looking for it) has milestones the wijkteam keeps up to date; these are
# also the running plans of the public overview (with the completed ones of the last year).
MILESTONE_STATUSES = (Status.FINANCIERING, Status.IN_UITVOERING, Status.GEREALISEERD)
# An idea can get money from the bewonersbudget once it is sent and until it is closed or turned
# down (``services.grant_budget``).
GRANTABLE = (
    Status.IN_BEHANDELING,
    Status.GOEDGEKEURD,
    Status.BIJ_STUURGROEP,
    Status.FINANCIERING,
)

# The wijkteam's werkvoorraad: what waits for the team (aanvulling_gevraagd waits for the
# submitter, but stays in sight; so does a realised idea until its verantwoording is sent).
QUEUE_STATUSES = (
    Status.INGEDIEND,
    Status.IN_BEHANDELING,
    Status.AANVULLING_GEVRAAGD,
    Status.GOEDGEKEURD,
    Status.BUDGET_TOEGEKEND,
    Status.IN_UITVOERING,
    Status.GEREALISEERD,
)
# Every idea that is not closed: the queue plus the plans with the stuurgroep or seeking money.
OPEN_STATUSES = (
    Status.INGEDIEND,
    Status.IN_BEHANDELING,
    Status.AANVULLING_GEVRAAGD,
    Status.GOEDGEKEURD,
    Status.BUDGET_TOEGEKEND,
    Status.BIJ_STUURGROEP,
    Status.FINANCIERING,
    Status.IN_UITVOERING,
    Status.GEREALISEERD,
)
# A decision is due in these statuses; past the date the idea is overdue.
DECISION_STATUSES = (Status.INGEDIEND, Status.IN_BEHANDELING)
# A closed idea goes no further: after the retention period its personal data are removed
# (ideas/privacy/retention.py).
CLOSED = (Status.AFGEROND, Status.AFGEWEZEN, Status.INGETROKKEN)
