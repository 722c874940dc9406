"""Supports: residents who back an idea online, and paper lists of signatures."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smederijen import pagecache

from .idea import Idea, private_storage


class CountedWithItsIdea:
    """A row that only adds to its idea's number of supporters. A change of it makes the idea's
    own page out of date; the lists and the search show the number as a hole of the kept page,
    filled anew for each visitor (ideas/templatetags/idea_cards.py), and stay (the staff pages
    are out of date after every change anyway). The parts of pages that show the numbers (the
    cards of a page of the list, ideas/public_views.py) are made again (``supporters``)."""

    def counts(self) -> bool:
        return True

    def page_scopes(self) -> list[str]:
        if not self.counts():
            return []
        try:
            return [pagecache.idea_scope(self.idea.reference), pagecache.SUPPORTERS]
        except Idea.DoesNotExist:  # its idea is gone already: every page, to be sure
            return [pagecache.SITE]


class SupportQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Support(CountedWithItsIdea, models.Model):
    """Someone says they support a public idea; it counts once the e-mail link is confirmed."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="supports", verbose_name=_("idea")
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    street = models.CharField(_("street or postcode"), max_length=100)
    smederij = models.ForeignKey(
        "smederijen.Smederij",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lives in"),
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("given"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint("idea", Lower("email"), name="support_once_per_email_per_idea")
        ]
        indexes = [models.Index(fields=["idea", "confirmed_at"], name="support_idea_confirmed")]

    def __str__(self) -> str:
        # No name or street: this text lands in admin's history and the audit trail.
        return _("support %(number)s for %(idea)s") % {
            "number": self.pk,
            "idea": self.idea.reference,
        }

    def counts(self) -> bool:
        """A support counts only once it is confirmed; until then no public page shows it."""
        return self.confirmed_at is not None


class PaperSupportList(CountedWithItsIdea, models.Model):
    """A list of signatures on paper, counted and noted by staff (with a scan if there is one)."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="paper_lists", verbose_name=_("idea")
    )
    count = models.PositiveIntegerField(
        _("number of signatures"), validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("For example: which streets signed.")
    )
    scan = models.FileField(
        _("scan"), storage=private_storage, upload_to="paper-lists/", blank=True
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("paper support list")
        verbose_name_plural = _("paper support lists")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.count}"
