"""The money: the yearly bewonersbudget per Smederij as a ledger, grants to ideas, spending, and
the co-funding of lange-klap plans.

The ledger (``BudgetEntry``) is only ever added to. ``Budget.available`` is the sum of the ledger,
kept by the services in the same transaction as the entry that changes it; the database refuses a
negative value (a check constraint), so no bug and no direct update can overspend a budget.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smederijen.templatetags.money import format_euro

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class Budget(models.Model):
    """The korte-klap bewonersbudget of one Smederij for one year."""

    smederij = models.ForeignKey(
        "smederijen.Smederij",
        on_delete=models.PROTECT,
        related_name="budgets",
        verbose_name=_("Smederij"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    available = models.DecimalField(
        _("available"),
        **MONEY,
        default=ZERO,
        editable=False,
        help_text=_("The sum of the ledger; changes only through the ledger."),
    )
    is_closed = models.BooleanField(
        _("closed"),
        default=False,
        help_text=_("A closed year takes no more grants, top-ups or corrections."),
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "smederij__name"]
        constraints = [
            models.UniqueConstraint(fields=["smederij", "year"], name="budget_one_per_area_year"),
            # The rule that matters most, held by the database itself: never below zero.
            models.CheckConstraint(
                condition=Q(available__gte=0),
                name="budget_never_below_zero",
                violation_error_message=_("The budget cannot go below zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.smederij} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse(
            "budgets:budget-detail", kwargs={"slug": self.smederij.slug, "year": self.year}
        )


class EntryKind(models.TextChoices):
    OPENING = "opening", _("opening amount")
    TOP_UP = "ophoging", _("top-up")
    CORRECTION = "correctie", _("correction")
    GRANT = "toekenning", _("grant")
    GRANT_LOWERED = "verlaging", _("grant lowered")
    GRANT_WITHDRAWN = "intrekking", _("grant withdrawn")
    RETURN = "teruggave", _("unspent money returned")


# Which way each kind of entry moves the money: +1 adds to the budget, -1 takes from it,
# 0 either way (a correction).
ENTRY_SIGN = {
    EntryKind.OPENING: 1,
    EntryKind.TOP_UP: 1,
    EntryKind.CORRECTION: 0,
    EntryKind.GRANT: -1,
    EntryKind.GRANT_LOWERED: 1,
    EntryKind.GRANT_WITHDRAWN: 1,
    EntryKind.RETURN: 1,
}


class BudgetEntry(models.Model):
    """One line of the ledger. Never changed or deleted: a mistake is set right by a new line."""

    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, related_name="entries", verbose_name=_("budget")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(
        _("amount"), **MONEY, help_text=_("Positive adds to the budget, negative takes from it.")
    )
    grant = models.ForeignKey(
        "Grant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("grant"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["budget", "kind"], name="budgetentry_budget_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[EntryKind.OPENING, EntryKind.TOP_UP], amount__gt=0)
                | Q(
                    kind__in=[
                        EntryKind.GRANT_LOWERED,
                        EntryKind.GRANT_WITHDRAWN,
                        EntryKind.RETURN,
                    ],
                    amount__gt=0,
                    grant__isnull=False,
                )
                | Q(kind=EntryKind.GRANT, amount__lt=0, grant__isnull=False)
                | (Q(kind=EntryKind.CORRECTION) & ~Q(amount=0)),
                name="budgetentry_amount_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_euro(self.amount)}"


class Grant(models.Model):
    """Money from an area's budget for one idea. ``amount`` is what the idea may spend now."""

    class State(models.TextChoices):
        ACTIVE = "actief", _("active")
        WITHDRAWN = "ingetrokken", _("withdrawn")
        SETTLED = "afgerekend", _("settled")

    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, related_name="grants", verbose_name=_("budget")
    )
    idea = models.OneToOneField(
        "ideas.Idea", on_delete=models.PROTECT, related_name="grant", verbose_name=_("idea")
    )
    amount = models.DecimalField(_("granted"), **MONEY)
    spent = models.DecimalField(_("spent"), **MONEY, default=ZERO)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.ACTIVE)
    granted_at = models.DateTimeField(_("granted on"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-granted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(spent__gte=0) & Q(spent__lte=models.F("amount")),
                name="grant_spent_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea} ({format_euro(self.amount)})"

    @property
    def unspent(self) -> Decimal:
        return self.amount - self.spent


class Payment(models.Model):
    """Money spent against a grant: an invoice paid, a receipt refunded."""

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="payments", verbose_name=_("grant")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"), default=timezone.localdate)
    description = models.CharField(_("what for"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.description} ({format_euro(self.amount)})"


class FundingSource(models.Model):
    """Where the money for a lange-klap plan comes from, and how sure it is."""

    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", _("municipality")
        WONINGCORPORATIE = "woningcorporatie", _("housing corporation")
        FONDS = "fonds", _("fund")
        SPONSOR = "sponsor", _("sponsor")
        EIGEN_BIJDRAGE = "eigen_bijdrage", _("own contribution")
        BEWONERSBUDGET = "bewonersbudget", _("resident budget")
        OVERIG = "overig", _("other")

    class Status(models.TextChoices):
        GEVRAAGD = "gevraagd", _("asked")
        TOEGEZEGD = "toegezegd", _("promised")
        AFGEWEZEN = "afgewezen", _("refused")
        ONTVANGEN = "ontvangen", _("received")

    COMMITTED = (Status.TOEGEZEGD, Status.ONTVANGEN)

    idea = models.ForeignKey(
        "ideas.Idea",
        on_delete=models.PROTECT,
        related_name="funding_sources",
        verbose_name=_("idea"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=150, help_text=_("For example: Oranje Fonds, Domesta, Rabobank.")
    )
    amount = models.DecimalField(
        _("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.GEVRAAGD
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["idea", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fundingsource_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"
