"""An idea from the ideeformulier: the idea itself, its begroting, history and attachments."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smederijen import pagecache
from smederijen.fields import money_validators
from smederijen.models import Smederij

from ..workflow import EDITABLE_BY_SUBMITTER, OPEN_BEFORE_DECISION, Status


class ShownWithItsIdea:
    """A row that shows on its idea's pages: a change of it makes those kept pages out of date
    (smederijen/pagecache.py)."""

    def page_scopes(self) -> list[str]:
        try:
            return self.idea.page_scopes()
        except Idea.DoesNotExist:  # its idea is gone already: every page, to be sure
            return [pagecache.SITE]


def private_storage():
    """Uploads live outside the public folders; only views that check who asks serve them."""
    return storages["private"]


class Kind(models.TextChoices):
    KORTE_KLAP = "korte_klap", _("korte klap")
    LANGE_KLAP = "lange_klap", _("lange klap")


class Reach(models.TextChoices):
    STRAAT = "straat", _("my street")
    BUURT = "buurt", _("my buurt (neighbourhood)")
    WIJK = "wijk", _("the whole wijk (district)")
    DORP = "dorp", _("the whole dorp (village)")


class SubmitterKind(models.TextChoices):
    INWONER = "inwoner", _("a resident")
    ORGANISATIE = "organisatie", _("an organisation")
    VERENIGING = "vereniging", _("a vereniging (association or club)")


class Notion(models.TextChoices):
    LEEFBAARHEID = "leefbaarheid", _("leefbaarheid (a nicer place to live)")
    SAAMHORIGHEID = "saamhorigheid", _("saamhorigheid (togetherness)")
    ONTMOETEN = "ontmoeten", _("ontmoeten (meeting each other)")
    ZELFWERKZAAMHEID = "zelfwerkzaamheid", _("zelfwerkzaamheid (doing it yourselves)")


class ConditionQuerySet(models.QuerySet):
    def for_year(self, year: int, kind: str | None = None):
        conditions = self.filter(year=year)
        if kind:
            conditions = conditions.filter(kind__in=[kind, Condition.Applies.BOTH])
        return conditions


class Condition(models.Model):
    """A voorwaarde an idea must meet; staff keep them in admin per year and per kind."""

    class Applies(models.TextChoices):
        BOTH = "beide", _("both kinds")
        KORTE_KLAP = Kind.KORTE_KLAP.value, Kind.KORTE_KLAP.label
        LANGE_KLAP = Kind.LANGE_KLAP.value, Kind.LANGE_KLAP.label

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    kind = models.CharField(
        _("applies to"), max_length=12, choices=Applies.choices, default=Applies.BOTH
    )
    title = models.CharField(_("title"), max_length=150)
    text = models.TextField(_("explanation"), max_length=2000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ConditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("condition (voorwaarde)")
        verbose_name_plural = _("conditions (voorwaarden)")
        ordering = ["year", "position", "pk"]
        indexes = [models.Index(fields=["year", "kind"], name="condition_year_kind")]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class IdeaSequence(models.Model):
    """The last reference number handed out per year; locked while the next is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


# What an idea's card shows (templates/ideas/_idea_card.html), besides its area's name.
CARD_FIELDS = (
    "reference",
    "title",
    "summary",
    "status",
    "kind",
    "amount_requested",
    "submitted_at",
    "smederij",
)


class IdeaQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True).exclude(status=Status.CONCEPT)

    def for_cards(self):
        """With what an idea's card in the lists and the search shows, and no more
        (templates/ideas/_idea_card.html). A search ranks and counts every match: on narrow rows
        that took 5.3 instead of 8.3 ms for a word found in 1,278 ideas."""
        return self.select_related("smederij").only(*CARD_FIELDS, "smederij__name")

    def submitted(self):
        return self.exclude(status=Status.CONCEPT)

    def published_years(self) -> list[int]:
        """The years of the public ideas, newest first. Read as a loose index scan (the next
        year after the last one found, along the index on year): a few index reads where SELECT
        DISTINCT read every public idea (3 of the idea list's 9 ms of SQL with 10,000 ideas)."""
        table = self.model._meta.db_table
        public = "is_published AND status <> %s"
        sql = (
            f"WITH RECURSIVE found(year) AS ("  # noqa: S608 - names from the model, values bound
            f"SELECT MIN(year) FROM {table} WHERE year IS NOT NULL AND {public} "
            f"UNION ALL SELECT (SELECT MIN(year) FROM {table} WHERE year > found.year AND {public})"
            f" FROM found WHERE found.year IS NOT NULL) "
            f"SELECT year FROM found WHERE year IS NOT NULL"
        )
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [Status.CONCEPT.value, Status.CONCEPT.value])
            return sorted((row[0] for row in cursor.fetchall() if row[0]), reverse=True)


class Idea(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=12, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )

    # Where and for whom.
    kind = models.CharField(_("kind of idea"), max_length=12, choices=Kind.choices, blank=True)
    smederij = models.ForeignKey(
        "smederijen.Smederij",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("Smederij"),
    )
    location = models.CharField(_("where"), max_length=200, blank=True)
    reach = models.CharField(_("for which part"), max_length=10, choices=Reach.choices, blank=True)
    target_group = models.CharField(_("for whom"), max_length=200, blank=True)

    # The idea.
    title = models.CharField(_("title"), max_length=120, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    serves_leefbaarheid = models.BooleanField(Notion.LEEFBAARHEID.label, default=False)
    serves_saamhorigheid = models.BooleanField(Notion.SAAMHORIGHEID.label, default=False)
    serves_ontmoeten = models.BooleanField(Notion.ONTMOETEN.label, default=False)
    serves_zelfwerkzaamheid = models.BooleanField(Notion.ZELFWERKZAAMHEID.label, default=False)
    notions_explanation = models.TextField(_("how it serves them"), max_length=2000, blank=True)

    # Draagvlak and own effort.
    support_description = models.TextField(_("who supports it"), max_length=2000, blank=True)
    supporters_estimate = models.PositiveIntegerField(
        _("how many people support it"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100000)],
    )
    neighbours_involvement = models.TextField(
        _("how neighbours were involved"), max_length=2000, blank=True
    )
    own_effort = models.TextField(
        _("what the submitters do themselves"), max_length=2000, blank=True
    )

    # Money and planning.
    amount_requested = models.DecimalField(
        _("amount asked"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=money_validators,
    )
    own_contribution = models.DecimalField(
        _("own contribution"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=money_validators,
    )
    other_funding = models.DecimalField(
        _("other money"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=money_validators,
    )
    other_funding_note = models.CharField(
        _("where the other money comes from"), max_length=200, blank=True
    )
    start_date = models.DateField(_("planned start"), null=True, blank=True)
    end_date = models.DateField(_("planned end"), null=True, blank=True)

    # Who submits (contact details are never public).
    submitter_kind = models.CharField(
        _("submitted by"), max_length=12, choices=SubmitterKind.choices, blank=True
    )
    organisation_name = models.CharField(_("name of the organisation"), max_length=150, blank=True)
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail address"), blank=True)
    contact_phone = models.CharField(_("phone number"), max_length=30, blank=True)
    contact_address = models.CharField(_("address"), max_length=200, blank=True)
    name_is_public = models.BooleanField(_("name may be shown with the idea"), default=False)
    accepted_conditions = models.BooleanField(_("agrees to the conditions"), default=False)
    accepted_privacy = models.BooleanField(_("agrees to the privacy statement"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("account"),
    )

    # Who handles the idea for the wijkteam (one of the people who act for its area); changed only
    # through services.assign, which keeps the history in Assignment.
    behandelaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_ideas",
        verbose_name=_("handled by"),
        editable=False,
    )

    is_published = models.BooleanField(_("published on the site"), default=False)
    created_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    decision_due = models.DateField(_("decision due"), null=True, blank=True, editable=False)
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the contact details were removed (erasure or retention period)."),
    )

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="idea_reference_unique"
            ),
            models.UniqueConstraint(fields=["year", "number"], name="idea_year_number_unique"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="idea_period_in_order",
            ),
            models.CheckConstraint(
                condition=(Q(amount_requested__isnull=True) | Q(amount_requested__gte=0))
                & Q(own_contribution__gte=0)
                & Q(other_funding__gte=0),
                name="idea_amounts_not_negative",
            ),
        ]
        indexes = [
            models.Index(
                fields=["is_published", "status", "-submitted_at"], name="idea_public_list"
            ),
            # The public idea list, newest first, without a filter on status.
            models.Index(
                fields=["-submitted_at", "-id"],
                condition=Q(is_published=True),
                name="idea_published_newest",
            ),
            models.Index(fields=["smederij", "status"], name="idea_area_status"),
            # The werkvoorraad: an area's ideas oldest first, read in order (20 rows, not every
            # open idea of the area sorted).
            models.Index(fields=["smederij", "submitted_at", "id"], name="idea_area_submitted"),
            models.Index(fields=["year", "kind"], name="idea_year_kind"),
        ]

    def __str__(self) -> str:
        title = self.title or _("(no title yet)")
        return f"{self.reference} {title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("ideas:idea-detail", kwargs={"reference": self.reference})

    @classmethod
    def from_db(cls, db, field_names, values):
        idea = super().from_db(db, field_names, values)
        # What the kept pages showed of it (page_scopes): its area, and whether it was sent in.
        idea._shown_as = (idea.__dict__.get("smederij_id"), idea.__dict__.get("status"))
        return idea

    def page_scopes(self) -> list[str]:
        """The kept pages a change of this idea makes out of date (smederij/pagecache.py): its own
        page, the pages of its area (and of the area it was in) and the lists of every idea. A
        concept is on no public page."""
        was_area, was_status = getattr(self, "_shown_as", (self.smederij_id, Status.CONCEPT))
        if self.status == was_status == Status.CONCEPT:
            return []
        areas = {self.smederij_id, was_area} - {None}
        if Idea.smederij.is_cached(self) and self.smederij is not None:
            slugs = {self.smederij.slug}
            areas.discard(self.smederij_id)
        else:
            slugs = set()
        if areas:
            slugs.update(Smederij.objects.filter(pk__in=areas).values_list("slug", flat=True))
        return [
            pagecache.EVERY_IDEA,
            pagecache.idea_scope(self.reference),
            *(pagecache.area_scope(slug) for slug in slugs),
        ]

    @property
    def notions(self) -> list[str]:
        return [n for n in Notion.values if getattr(self, f"serves_{n}")]

    def notion_labels(self) -> list[str]:
        return [Notion(n).label for n in self.notions]

    @property
    def budget_total(self) -> Decimal:
        """The begroting's total; reads prefetched lines when they are there."""
        return sum((line.amount for line in self.budget_lines.all()), Decimal("0.00"))

    @property
    def public_name(self) -> str:
        """Who submitted it, as the public may see: the organisation, or the name with consent."""
        if self.submitter_kind in (SubmitterKind.ORGANISATIE, SubmitterKind.VERENIGING):
            return self.organisation_name
        return self.contact_name if self.name_is_public else ""

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_BY_SUBMITTER

    @property
    def can_be_withdrawn(self) -> bool:
        return self.status in OPEN_BEFORE_DECISION


class BudgetLine(ShownWithItsIdea, models.Model):
    """One line of the idea's begroting: what it is and what it costs."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("idea")
    )
    item = models.CharField(_("what"), max_length=120)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, validators=money_validators
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("begroting")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="budgetline_amount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.item


class StatusChange(ShownWithItsIdea, models.Model):
    """One row per change of an idea's status: the history is never overwritten."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="history", verbose_name=_("idea")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    public_text = models.TextField(_("public explanation"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    mail_queued = models.BooleanField(
        _("mail sent"), default=False, help_text=_("Whether the submitter was mailed.")
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["idea", "at"], name="statuschange_idea_at")]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


def attachment_path(instance, filename: str) -> str:
    # The stored name says nothing about the idea or the person; the original name is kept apart.
    return f"ideas/{instance.public_id.hex[:2]}/{instance.public_id.hex}{instance.extension}"


class Attachment(ShownWithItsIdea, models.Model):
    class FileKind(models.TextChoices):
        PHOTO = "photo", _("photo")
        PDF = "pdf", _("PDF document")

    class Purpose(models.TextChoices):
        IDEA = "idee", _("with the idea")
        RECEIPT = "bon", _("receipt or invoice")
        RESULT = "resultaat", _("photo of the result")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("idea")
    )
    purpose = models.CharField(
        _("what it is"), max_length=10, choices=Purpose.choices, default=Purpose.IDEA
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    file_kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("size in bytes"))
    is_public = models.BooleanField(
        _("may be shown on the public page"),
        default=False,
        help_text=_("Only photos, and only with the submitter's consent."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("ideas:attachment", kwargs={"public_id": self.public_id})

    @property
    def extension(self) -> str:
        return {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}.get(
            self.content_type, ""
        )


# The columns of a card's row (``CardRow``: the idea list and the search), in this order: the
# card's own fields (CARD_FIELDS but for the moment and the area), the area's key and name, and
# the number of supporters.
CARD_COLUMNS = (
    "pk",
    *(name for name in CARD_FIELDS if name not in ("submitted_at", "smederij")),
    "smederij_id",
    "support_total",
    "smederij_name",
)


class CardRow:
    """An idea as its card shows it (ideas/templatetags/idea_cards.py): a row of the idea list's
    query or the search's, no model instance (twenty ideas and their areas as instances were a
    tenth of the list's time). A card not kept yet is made from ``as_idea()``."""

    __slots__ = CARD_COLUMNS

    def __init__(self, row):
        for name, value in zip(CARD_COLUMNS, row, strict=True):
            setattr(self, name, value)
        if self.amount_requested is not None and not isinstance(self.amount_requested, Decimal):
            # SQLite gives a number: the amount as the model reads it.
            self.amount_requested = Idea._meta.get_field("amount_requested").to_python(
                self.amount_requested
            )

    @property
    def smederij(self):
        return Smederij(pk=self.smederij_id, name=self.smederij_name) if self.smederij_id else None

    def as_idea(self) -> Idea:
        idea = Idea(**{name: getattr(self, name) for name in CARD_COLUMNS[:-2]})
        idea.smederij = self.smederij
        idea.support_total = self.support_total
        return idea
