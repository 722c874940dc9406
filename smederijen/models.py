from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


class SmederijQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Smederij(models.Model):
    """One area of the programme: a wijk of Hoogeveen or a dorp around it."""

    class Kind(models.TextChoices):
        WIJK = "wijk", _("wijk (district)")
        DORP = "dorp", _("dorp (village)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("web address"),
        max_length=100,
        unique=True,
        help_text=_("The last part of the page address, for example 'krakeel'."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WIJK)
    description = models.TextField(
        _("short description"),
        max_length=600,
        help_text=_("A few sentences about the area, shown on its page."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Only active Smederijen are shown on the site."),
    )
    gebiedsregisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regie_smederijen",
        limit_choices_to={"groups__name": "Gebiedsregisseur"},
        verbose_name=_("gebiedsregisseur"),
        help_text=_("Each Smederij has one gebiedsregisseur; they see and act on all of it."),
    )

    objects = SmederijQuerySet.as_manager()

    class Meta:
        verbose_name = _("Smederij")
        verbose_name_plural = _("Smederijen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("smederijen:smederij-detail", kwargs={"slug": self.slug})


def validate_local_path(value: str) -> None:
    """Featured items link inside the portal only: no page may refer to another host.

    Django's own redirect-safety check catches the tricks browsers forgive (`/\\host`,
    `/<tab>/host`); any white space or backslash is refused as well.
    """
    if (
        not value.startswith("/")
        or any(char.isspace() or char == "\\" for char in value)
        or not url_has_allowed_host_and_scheme(value, allowed_hosts=set())
    ):
        raise ValidationError(
            _(
                "Only links to pages of this site are allowed: use an address that starts "
                "with /, for example /smederijen/elim/."
            )
        )


class FeaturedItemQuerySet(models.QuerySet):
    def published(self, now=None):
        today = timezone.localdate(now)
        return self.filter(
            Q(is_published=True),
            Q(publish_from__isnull=True) | Q(publish_from__lte=today),
            Q(publish_until__isnull=True) | Q(publish_until__gte=today),
        )


class FeaturedItem(models.Model):
    """An item in the "Uitgelicht" block of the home page, kept by support staff in admin."""

    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), max_length=400)
    link = models.CharField(
        _("link"),
        max_length=200,
        validators=[validate_local_path],
        help_text=_("An address on this site, for example /over-de-smederijen/."),
    )
    link_text = models.CharField(
        _("link text"),
        max_length=80,
        help_text=_("Says where the link goes, for example 'Read more about Elim'."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers are shown first.")
    )
    is_published = models.BooleanField(_("published"), default=True)
    publish_from = models.DateField(_("show from"), null=True, blank=True)
    publish_until = models.DateField(_("show until"), null=True, blank=True)

    objects = FeaturedItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("featured item")
        verbose_name_plural = _("featured items (Uitgelicht)")
        ordering = ["position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(publish_from__isnull=True)
                | Q(publish_until__isnull=True)
                | Q(publish_until__gte=models.F("publish_from")),
                name="featureditem_period_in_order",
                violation_error_message=_("'Show until' cannot be before 'show from'."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeSettings(models.Model):
    """Settings of the programme that staff change in admin, without a new release. One row."""

    decision_weeks = models.PositiveSmallIntegerField(
        _("decision term in weeks"),
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_(
            "The wijkteam decides on a new idea within this many weeks after it was sent. "
            "A change counts for ideas sent from now on."
        ),
    )

    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum of the stuurgroep (percent)"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
        help_text=_(
            "The stuurgroep may decide when more than this share of its seated members is "
            "present. 50 means: more than half."
        ),
    )
    quorum_needs_resident = models.BooleanField(
        _("a resident member must be present"),
        default=True,
        help_text=_("The stuurgroep only decides when at least one resident member is present."),
    )

    class Meta:
        verbose_name = _("programme settings")
        verbose_name_plural = _("programme settings")

    def __str__(self) -> str:
        return str(_("Programme settings"))

    def save(self, *args, **kwargs):
        self.pk = 1  # there is only one
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "ProgrammeSettings":
        """The one row; made with the defaults from the environment the first time it is read."""
        found, _created = cls.objects.get_or_create(
            pk=1, defaults={"decision_weeks": settings.SMEDERIJEN_DECISION_WEEKS}
        )
        return found
