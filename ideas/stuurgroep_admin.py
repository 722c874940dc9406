"""The stuurgroep's work on lange-klap plans in Django admin.

Meetings and their agenda are kept here; who was present is recorded through
services.record_attendance. Positions, assessments and decisions are written by the services only
(on the dossier and meeting pages): here they are read, never changed. Once a decision is taken
in a meeting, the meeting and its agenda are fixed.
"""

import tablib
from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ideas.workflow import Status
from smederijen.exports import ExportActionsMixin
from smederijen.forms import PortalModelForm
from teams import permissions as team_permissions
from teams.models import Stuurgroep, StuurgroepMember

from . import services
from .models import (
    AgendaItem,
    Assessment,
    Attendance,
    Idea,
    Meeting,
    OrganisationPosition,
    StuurgroepDecision,
)

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


class MeetingAdminForm(PortalModelForm):
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
        if has_decision(meeting) or not team_permissions.may_run_meeting(self.actor):
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
                if idea.status != Status.BIJ_STUURGROEP:
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
            with_stuurgroep = Q(status=Status.BIJ_STUURGROEP)
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
        if team_permissions.may_run_meeting(request.user):
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
