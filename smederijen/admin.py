from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import AuditEvent, FeaturedItem, MailText, PageText, ProgrammeSettings, Smederij


@admin.register(Smederij)
class SmederijAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "gebiedsregisseur", "is_active"]
    list_filter = ["kind", "is_active", "gebiedsregisseur"]
    list_select_related = ["gebiedsregisseur"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FeaturedItem)
class FeaturedItemAdmin(admin.ModelAdmin):
    list_display = ["title", "position", "is_published", "publish_from", "publish_until"]
    list_editable = ["position"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary"]


@admin.register(PageText)
class PageTextAdmin(admin.ModelAdmin):
    list_display = ["page", "updated_at"]
    search_fields = ["body"]
    fields = ["page", "body"]


@admin.register(MailText)
class MailTextAdmin(admin.ModelAdmin):
    list_display = ["mail", "updated_at"]
    search_fields = ["opening", "closing"]
    fields = ["mail", "opening", "closing"]


@admin.register(ProgrammeSettings)
class ProgrammeSettingsAdmin(admin.ModelAdmin):
    """The one row of the programme's settings (the decision term and the stuurgroep's quorum):
    the list goes straight to it, and it is never added twice or deleted."""

    fieldsets = [
        (None, {"fields": ["decision_weeks"]}),
        (_("Stuurgroep"), {"fields": ["quorum_percent", "quorum_needs_resident"]}),
        (
            _("How long personal data is kept"),
            {
                "fields": [
                    "retention_closed_months",
                    "retention_unconfirmed_days",
                    "audit_retention_months",
                ],
                "description": _(
                    "Every night the portal removes personal data that is older than these "
                    "periods. Keep the privacy statement in step when you change them."
                ),
            },
        ),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ProgrammeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings = ProgrammeSettings.load()  # made with the defaults the first time
        return redirect(
            reverse(
                f"{self.admin_site.name}:smederijen_programmesettings_change",
                args=[settings.pk],
            )
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read-only: a gebiedsregisseur reads the rows of his own areas."""

    list_display = ["at", "actor", "action_label", "object_repr", "smederij", "kind", "source"]
    list_filter = ["kind", "source", "smederij", "action"]
    list_select_related = ["actor", "smederij"]
    search_fields = ["object_repr", "object_id", "action", "detail", "actor__email"]
    date_hierarchy = "at"
    fields = [
        "at",
        "actor",
        "action_label",
        "kind",
        "source",
        "content_type",
        "object_id",
        "object_repr",
        "smederij",
        "detail",
    ]
    readonly_fields = fields

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, event):
        return audit.action_label(event.action)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
