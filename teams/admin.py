import tablib
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ideas.models import Idea
from ideas.workflow import Status as IdeaStatus
from smederijen import audit
from smederijen.exports import ExportActionsMixin
from smederijen.models import Smederij

from . import permissions, services
from .area_admin import AreaAdminMixin, AreaListFilter
from .models import (
    AgendaItem,
    Assessment,
    Attendance,
    Initiatiefgroep,
    Meeting,
    Membership,
    Organisation,
    OrganisationPosition,
    SeatType,
    Stuurgroep,
    StuurgroepDecision,
    StuurgroepMember,
    Team,
    TeamArea,
    TeamMember,
    User,
)


@admin.register(Smederij)
class SmederijAdmin(admin.ModelAdmin):
    """The areas. A gebiedsregisseur keeps the description of his own areas; who the
    gebiedsregisseur of an area is (and so who sees all its personal data and money) is for
    support staff to choose, never for a gebiedsregisseur about himself."""

    list_display = ["name", "kind", "gebiedsregisseur", "is_active"]
    list_filter = ["kind", "is_active", "gebiedsregisseur"]
    list_select_related = ["gebiedsregisseur"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not permissions.may_change_rights(request.user):
            readonly.append("gebiedsregisseur")
        return readonly

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.may_see_area(request.user, obj.pk)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.may_see_area(request.user, obj.pk)
        )


class TeamMembershipInline(admin.TabularInline):
    model = TeamMember
    fk_name = "user"
    extra = 0
    fields = ["team", "name", "kern_role", "organisation"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("team memberships")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(AreaAdminMixin, audit.PersonalDataAdminMixin, DjangoUserAdmin):
    """Accounts. Deleting one with its personal data (AVG) reaches into every app, so that
    action is added on top of this admin, in ideas/privacy_admin.py."""

    personal_data = "account"
    area_path = None  # accounts belong to no area: see of_visible_areas below
    list_display = [
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_active",
        "date_joined",
        "last_login",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    date_hierarchy = "date_joined"
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]
    inlines = [TeamMembershipInline]

    def of_visible_areas(self, request, queryset):
        return permissions.of_visible_accounts(request.user, queryset)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and permissions.may_change_account(
            request.user, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and permissions.may_change_account(
            request.user, obj
        )

    def get_readonly_fields(self, request, obj=None):
        # When someone last signed in and joined are records, not settings.
        readonly = [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        if not permissions.may_change_rights(request.user):
            readonly += ["is_staff", "groups"]
        return readonly

    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Name"), {"fields": ["first_name", "last_name"]}),
        (
            _("Rights"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name"]


class TeamAreaInline(admin.TabularInline):
    """Which areas a team serves: its members act for them. Only support staff and superusers
    change it (a gebiedsregisseur could otherwise give his team, and himself, another area)."""

    model = TeamArea
    extra = 0
    autocomplete_fields = ["smederij"]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and permissions.may_change_rights(
            request.user
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and permissions.may_change_rights(
            request.user
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and permissions.may_change_rights(
            request.user
        )


class TeamMemberInline(admin.StackedInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ["user"]
    fields = [
        ("name", "function"),
        ("organisation", "kern_role"),
        ("phone", "email"),
        "contact_route",
        ("user", "position"),
    ]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "areas_served", "member_count", "is_active"]
    list_filter = ["kind", "is_active", "smederijen"]
    search_fields = ["name", "smederijen__name", "members__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TeamAreaInline, TeamMemberInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "introduction", "is_active"]}),
        (
            _("Where and when"),
            {"fields": ["location_name", "street", ("postcode", "place"), "visiting_hours"]},
        ),
        (_("How to reach the team"), {"fields": ["phone", "email"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_member_count=Count("members", distinct=True))
            .prefetch_related("smederijen")
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and permissions.may_change_team(
            request.user, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and permissions.may_change_team(
            request.user, obj
        )

    @admin.display(description=_("areas"))
    def areas_served(self, obj):
        return ", ".join(s.name for s in obj.smederijen.all())

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj):
        return obj._member_count

    def save_formset(self, request, form, formset, change):
        # The accounts whose role groups may change (a handful of rows per save).
        before = {m.user for m in formset.queryset if getattr(m, "user_id", None)}
        super().save_formset(request, form, formset, change)
        if formset.model is TeamMember:
            after = {
                m.user
                for m in TeamMember.objects.filter(
                    team=form.instance, user__isnull=False
                ).select_related("user")
            }
            for user in before | after:
                services.sync_role_groups(user)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["joined_at"]


@admin.register(Initiatiefgroep)
class InitiatiefgroepAdmin(AreaAdminMixin, admin.ModelAdmin):
    list_display = ["name", "smederij", "member_count", "is_active"]
    list_filter = ["is_active", ("smederij", AreaListFilter)]
    list_select_related = ["smederij"]
    search_fields = ["name", "purpose", "smederij__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj):
        return obj._member_count


class StuurgroepMemberFormSet(BaseInlineFormSet):
    """The seats rule in admin: six organisation seats, four resident seats.

    New members get the first free seat of their type; the database constraints stand behind.
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        alive = [
            f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]
        for seat_type in SeatType.values:
            numbers = list(Stuurgroep.seat_numbers(seat_type))
            of_type = [f for f in alive if f.cleaned_data.get("seat_type") == seat_type]
            seated = [f for f in of_type if f.cleaned_data.get("is_seated")]
            if len(seated) > len(numbers):
                raise ValidationError(services.seat_full_message(seat_type))
            keep, need = set(), []
            for form in seated:
                number = form.instance.seat
                if number in numbers and number not in keep:
                    keep.add(number)
                else:
                    need.append(form)
            free = [n for n in numbers if n not in keep]
            for form, number in zip(need, free, strict=False):
                form.instance.seat = number
            for form in of_type:
                if form.instance.seat not in numbers:  # a past member: keeps a seat of its type
                    form.instance.seat = numbers[0]


class StuurgroepMemberInline(admin.StackedInline):
    model = StuurgroepMember
    formset = StuurgroepMemberFormSet
    extra = 0
    autocomplete_fields = ["user", "organisation", "smederij"]
    readonly_fields = ["seat"]
    fields = [
        ("seat", "seat_type", "is_seated"),
        ("name", "is_chair"),
        ("organisation", "smederij"),
        ("term_start", "term_end"),
        "user",
    ]


@admin.register(Stuurgroep)
class StuurgroepAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_seats", "resident_seats"]
    readonly_fields = ["vacancies"]
    fields = ["name", "introduction", "vacancies"]
    inlines = [StuurgroepMemberInline]

    def get_queryset(self, request):
        seated = Q(members__is_seated=True)
        return (
            super()
            .get_queryset(request)
            .annotate(
                _org=Count("members", filter=seated & Q(members__seat_type=SeatType.ORGANISATION)),
                _res=Count("members", filter=seated & Q(members__seat_type=SeatType.RESIDENT)),
            )
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Stuurgroep.objects.exists()

    @admin.display(description=_("organisation seats taken"))
    def organisation_seats(self, obj):
        return f"{obj._org} / {Stuurgroep.ORGANISATION_SEATS}"

    @admin.display(description=_("resident seats taken"))
    def resident_seats(self, obj):
        return f"{obj._res} / {Stuurgroep.RESIDENT_SEATS}"

    @admin.display(description=_("vacant seats"))
    def vacancies(self, obj):
        if obj.pk is None:
            return "-"
        vacant = [s for s in services.seat_overview(obj) if s["member"] is None]
        if not vacant:
            return _("All ten seats are taken.")
        parts = [f"{s['number']} ({SeatType(s['seat_type']).label})" for s in vacant]
        return ngettext("Vacant seat: %(seats)s", "Vacant seats: %(seats)s", len(vacant)) % {
            "seats": ", ".join(parts)
        }

    def save_formset(self, request, form, formset, change):
        # The accounts whose role groups may change (a handful of rows per save).
        before = {m.user for m in formset.queryset if getattr(m, "user_id", None)}
        super().save_formset(request, form, formset, change)
        after = {
            m.user
            for m in StuurgroepMember.objects.filter(user__isnull=False).select_related("user")
        }
        for user in before | after:
            services.sync_role_groups(user)


# The stuurgroep's work on lange-klap plans. Meetings and their agenda are kept here; who was
# present is recorded through services.record_attendance. Positions, assessments and decisions are
# written by the services only (on the dossier and meeting pages): here they are read, never
# changed. Once a decision is taken in a meeting, the meeting and its agenda are fixed.

SERVICES_ONLY_HELP = _(
    "These rows are written by the portal itself, on the stuurgroep's dossier and meeting pages, "
    "so that every rule is checked. They cannot be added, changed or deleted here."
)
DECIDED_HELP = _(
    "A decision has been taken in this meeting: the meeting, its agenda and who was there are "
    "fixed."
)

ATTENDANCE_HELP = _(
    "Only the chair and the gebiedsregisseurs record who was there. The attendance list below "
    "shows it."
)


def has_decision(meeting) -> bool:
    """Whether a decision was taken in the meeting (asked once per meeting object)."""
    if meeting is None or meeting.pk is None:
        return False
    cached = getattr(meeting, "_has_decision", None)
    if cached is None:
        cached = meeting._has_decision = meeting.decisions.exists()
    return cached


class MeetingAdminForm(forms.ModelForm):
    present = forms.ModelMultipleChoiceField(
        label=_("present"),
        queryset=StuurgroepMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick the members who are at the meeting; the others are recorded as absent. The "
            "list is fixed once a decision is taken."
        ),
    )

    # Set by MeetingAdmin.get_form: who is saving (the service checks them as well).
    actor = None

    class Meta:
        model = Meeting
        fields = ["stuurgroep", "starts_at", "place", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance
        if has_decision(meeting) or not permissions.may_run_meeting(self.actor):
            # Never saved from this form: a missing field must not empty the list.
            self.fields.pop("present", None)
            return
        if meeting.pk is None:
            members = StuurgroepMember.objects.seated()
            present = []
        else:
            members = StuurgroepMember.objects.filter(attendance__meeting=meeting)
            present = [
                pk
                for pk, is_present in meeting.attendance.values_list("member_id", "present")
                if is_present
            ]
            self.initial.setdefault("present", present)
        self.fields["present"].queryset = members.order_by("seat")


class AgendaItemFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            idea = form.cleaned_data.get("idea")
            if idea is not None and "idea" in form.changed_data:
                if idea.status != IdeaStatus.BIJ_STUURGROEP:
                    form.add_error(
                        "idea", _("Only plans that are with the stuurgroep go on the agenda.")
                    )


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    formset = AgendaItemFormSet
    extra = 0
    fields = ["idea", "position"]
    verbose_name_plural = _("agenda")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("idea")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "idea":
            # The plans with the stuurgroep, and those already on this meeting's agenda.
            meeting = getattr(request, "_smederijen_meeting", None)
            with_stuurgroep = Q(status=IdeaStatus.BIJ_STUURGROEP)
            if meeting is not None and meeting.pk is not None:
                with_stuurgroep |= Q(agenda_items__meeting=meeting)
            kwargs["queryset"] = (
                Idea.objects.filter(with_stuurgroep).distinct().order_by("reference")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        request._smederijen_meeting = obj
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request, obj=None):
        return not has_decision(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not has_decision(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not has_decision(obj) and super().has_delete_permission(request, obj)


class AttendanceInline(admin.TabularInline):
    """Who was there, as recorded with the field "present" above (services.record_attendance)."""

    model = Attendance
    extra = 0
    can_delete = False
    fields = ["member", "seat_type", "present"]
    readonly_fields = fields
    verbose_name_plural = _("attendance list")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("seat type"))
    def seat_type(self, obj):
        return obj.member.get_seat_type_display()


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    form = MeetingAdminForm
    list_display = ["starts_at", "place", "plan_count", "present_count", "decided"]
    list_select_related = ["stuurgroep"]
    search_fields = ["place"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, AttendanceInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _plans=Count("items", distinct=True),
                _present=Count("attendance", filter=Q(attendance__present=True), distinct=True),
                _decided=Exists(StuurgroepDecision.objects.filter(meeting=OuterRef("pk"))),
            )
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._has_decision = obj._decided
        return obj

    def get_fieldsets(self, request, obj=None):
        main = ["stuurgroep", "starts_at", "place", "notes"]
        if has_decision(obj):
            return [(None, {"fields": main, "description": DECIDED_HELP})]
        if permissions.may_run_meeting(request.user):
            return [(None, {"fields": main}), (_("Who is there"), {"fields": ["present"]})]
        return [
            (None, {"fields": main}),
            (_("Who is there"), {"fields": [], "description": ATTENDANCE_HELP}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["stuurgroep"] if obj is not None else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        stuurgroep = Stuurgroep.objects.order_by("pk").first()
        if stuurgroep is not None:
            initial.setdefault("stuurgroep", stuurgroep.pk)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def has_change_permission(self, request, obj=None):
        return not has_decision(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not has_decision(obj) and super().has_delete_permission(request, obj)

    @admin.display(description=_("plans on the agenda"), ordering="_plans")
    def plan_count(self, obj):
        return obj._plans

    @admin.display(description=_("present"), ordering="_present")
    def present_count(self, obj):
        return obj._present

    @admin.display(description=_("decided"), boolean=True, ordering="_decided")
    def decided(self, obj):
        return obj._decided

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.list_attendance(obj)  # every seated member, as plan_meeting does
        if "present" in form.changed_data:
            services.record_attendance(
                obj, actor=request.user, present_members=form.cleaned_data["present"]
            )


class ServicesOnlyAdmin(admin.ModelAdmin):
    """Read, never added, changed or deleted: the services write these rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        first = dict(fieldsets[0][1], description=SERVICES_ONLY_HELP)
        return [(fieldsets[0][0], first), *fieldsets[1:]]

    def changelist_view(self, request, extra_context=None):
        extra_context = {"subtitle": SERVICES_ONLY_HELP, **(extra_context or {})}
        return super().changelist_view(request, extra_context)


@admin.register(OrganisationPosition)
class OrganisationPositionAdmin(ServicesOnlyAdmin):
    list_display = ["idea", "organisation", "stance", "recorded_by", "recorded_at"]
    list_filter = ["stance", "organisation"]
    list_select_related = ["idea", "organisation", "recorded_by"]
    search_fields = ["idea__reference", "idea__title", "organisation__name", "explanation"]
    date_hierarchy = "recorded_at"
    fields = ["idea", "organisation", "stance", "explanation", "recorded_by", "recorded_at"]


@admin.register(Assessment)
class AssessmentAdmin(ServicesOnlyAdmin):
    list_display = [
        "idea",
        "member",
        "has_conflict",
        "residents_support",
        "professionals_support",
        "recommendation",
        "recorded_at",
    ]
    list_filter = ["recommendation", "has_conflict", "member__seat_type", "member"]
    list_select_related = ["idea", "member"]
    search_fields = ["idea__reference", "idea__title", "member__name"]
    date_hierarchy = "recorded_at"
    fields = [
        "idea",
        "member",
        ("has_conflict", "conflict_note"),
        ("residents_support", "professionals_support"),
        "recommendation",
        "remark",
        "recorded_at",
    ]


@admin.register(StuurgroepDecision)
class StuurgroepDecisionAdmin(ExportActionsMixin, ServicesOnlyAdmin):
    export_filename = "smederijen-besluiten-stuurgroep"
    export_audit_action = "export.decisions"
    actions = ["export_csv", "export_xlsx"]

    def export_rows(self, queryset):
        data = tablib.Dataset(
            headers=[
                gettext("Reference"),
                gettext("Plan"),
                gettext("Meeting"),
                gettext("Decision"),
                gettext("For"),
                gettext("Against"),
                gettext("Abstained"),
                gettext("Public reason"),
            ],
            title=gettext("Decisions"),
        )
        for decision in queryset.select_related("idea", "meeting").order_by("recorded_at"):
            data.append(
                [
                    decision.idea.reference,
                    decision.idea.title,
                    timezone.localdate(decision.meeting.starts_at),
                    decision.get_outcome_display(),
                    decision.votes_for,
                    decision.votes_against,
                    decision.abstentions,
                    decision.public_reason,
                ]
            )
        return data

    list_display = [
        "idea",
        "meeting",
        "outcome",
        "votes_for",
        "votes_against",
        "abstentions",
        "recorded_by",
        "recorded_at",
    ]
    list_filter = ["outcome", "meeting"]
    list_select_related = ["idea", "meeting__stuurgroep", "recorded_by"]
    search_fields = ["idea__reference", "idea__title", "public_reason"]
    date_hierarchy = "recorded_at"
    fields = [
        "idea",
        "meeting",
        "outcome",
        "public_reason",
        ("votes_for", "votes_against", "abstentions"),
        ("recorded_by", "recorded_at"),
    ]
