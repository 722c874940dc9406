"""The stuurgroep's work on lange-klap plans: positions of the organisations, meetings with their
agenda and who was there, each member's assessment, and the decision.

The stuurgroep itself and its seats are people and bodies (``teams.models``); its work is about
plans, so it lives with the ideas. Changes go through ``ideas.services.stuurgroep`` (the decision
moves the idea through ``transition``). The tables keep the names they had in teams, so moving
the code here moved no data.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .idea import Idea, ShownWithItsIdea


class Scale(models.IntegerChoices):
    """How strong the support is, as a member of the stuurgroep judges it."""

    NONE = 1, _("hardly any support")
    LITTLE = 2, _("little support")
    SOME = 3, _("some support")
    BROAD = 4, _("broad support")
    VERY_BROAD = 5, _("very broad support")


class Recommendation(models.TextChoices):
    POSITIEF = "positief", _("positive")
    NEGATIEF = "negatief", _("negative")
    AANHOUDEN = "aanhouden", _("hold over")


class OrganisationPosition(ShownWithItsIdea, models.Model):
    """A partner organisation's position on a plan, recorded by that organisation's staff."""

    class Stance(models.TextChoices):
        STEUNT = "steunt", _("supports it")
        STEUNT_NIET = "steunt_niet", _("does not support it")
        NEUTRAAL = "neutraal", _("neutral")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="positions", verbose_name=_("plan")
    )
    organisation = models.ForeignKey(
        "teams.Organisation",
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("organisation"),
    )
    stance = models.CharField(_("position"), max_length=12, choices=Stance.choices)
    explanation = models.TextField(_("explanation"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        db_table = "teams_organisationposition"  # kept from when teams held it
        verbose_name = _("position of an organisation")
        verbose_name_plural = _("positions of organisations")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "organisation"], name="position_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_stance_display()}"


class Meeting(models.Model):
    """A vergadering of the stuurgroep: when, where, the plans on the agenda, who was there."""

    stuurgroep = models.ForeignKey(
        "teams.Stuurgroep",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("stuurgroep"),
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    notes = models.TextField(_("notes for the agenda"), max_length=2000, blank=True)
    agenda = models.ManyToManyField(
        Idea, through="AgendaItem", related_name="meetings", verbose_name=_("agenda")
    )

    class Meta:
        db_table = "teams_meeting"  # kept from when teams held it
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.stuurgroep} {timezone.localtime(self.starts_at):%d-%m-%Y}"


class AgendaItem(ShownWithItsIdea, models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    idea = models.ForeignKey(
        Idea, on_delete=models.PROTECT, related_name="agenda_items", verbose_name=_("plan")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        db_table = "teams_agendaitem"  # kept from when teams held it
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "idea"], name="agenda_item_once")]

    def __str__(self) -> str:
        return str(self.idea)


class Attendance(models.Model):
    """A seated member at a meeting: present or not."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        "teams.StuurgroepMember",
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("member"),
    )
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        db_table = "teams_attendance"  # kept from when teams held it
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["member__seat"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {_('present') if self.present else _('absent')}"


class Assessment(ShownWithItsIdea, models.Model):
    """One member's judgement of a plan's support, with a recommendation; a member with a
    conflict of interest declares it and does not judge or vote."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("plan")
    )
    member = models.ForeignKey(
        "teams.StuurgroepMember",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("member"),
    )
    has_conflict = models.BooleanField(_("conflict of interest"), default=False)
    conflict_note = models.CharField(_("what the conflict is"), max_length=300, blank=True)
    residents_support = models.PositiveSmallIntegerField(
        _("support of residents"), choices=Scale.choices, null=True, blank=True
    )
    professionals_support = models.PositiveSmallIntegerField(
        _("support of professionals"), choices=Scale.choices, null=True, blank=True
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    remark = models.TextField(_("remark"), max_length=2000, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        db_table = "teams_assessment"  # kept from when teams held it
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["member__seat"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "member"], name="assessment_once_per_member"),
            models.CheckConstraint(
                condition=models.Q(has_conflict=True)
                | (
                    models.Q(residents_support__isnull=False)
                    & models.Q(professionals_support__isnull=False)
                    & ~models.Q(recommendation="")
                ),
                name="assessment_complete_unless_conflict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.idea}"


class StuurgroepDecision(ShownWithItsIdea, models.Model):
    """The decision on a plan in a meeting: the outcome, the public reason and the votes (only
    counts: never who voted how)."""

    idea = models.ForeignKey(
        Idea, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("plan")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting")
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Recommendation.choices)
    public_reason = models.TextField(_("public reason"), max_length=4000)
    votes_for = models.PositiveSmallIntegerField(_("votes for"))
    votes_against = models.PositiveSmallIntegerField(_("votes against"))
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        db_table = "teams_stuurgroepdecision"  # kept from when teams held it
        verbose_name = _("stuurgroep decision")
        verbose_name_plural = _("stuurgroep decisions")
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "meeting"], name="decision_once_per_plan_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.idea}: {self.get_outcome_display()}"
