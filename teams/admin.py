from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from smederijen import audit
from smederijen.models import Smederij

from . import permissions, services
from .area_admin import AreaAdminMixin, AreaListFilter
from .models import (
    Initiatiefgroep,
    Membership,
    Organisation,
    SeatType,
    Stuurgroep,
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
