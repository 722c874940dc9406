from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from mailer.models import RESULT_FAILURE, MessageLog

from .mail import header_text


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
        return reverse("teams:smederij-detail", kwargs={"slug": self.slug})


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

    # How long personal data is kept (AVG): `manage.py apply_retention` applies these every night.
    retention_closed_months = models.PositiveSmallIntegerField(
        _("keep personal data of closed ideas (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "After an idea is completed, rejected or withdrawn, the contact details of the "
            "submitter and the names of its supporters are removed after this many months."
        ),
    )
    retention_unconfirmed_days = models.PositiveSmallIntegerField(
        _("keep unconfirmed supports and concepts (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Supports that were never confirmed by e-mail, and concepts of the ideeformulier "
            "that nobody changed for this many days, are deleted."
        ),
    )
    # Reminders (`manage.py send_reminders`, every morning).
    question_reminder_days = models.PositiveSmallIntegerField(
        _("remind a submitter of an open question after (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "When the wijkteam asked a question and the submitter has not answered after this "
            "many days, the submitter gets one reminder by mail."
        ),
    )
    meeting_reminder_days = models.PositiveSmallIntegerField(
        _("remind stuurgroep members before a meeting (days)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "This many days before a meeting, each member who has not assessed every plan on "
            "the agenda gets one reminder by mail."
        ),
    )
    audit_retention_months = models.PositiveSmallIntegerField(
        _("keep the audit trail (months)"),
        default=36,
        validators=[MinValueValidator(6), MaxValueValidator(120)],
        help_text=_("Rows of the audit trail older than this are deleted."),
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


class AuditEvent(models.Model):
    """One row of the audit trail: who changed what and when, or who opened or exported personal
    data. Written by `smederijen.audit` in the same transaction as the change; never edited."""

    class Kind(models.TextChoices):
        CHANGE = "wijziging", _("change")
        VIEW = "inzage", _("personal data opened")
        EXPORT = "export", _("export")
        PRIVACY = "privacy", _("privacy (erasure, retention)")

    class Source(models.TextChoices):
        ADMIN = "beheer", _("admin")
        PORTAL = "portaal", _("staff pages")
        SYSTEM = "systeem", _("system (scheduled task)")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("where"), max_length=10, choices=Source.choices)
    action = models.CharField(_("action"), max_length=60)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kind of record"),
    )
    object_id = models.CharField(_("record number"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    smederij = models.ForeignKey(
        Smederij,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Smederij"),
    )
    detail = models.TextField(_("what changed"), blank=True)

    class Meta:
        verbose_name = _("audit trail row")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="auditevent_object"),
            models.Index(fields=["smederij", "-at"], name="auditevent_area_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}".strip()


class PageText(models.Model):
    """The text of a page of the site, kept by support staff in admin. A page without one shows
    the text that comes with the portal (in Dutch and English); a kept text is Dutch."""

    class Page(models.TextChoices):
        HOME = "home", _("home page: the introduction")
        ABOUT = "over", _("About De Smederijen")
        ACCESSIBILITY = "toegankelijkheid", _("accessibility statement")
        CONTACT = "contact", _("contact page: the introduction")

    page = models.CharField(_("page"), max_length=20, choices=Page.choices, unique=True)
    body = models.TextField(
        _("text"),
        max_length=10000,
        help_text=_(
            "Plain text in plain Dutch (B1). An empty line starts a new paragraph. Delete this "
            "text to show the portal's own text again."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("page text")
        verbose_name_plural = _("page texts")
        ordering = ["page"]

    def __str__(self) -> str:
        return self.get_page_display()


class MailText(models.Model):
    """The opening and closing words of a mail to residents, kept by support staff in admin. What
    the mail must hold (the idea, its status, the explanation, the links) stays as it is."""

    class Mail(models.TextChoices):
        SUBMITTED = "idee_ontvangen", _("idea received (to the submitter)")
        STATUS = "nieuws_over_idee", _("news about an idea (to the submitter)")
        SUPPORT = "steun_bevestigen", _("confirm your support (to the supporter)")

    TEMPLATES = {
        "ideas/email/submitted_submitter.txt": Mail.SUBMITTED,
        "ideas/email/status_changed.txt": Mail.STATUS,
        "ideas/email/support_confirm.txt": Mail.SUPPORT,
    }

    mail = models.CharField(_("mail"), max_length=20, choices=Mail.choices, unique=True)
    opening = models.TextField(
        _("opening words"),
        max_length=2000,
        blank=True,
        help_text=_("Shown after 'Hello,' and before what the mail is about. Empty: none."),
    )
    closing = models.TextField(
        _("closing words"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Shown at the end instead of 'Kind regards, De Smederijen Hoogeveen'. Empty: that "
            "standard closing."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("mail text")
        verbose_name_plural = _("mail texts")
        ordering = ["mail"]

    def __str__(self) -> str:
        return self.get_mail_display()

    @classmethod
    def for_template(cls, template: str) -> "MailText | None":
        mail = cls.TEMPLATES.get(template)
        return cls.objects.filter(mail=mail).first() if mail else None


class UndeliverableMailManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(result=RESULT_FAILURE)


class UndeliverableMail(MessageLog):
    """A mail that could never be sent, set aside from the queue by the sender
    (smederijen/mail.py) with the reason: support staff see it in admin and may queue it again
    once the cause is mended. The mail log's other rows are the mail that was delivered."""

    objects = UndeliverableMailManager()

    class Meta:
        proxy = True
        verbose_name = _("undeliverable mail")
        verbose_name_plural = _("undeliverable mail")
        ordering = ["-when_attempted"]

    def __str__(self) -> str:
        email = self.email
        subject = header_text(email.subject) if email is not None else ""
        return subject[:80] or str(_("mail %(number)s") % {"number": self.pk})
