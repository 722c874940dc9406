from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import audit, permissions
from .admin_site import HiddenRowsRefusedMixin, LabelledListEditableMixin
from .mail import header_text, requeue, undeliverable_reason
from .models import (
    AuditEvent,
    FeaturedItem,
    MailText,
    PageText,
    ProgrammeSettings,
    UndeliverableMail,
)


@admin.register(FeaturedItem)
class FeaturedItemAdmin(LabelledListEditableMixin, admin.ModelAdmin):
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
            _("Reminders"),
            {
                "fields": ["question_reminder_days", "meeting_reminder_days"],
                "description": _(
                    "Every morning staff get a mail with what waits for them (only when "
                    "something waits); these terms set the other reminders."
                ),
            },
        ),
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


class AuditActionFilter(admin.SimpleListFilter):
    """The actions of the trail by their Dutch names (not their codes), only those that occur in
    the rows this user may read."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request).order_by().values_list("action", flat=True).distinct()
        )
        return sorted(
            ((code, audit.action_label(code)) for code in codes), key=lambda pair: str(pair[1])
        )

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(HiddenRowsRefusedMixin, admin.ModelAdmin):
    """The audit trail, read-only: a gebiedsregisseur reads the rows of his own areas."""

    list_display = ["at", "actor", "action_label", "object_repr", "smederij", "kind", "source"]
    # The areas of the rows this user may read, not every area.
    list_filter = [
        "kind",
        "source",
        ("smederij", admin.RelatedOnlyFieldListFilter),
        AuditActionFilter,
    ]
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
        return permissions.audit_trail_for(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UndeliverableMail)
class UndeliverableMailAdmin(admin.ModelAdmin):
    """Mail the sender set aside because it could never be sent (smederijen/mail.py): who it was
    for, what it was about and why it failed. Once the cause is mended (an address corrected, the
    mail server's settings fixed), "queue again" sends it once more."""

    list_display = ["set_aside", "recipients", "subject", "reason"]
    date_hierarchy = "when_attempted"
    fields = ["queued", "set_aside", "recipients", "subject", "reason", "body"]
    readonly_fields = fields
    actions = ["queue_again"]

    @admin.display(description=_("queued"), ordering="when_added")
    def queued(self, mail):
        return mail.when_added

    @admin.display(description=_("set aside"), ordering="when_attempted")
    def set_aside(self, mail):
        return mail.when_attempted

    @admin.display(description=_("to"))
    def recipients(self, mail):
        return ", ".join(mail.to_addresses) if mail.email else "—"

    @admin.display(description=_("subject"))
    def subject(self, mail):
        return header_text(mail.subject) if mail.email else "—"

    @admin.display(description=_("why"))
    def reason(self, mail):
        return undeliverable_reason(mail.log_message)

    @admin.display(description=_("text"))
    def body(self, mail):
        return getattr(mail.email, "body", "—")

    @admin.action(description=_("Queue the selected mail again"), permissions=["change"])
    def queue_again(self, request, queryset):
        for logged in queryset:
            requeue(logged)
        self.message_user(request, _("%(count)d mail(s) queued again.") % {"count": len(queryset)})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # "change" is the right to queue a mail again; the mail itself is never edited.
        return obj is None and super().has_change_permission(request, obj)
