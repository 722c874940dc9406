"""After the grant: milestones, the verantwoording and the satisfaction survey."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smederijen.fields import money_validators

from .idea import Idea, ShownWithItsIdea


class Accounting(ShownWithItsIdea, models.Model):
    """The verantwoording after realisation: what it really cost, how it went, receipts and photos
    (as attachments with purpose ``bon`` or ``resultaat``). The wijkteam signs it off; then unspent
    money goes back to the area's budget and the idea is ``afgerond``."""

    class State(models.TextChoices):
        OPEN = "open", _("being written by the submitter")
        SENT = "ingediend", _("sent to the wijkteam")
        SIGNED_OFF = "goedgekeurd", _("signed off")

    idea = models.OneToOneField(
        Idea, on_delete=models.CASCADE, related_name="accounting", verbose_name=_("idea")
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    actual_cost = models.DecimalField(
        _("what it really cost"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=money_validators,
    )
    story = models.TextField(_("how it went"), max_length=2000, blank=True)
    photos_public = models.BooleanField(_("the photos may be shown on the website"), default=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    accepted_cost = models.DecimalField(
        _("costs accepted by the wijkteam"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=money_validators,
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )

    class Meta:
        verbose_name = _("verantwoording")
        verbose_name_plural = _("verantwoordingen")
        constraints = [
            models.CheckConstraint(
                condition=(Q(actual_cost__isnull=True) | Q(actual_cost__gte=0))
                & (Q(accepted_cost__isnull=True) | Q(accepted_cost__gte=0)),
                name="accounting_costs_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.idea)


class SatisfactionSurvey(ShownWithItsIdea, models.Model):
    """Asked once, when an idea is closed (afgerond or afgewezen): how satisfied is the submitter
    with how their idea was handled, and why. Reports show the totals, never one person's answer
    in public. The link in the mail carries the random token; no sign-in needed."""

    class Score(models.IntegerChoices):
        VERY_DISSATISFIED = 1, _("very dissatisfied")
        DISSATISFIED = 2, _("dissatisfied")
        NEUTRAL = 3, _("neither satisfied nor dissatisfied")
        SATISFIED = 4, _("satisfied")
        VERY_SATISFIED = 5, _("very satisfied")

    idea = models.OneToOneField(
        Idea, on_delete=models.CASCADE, related_name="satisfaction", verbose_name=_("idea")
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    score = models.PositiveSmallIntegerField(
        _("how satisfied"), choices=Score.choices, null=True, blank=True
    )
    reason = models.TextField(_("why"), max_length=1000, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("satisfaction question")
        verbose_name_plural = _("satisfaction questions")
        ordering = ["-asked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="satisfaction_score_one_to_five",
            ),
        ]
        indexes = [models.Index(fields=["answered_at"], name="satisfaction_answered")]

    def __str__(self) -> str:
        return str(self.idea)

    def get_absolute_url(self) -> str:
        return reverse("ideas:satisfaction", kwargs={"token": self.token})


class Milestone(ShownWithItsIdea, models.Model):
    """A step of a funded plan on its way to completion, shown on the public page."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("plan")
    )
    title = models.CharField(_("title"), max_length=150)
    planned_on = models.DateField(_("planned"))
    done_on = models.DateField(_("done"), null=True, blank=True)
    public_note = models.CharField(_("short note for the website"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["planned_on", "position", "pk"]

    def __str__(self) -> str:
        return self.title
