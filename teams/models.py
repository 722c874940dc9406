"""People and bodies: accounts, wijk- en dorpenteams, kernteams, initiatiefgroepen, stuurgroep.

The account model is ours from the start (Django advises this: swapping it later is painful).
Everyone signs in with an e-mail address; residents will do so with a one-time code, staff with a
password and a second factor (the people issue).
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An account needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """An account: a resident or a member of staff, known by their e-mail address."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Organisation(models.Model):
    """One of the partner organisations of the programme."""

    class Kind(models.TextChoices):
        WONINGCORPORATIE = "woningcorporatie", _("housing corporation")
        WELZIJN = "welzijn", _("welfare organisation")
        POLITIE = "politie", _("police")
        GEMEENTE = "gemeente", _("municipality")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A wijkteam or dorpenteam: staff of the partners, housed in the area(s) it serves."""

    class Kind(models.TextChoices):
        WIJKTEAM = "wijkteam", _("wijkteam")
        DORPENTEAM = "dorpenteam", _("dorpenteam")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("web address"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.WIJKTEAM)
    smederijen = models.ManyToManyField(
        "smederijen.Smederij",
        through="TeamArea",
        related_name="teams",
        verbose_name=_("Smederijen"),
    )
    introduction = models.TextField(
        _("introduction"), max_length=600, blank=True, help_text=_("A few sentences on the team.")
    )
    location_name = models.CharField(
        _("housed in"), max_length=100, help_text=_("For example: Buurthuis De Tamboerijn.")
    )
    street = models.CharField(_("street and number"), max_length=100)
    postcode = models.CharField(_("postcode"), max_length=7)
    place = models.CharField(_("place"), max_length=60, default="Hoogeveen")
    visiting_hours = models.TextField(
        _("visiting hours"),
        max_length=400,
        help_text=_("When residents can drop in, for example: Tuesday 9:00 to 12:00."),
    )
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("wijk- or dorpenteam")
        verbose_name_plural = _("wijk- en dorpenteams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:team-detail", kwargs={"slug": self.slug})


class TeamArea(models.Model):
    """The Smederijen a team serves; each Smederij is served by one team."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="areas", verbose_name=_("team")
    )
    smederij = models.ForeignKey(
        "smederijen.Smederij", on_delete=models.CASCADE, verbose_name=_("Smederij")
    )

    class Meta:
        verbose_name = _("area served")
        verbose_name_plural = _("areas served")
        constraints = [
            models.UniqueConstraint(
                fields=["smederij"],
                name="smederij_served_by_one_team",
                violation_error_message=_("This Smederij already has a team."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} – {self.smederij}"


class KernRole(models.TextChoices):
    OPBOUWWERKER = "opbouwwerker", _("opbouwwerker")
    WIJKBEHEERDER = "wijkbeheerder", _("wijkbeheerder")
    WIJKAGENT = "wijkagent", _("wijkagent")


# The kernteam role a member holds decides which kind of organisation they must come from.
KERN_ROLE_ORGANISATION_KIND = {
    KernRole.OPBOUWWERKER: Organisation.Kind.WELZIJN,
    KernRole.WIJKBEHEERDER: Organisation.Kind.WONINGCORPORATIE,
    KernRole.WIJKAGENT: Organisation.Kind.POLITIE,
}


KERN_ROLE_MISMATCH = {
    KernRole.OPBOUWWERKER: _(
        "The opbouwwerker comes from a welfare organisation. Choose an organisation of the "
        "kind 'welfare organisation'."
    ),
    KernRole.WIJKBEHEERDER: _(
        "The wijkbeheerder comes from a housing corporation. Choose an organisation of the "
        "kind 'housing corporation'."
    ),
    KernRole.WIJKAGENT: _(
        "The wijkagent comes from the police. Choose an organisation of the kind 'police'."
    ),
}


class TeamMember(models.Model):
    """A member of a team. The kernteam are the members with a kernteam role."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("team")
    )
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_memberships",
        verbose_name=_("account"),
        help_text=_("The account this member signs in with. Never shown on the site."),
    )
    name = models.CharField(_("name"), max_length=100)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="team_members",
        verbose_name=_("organisation"),
    )
    function = models.CharField(
        _("function"), max_length=100, help_text=_("For example: jongerenwerker.")
    )
    kern_role = models.CharField(
        _("kernteam role"),
        max_length=20,
        choices=KernRole.choices,
        blank=True,
        help_text=_("Leave empty for members who are not in the kernteam."),
    )
    phone = models.CharField(_("work telephone"), max_length=20, blank=True)
    email = models.EmailField(_("work e-mail address"), blank=True)
    contact_route = models.CharField(
        _("how to reach"),
        max_length=200,
        blank=True,
        help_text=_("For example: best reached by phone on weekday mornings."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "kern_role"],
                condition=~models.Q(kern_role=""),
                name="team_has_one_member_per_kern_role",
                violation_error_message=_(
                    "This team already has someone in this kernteam role. A kernteam has one "
                    "opbouwwerker, one wijkbeheerder and one wijkagent."
                ),
            ),
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(user__isnull=False),
                name="team_member_account_once_per_team",
                violation_error_message=_("This account is already a member of this team."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        expected = KERN_ROLE_ORGANISATION_KIND.get(self.kern_role)
        if expected and self.organisation_id and self.organisation.kind != expected:
            raise ValidationError({"organisation": KERN_ROLE_MISMATCH[self.kern_role]})


class Initiatiefgroep(models.Model):
    """A group of residents of one Smederij that inventories the residents' ideas."""

    smederij = models.ForeignKey(
        "smederijen.Smederij",
        on_delete=models.PROTECT,
        related_name="initiatiefgroepen",
        verbose_name=_("Smederij"),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("web address"), max_length=100, unique=True)
    purpose = models.TextField(_("purpose"), max_length=1000)
    meetings = models.CharField(
        _("when we meet"),
        max_length=200,
        blank=True,
        help_text=_("For example: every first Monday of the month in the buurthuis."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    members = models.ManyToManyField(
        User,
        through="Membership",
        related_name="initiatiefgroepen",
        blank=True,
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("initiatiefgroep")
        verbose_name_plural = _("initiatiefgroepen")
        ordering = ["smederij__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:initiatiefgroep-detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    """A resident in an initiatiefgroep."""

    initiatiefgroep = models.ForeignKey(
        Initiatiefgroep,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("initiatiefgroep"),
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("account")
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("member of an initiatiefgroep")
        verbose_name_plural = _("members of initiatiefgroepen")
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiatiefgroep", "user"],
                name="member_of_initiatiefgroep_once",
                violation_error_message=_("This person is already a member."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.initiatiefgroep}"


class SeatType(models.TextChoices):
    ORGANISATION = "organisatie", _("on behalf of an organisation")
    RESIDENT = "inwoner", _("on behalf of the residents")


class Stuurgroep(models.Model):
    """The steering group: six seats for the organisations, four for residents.

    Seats are numbered: 1-6 for organisations, 7-10 for residents. The database holds that a seat
    number fits its type and that a seat has at most one seated member, so no eleventh seat and
    no fifth resident seat can exist, whatever writes to it.
    """

    ORGANISATION_SEATS = 6
    RESIDENT_SEATS = 4

    name = models.CharField(_("name"), max_length=100, default="Stuurgroep De Smederijen")
    introduction = models.TextField(_("introduction"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("stuurgroep")
        verbose_name_plural = _("stuurgroep")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def seat_numbers(cls, seat_type: str) -> range:
        if seat_type == SeatType.ORGANISATION:
            return range(1, cls.ORGANISATION_SEATS + 1)
        first = cls.ORGANISATION_SEATS + 1
        return range(first, first + cls.RESIDENT_SEATS)


class StuurgroepMemberQuerySet(models.QuerySet):
    def seated(self):
        return self.filter(is_seated=True)


class StuurgroepMember(models.Model):
    """Someone who holds (or held) a seat in the stuurgroep, for a term."""

    stuurgroep = models.ForeignKey(
        Stuurgroep, on_delete=models.CASCADE, related_name="members", verbose_name=_("stuurgroep")
    )
    seat = models.PositiveSmallIntegerField(_("seat"))
    seat_type = models.CharField(_("seat type"), max_length=12, choices=SeatType.choices)
    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stuurgroep_seats",
        verbose_name=_("account"),
        help_text=_("The account this member signs in with. Never shown on the site."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stuurgroep_seats",
        verbose_name=_("organisation"),
        help_text=_("Only for a seat on behalf of an organisation."),
    )
    smederij = models.ForeignKey(
        "smederijen.Smederij",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lives in"),
        help_text=_("Only for a resident seat: the Smederij the member lives in."),
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    is_seated = models.BooleanField(
        _("seated"), default=True, help_text=_("Off when the member has stepped down.")
    )

    objects = StuurgroepMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("stuurgroep member")
        verbose_name_plural = _("stuurgroep members")
        ordering = ["-is_seated", "seat"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        seat_type=SeatType.ORGANISATION,
                        seat__gte=1,
                        seat__lte=Stuurgroep.ORGANISATION_SEATS,
                        organisation__isnull=False,
                    )
                    | models.Q(
                        seat_type=SeatType.RESIDENT,
                        seat__gt=Stuurgroep.ORGANISATION_SEATS,
                        seat__lte=Stuurgroep.ORGANISATION_SEATS + Stuurgroep.RESIDENT_SEATS,
                        organisation__isnull=True,
                    )
                ),
                name="stuurgroep_seat_fits_its_type",
                violation_error_message=_(
                    "The stuurgroep has six seats for organisations (seats 1 to 6, with an "
                    "organisation) and four for residents (seats 7 to 10, without one)."
                ),
            ),
            models.UniqueConstraint(
                fields=["stuurgroep", "seat"],
                condition=models.Q(is_seated=True),
                name="stuurgroep_seat_held_once",
                violation_error_message=_("Someone already holds this seat."),
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="stuurgroep_term_ends_after_start",
                violation_error_message=_("The term cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.seat_type == SeatType.ORGANISATION and not self.organisation_id:
            raise ValidationError(
                {"organisation": _("Choose the organisation this member represents.")}
            )
        if self.seat_type == SeatType.RESIDENT and self.organisation_id:
            raise ValidationError(
                {"organisation": _("A resident seat is not for an organisation: leave it empty.")}
            )
