"""The wijkteam's review: remarks of the initiatiefgroep, voorwaarden checked, internal notes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .idea import Condition, Idea, ShownWithItsIdea


class InventoryRemark(ShownWithItsIdea, models.Model):
    """A remark of the initiatiefgroep on a new idea of its area; seen by the group and the team."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="inventory_remarks", verbose_name=_("idea")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    initiatiefgroep = models.ForeignKey(
        "teams.Initiatiefgroep",
        on_delete=models.CASCADE,
        related_name="inventory_remarks",
        verbose_name=_("initiatiefgroep"),
    )
    text = models.TextField(_("remark"), max_length=2000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("inventory remark")
        verbose_name_plural = _("inventory remarks")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ConditionCheck(ShownWithItsIdea, models.Model):
    """The wijkteam's verdict on one voorwaarde for one idea (the checklist of the review)."""

    class Verdict(models.TextChoices):
        VOLDOET = "voldoet", _("meets it")
        VOLDOET_NIET = "voldoet_niet", _("does not meet it")
        NVT = "nvt", _("does not apply")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="condition_checks", verbose_name=_("idea")
    )
    condition = models.ForeignKey(
        Condition, on_delete=models.PROTECT, related_name="checks", verbose_name=_("condition")
    )
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    remark = models.CharField(_("remark"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)

    class Meta:
        verbose_name = _("condition check")
        verbose_name_plural = _("condition checklist")
        ordering = ["condition__position", "condition__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "condition"], name="conditioncheck_once_per_idea"
            )
        ]

    def __str__(self) -> str:
        return f"{self.condition.title}: {self.get_verdict_display()}"


class ReviewNote(ShownWithItsIdea, models.Model):
    """An internal note of the wijkteam: never shown to the submitter or the public."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="review_notes", verbose_name=_("idea")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Assignment(models.Model):
    """One row per (re)assignment of an idea to a behandelaar, never overwritten: the idea's
    ``behandelaar`` is the latest. Staff only: on no public page (so it keeps the public pages)."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("idea")
    )
    behandelaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
        help_text=_("Empty: nobody handles the idea any more."),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.idea_id} → {self.behandelaar_id}"

    def page_scopes(self) -> list[str]:
        return []  # only the staff pages, which every change makes out of date


class Reminder(models.Model):
    """One row per reminder mail: its key makes sure nobody gets the same reminder twice, also
    when the daily command runs twice or on two servers at once (a digest: once per person per
    day; a question: once per question; a meeting: once per member per meeting)."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("daily overview for staff")
        QUESTION = "question", _("open question of the wijkteam")
        MEETING = "meeting", _("plans to assess before a meeting")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=100)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    def page_scopes(self) -> list[str]:
        return []  # on no page


class StandardText(models.Model):
    """A ready answer for a common case, kept in admin; it fills a reason field and can be edited
    before it is sent."""

    class Use(models.TextChoices):
        QUESTION = "vraag", _("asking for more information")
        APPROVAL = "goedkeuring", _("approving")
        GRANT = "toekenning", _("granting money")
        REJECTION = "afwijzing", _("rejecting")
        STUURGROEP = "stuurgroep", _("sending to the stuurgroep")
        RECLASSIFY = "soort", _("changing the kind")
        OTHER = "overig", _("other steps")

    use = models.CharField(_("used when"), max_length=12, choices=Use.choices)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), max_length=2000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("standard text")
        verbose_name_plural = _("standard texts")
        ordering = ["use", "position", "title"]

    def __str__(self) -> str:
        return self.title
