"""The idea's way in one place: its statuses and the groups of statuses the rules speak of.

Which step leads from which status, and who may take it, is the ``TRANSITIONS`` table in
``ideas/services/workflow.py``; every other module asks here which statuses belong together.
"""

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
# The submitter may change the idea while it is a concept or when more information was asked.
EDITABLE_BY_SUBMITTER = (Status.CONCEPT, Status.AANVULLING_GEVRAAGD)
