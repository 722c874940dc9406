"""Het wijkoverleg: under the guidance of the gebiedsregisseur, the initiatiefgroep discusses the
submitted ideas of its area with the wijkteam.

An overleg is planned for one or more areas (``smederijen``: a wijk or dorp, or the areas of one
team), with a time, a place and an optional online link. Its agenda (``OverlegItem``) holds the
ideas of those areas that wait to be discussed, oldest first, and free points. Each invited person
(``Invitation``: the members of the areas' initiatiefgroepen and the people who act for the areas)
gets a mail with a calendar file and answers with one link whether they come; initiatiefgroep
members add their remark or advice per idea beforehand (``ItemRemark``).

The stuurgroep's ``Meeting`` is the other body that meets. The two share the calendar file and the
way an agenda is ordered (``position``), not their tables: the stuurgroep counts seats for its
quorum and votes on plans; the wijkoverleg invites people, who answer, and gives advice. See the
README ("Het wijkoverleg").

Every change goes through ``ideas.services.overleg``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .idea import Idea
from .stuurgroep import Recommendation


class Overleg(models.Model):
    class State(models.TextChoices):
        GEPLAND = "gepland", _("planned")
        AFGELAST = "afgelast", _("cancelled")
        VERSLAG = "verslag", _("minutes in draft")
        AFGESLOTEN = "afgesloten", _("minutes final")

    public_id = models.UUIDField(
        _("public number"), default=uuid.uuid4, unique=True, editable=False
    )
    smederijen = models.ManyToManyField(
        "smederijen.Smederij", related_name="overleggen", verbose_name=_("areas")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    online_link = models.URLField(_("online link"), blank=True, max_length=500)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default="gepland")
    # The calendar file's SEQUENCE: raised with every change of time or place, so a calendar
    # replaces the appointment it has instead of adding a second one.
    sequence = models.PositiveIntegerField(_("version"), default=0, editable=False)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("planned on"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("minutes final on"), null=True, blank=True)

    class Meta:
        verbose_name = _("wijkoverleg")
        verbose_name_plural = _("wijkoverleggen")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="overleg_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Wijkoverleg')} {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"

    def page_scopes(self) -> list[str]:
        # On no kept page: the Smederij and initiatiefgroep pages that show the next overleg are
        # made for each visit, and the discussion reaches an idea's page as a line of its history
        # (a StatusChange, with the idea's own scopes). Planning, changing or recording an
        # overleg (and its areas, m2m_changed) clears no kept page.
        return []


class OverlegItem(models.Model):
    """A point on the agenda: an idea of one of the overleg's areas, or a free point (a title)."""

    overleg = models.ForeignKey(
        Overleg, on_delete=models.CASCADE, related_name="items", verbose_name=_("wijkoverleg")
    )
    idea = models.ForeignKey(
        Idea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="overleg_items",
        verbose_name=_("idea"),
    )
    title = models.CharField(_("topic"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # What the chair records (the minutes).
    discussion = models.TextField(_("what was discussed"), max_length=4000, blank=True)
    public_summary = models.TextField(_("public summary"), max_length=2000, blank=True)
    advice = models.CharField(
        _("advice of the initiatiefgroep"),
        max_length=10,
        choices=Recommendation.choices,
        blank=True,
    )
    advice_reason = models.TextField(_("reason for the advice"), max_length=2000, blank=True)
    next_step_who = models.CharField(_("next step: who"), max_length=200, blank=True)
    next_step_what = models.CharField(_("next step: what"), max_length=500, blank=True)
    next_step_by = models.DateField(_("next step: by when"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda point")
        verbose_name_plural = _("agenda")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["overleg", "idea"],
                condition=models.Q(idea__isnull=False),
                name="overleg_item_idea_once",
            ),
            models.CheckConstraint(
                condition=models.Q(idea__isnull=False) | ~models.Q(title=""),
                name="overleg_item_idea_or_title",
            ),
        ]

    def __str__(self) -> str:
        return str(self.idea) if self.idea_id else self.title

    def page_scopes(self) -> list[str]:
        return []  # as its overleg: on no kept page


class Invitation(models.Model):
    """One invited person: their answer (through the link in the mail) and, later, whether they
    were there. Never on a public page."""

    class Answer(models.TextChoices):
        OPEN = "", _("not answered yet")
        JA = "ja", _("comes")
        NEE = "nee", _("does not come")

    class Role(models.TextChoices):
        INITIATIEFGROEP = "initiatiefgroep", _("initiatiefgroep")
        TEAM = "team", _("wijkteam or gebiedsregisseur")

    overleg = models.ForeignKey(
        Overleg, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("wijkoverleg")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="overleg_invitations",
        verbose_name=_("invited"),
    )
    role = models.CharField(_("invited as"), max_length=16, choices=Role.choices)
    token = models.UUIDField(_("link to answer"), default=uuid.uuid4, unique=True, editable=False)
    answer = models.CharField(
        _("answer"), max_length=4, choices=Answer.choices, blank=True, default=""
    )
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    present = models.BooleanField(_("present"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["role", "user__first_name", "user__last_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["overleg", "user"], name="invitation_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_answer_display()}"

    def page_scopes(self) -> list[str]:
        return []  # on no public page


class ItemRemark(models.Model):
    """An initiatiefgroep member's remark or advice on an idea on the agenda, written beforehand.
    Read by the invited people and the area's staff; never public."""

    item = models.ForeignKey(
        OverlegItem,
        on_delete=models.CASCADE,
        related_name="remarks",
        verbose_name=_("agenda point"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("by"),
    )
    advice = models.CharField(
        _("advice"), max_length=10, choices=Recommendation.choices, blank=True
    )
    text = models.TextField(_("remark"), max_length=2000)
    written_at = models.DateTimeField(_("written on"), default=timezone.now)

    class Meta:
        verbose_name = _("remark before the wijkoverleg")
        verbose_name_plural = _("remarks before the wijkoverleg")
        ordering = ["written_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "author"], name="item_remark_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"

    def page_scopes(self) -> list[str]:
        return []  # on no public page
