"""What admin shows under an idea: its begroting and milestones, its history, the verantwoording,
its files, its supports (online and on paper), the initiatiefgroep's remarks and the wijkteam's
checklist and notes. What the services write is shown read-only here."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from smederijen.admin_site import ParentRowsFormSet
from smederijen.forms import PortalModelForm

from .models import (
    Accounting,
    Attachment,
    BudgetLine,
    ConditionCheck,
    InventoryRemark,
    Milestone,
    PaperSupportList,
    ReviewNote,
    StatusChange,
    Support,
)
from .uploads import check_upload, too_many_uploads_message, uploads_allowed


class IdeaInline(admin.TabularInline):
    formset = ParentRowsFormSet
    extra = 0


class BudgetLineInline(IdeaInline):
    model = BudgetLine
    fields = ["item", "amount", "position"]


class MilestoneInline(IdeaInline):
    """The steps of a funded lange-klap plan, shown with its progress on the public page."""

    model = Milestone
    fields = ["title", "planned_on", "done_on", "public_note", "position"]


class ReadOnlyInline(IdeaInline):
    """Rows that are written by the services only: shown, never added, changed or deleted."""

    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["from_status", "to_status", "actor", "at", "public_text", "internal_note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class AttachmentInlineForm(PortalModelForm):
    class Meta:
        model = Attachment
        fields = ["is_public"]

    def clean_is_public(self):
        is_public = self.cleaned_data["is_public"]
        if is_public and self.instance.file_kind != Attachment.FileKind.PHOTO:
            raise ValidationError(_("Only photos can be shown on the public page."))
        if is_public and self.instance.purpose == Attachment.Purpose.RECEIPT:
            raise ValidationError(_("Receipts are never shown on the public page."))
        return is_public


class AttachmentInline(IdeaInline):
    model = Attachment
    form = AttachmentInlineForm
    can_delete = False
    fields = ["file_link", "purpose", "file_kind", "size", "uploaded_at", "is_public"]
    readonly_fields = ["file_link", "purpose", "file_kind", "size", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def file_link(self, obj):
        # The download view checks who asks; the stored file is never served directly.
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)


class AccountingInline(admin.StackedInline):
    """The verantwoording as the submitter wrote it and the wijkteam signed it off. Read only: it
    changes on the submitter's page and on the review page, through the services."""

    model = Accounting
    formset = ParentRowsFormSet
    extra = 0
    can_delete = False
    fields = [
        "state",
        ("actual_cost", "accepted_cost"),
        "story",
        "photos_public",
        ("sent_at", "signed_off_at", "signed_off_by"),
    ]
    readonly_fields = [
        "state",
        "actual_cost",
        "accepted_cost",
        "story",
        "photos_public",
        "sent_at",
        "signed_off_at",
        "signed_off_by",
    ]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("signed_off_by")


class SupportInline(ReadOnlyInline):
    """Who supports the idea online. Personal data: the e-mail address is shown here only."""

    model = Support
    fields = ["name", "email", "street", "smederij", "created_at", "confirmed_at"]
    readonly_fields = fields
    verbose_name_plural = _("supports given online")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("smederij")


class PaperSupportListForm(PortalModelForm):
    request = None  # set by PaperSupportListInline.get_formset: whose uploads are counted

    class Meta:
        model = PaperSupportList
        fields = ["count", "note", "scan"]
        # No link to the stored scan: private files are only served by views that check.
        widgets = {
            "scan": forms.FileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        }

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if isinstance(scan, UploadedFile):
            if self.instance.pk and self.instance.scan:
                raise ValidationError(_("This list has a scan already."))
            if not uploads_allowed(self.request, 1):
                raise ValidationError(too_many_uploads_message())
            checked = check_upload(scan)
            extension = ".pdf" if checked.file_kind == Attachment.FileKind.PDF else ".jpg"
            # The cleaned file (photos drawn again, without metadata) under a name that says
            # nothing about the people on the list.
            return ContentFile(checked.content, name=f"scan{extension}")
        return scan


class PaperSupportListInline(IdeaInline):
    model = PaperSupportList
    form = PaperSupportListForm
    fields = ["count", "note", "scan", "has_scan", "added_by", "added_at"]
    readonly_fields = ["has_scan", "added_by", "added_at"]

    def get_formset(self, request, obj=None, **kwargs):
        form = type(self.form.__name__, (self.form,), {"request": request})
        return super().get_formset(request, obj, form=form, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("added_by")

    @admin.display(description=_("scan stored"))
    def has_scan(self, obj):
        if not (obj.pk and obj.scan):
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("ideas:paper-list-scan", kwargs={"pk": obj.pk}),
            _("Open the scan"),
        )


class InventoryRemarkInline(ReadOnlyInline):
    model = InventoryRemark
    fields = ["text", "author", "initiatiefgroep", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "initiatiefgroep")


class ConditionCheckInline(ReadOnlyInline):
    """The wijkteam's checklist (kept on the review page in the browser)."""

    model = ConditionCheck
    fields = ["condition", "verdict", "remark", "checked_by", "checked_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("condition", "checked_by")


class ReviewNoteInline(ReadOnlyInline):
    """Internal notes of the area's staff: never shown to the submitter or the public."""

    model = ReviewNote
    fields = ["text", "author", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")
