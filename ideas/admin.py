"""Ideas in Django admin: staff read everything of an idea and keep its contents right.

The way of an idea is kept on the review page in the browser: the status is read-only here. The
steps that need no explanation for the submitter (take up, start carrying out, mark as realised)
are admin actions too, calling the same services; every other step needs a reason and stays on
the review page. Changing the kind and publishing go through their services too, so they are
checked and leave a row of history.
"""

import tablib
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from budgets import services as budget_services
from ideas import workflow
from ideas.workflow import Status
from smederijen import audit
from smederijen.exports import ExportActionsMixin
from smederijen.forms import PortalModelForm
from teams.area_admin import AreaAdminMixin, AreaListFilter

from . import permissions, services
from .inline_admin import (
    AccountingInline,
    AttachmentInline,
    BudgetLineInline,
    ConditionCheckInline,
    InventoryRemarkInline,
    MilestoneInline,
    PaperSupportListInline,
    ReviewNoteInline,
    StatusChangeInline,
    SupportInline,
)
from .models import Idea, Kind, PaperSupportList

# Fields of an idea that only change through a service, never by saving the admin form.
THROUGH_SERVICES = ("kind", "is_published")
IDEA_FIELD_NAMES = frozenset(f.name for f in Idea._meta.concrete_fields)


REVIEW_HELP = _(
    "The wijkteam and the gebiedsregisseur of the area take the steps of an idea on its review "
    "page: asking a question, approving, granting money, rejecting, changing the kind, sending a "
    "plan to the stuurgroep and signing off or sending back the verantwoording. These steps need "
    "an explanation for the submitter, so they are not taken here. The steps that need none can "
    "also be taken from the list of ideas: select the ideas, then choose an action to take them "
    "up, to start carrying them out or to mark them as realised."
)


class IdeaAdminForm(PortalModelForm):
    kind_change_reason = forms.CharField(
        label=_("Reason for changing the kind"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only when you change the kind. The submitter and the public read this explanation "
            "in the idea's history."
        ),
    )

    # Set by IdeaAdmin.get_form: who is saving (the services check them as well).
    actor = None

    class Meta:
        model = Idea
        # Admin builds the form's fields from IdeaAdmin.fieldsets; these are the ones it checks.
        fields = ["kind", "is_published"]

    def clean(self):
        data = super().clean()
        idea = self.instance
        if idea.pk is None:
            return data
        if "kind" in self.changed_data:
            if idea.status != Status.CONCEPT and not data.get("kind"):
                self.add_error("kind", _("Choose korte klap or lange klap."))
            elif not permissions.may_reclassify(self.actor, idea):
                self.add_error("kind", _("You may not change the kind of this idea."))
            elif not (data.get("kind_change_reason") or "").strip():
                self.add_error(
                    "kind_change_reason",
                    _(
                        "Write why the kind of the idea changes. The submitter and the public "
                        "read this explanation."
                    ),
                )
        if "is_published" in self.changed_data and not permissions.can_publish(self.actor, idea):
            if idea.status == Status.CONCEPT:
                message = _("A concept cannot be published: it has not been sent yet.")
            else:
                message = _("Only staff of the idea's area may publish it or take it off the site.")
            self.add_error("is_published", message)
        return data


@admin.register(Idea)
class IdeaAdmin(AreaAdminMixin, audit.PersonalDataAdminMixin, ExportActionsMixin, admin.ModelAdmin):
    personal_data = "contact_details"
    export_filename = "smederijen-ideeen"
    export_audit_action = "export.ideas"
    form = IdeaAdminForm
    list_display = [
        "reference",
        "title",
        "smederij",
        "kind",
        "status",
        "behandelaar",
        "is_published",
        "submitted_at",
        "decision_due",
    ]
    list_display_links = ["reference", "title"]
    list_filter = [("smederij", AreaListFilter), "kind", "status", "year", "is_published"]
    list_select_related = ["smederij", "behandelaar"]
    search_fields = ["reference", "title", "summary", "location", "contact_name", "contact_email"]
    date_hierarchy = "submitted_at"
    ordering = ["-submitted_at"]
    actions = [
        "take_up",
        "start_execution",
        "mark_realised",
        "publish",
        "unpublish",
        "export_csv",
        "export_xlsx",
    ]

    def export_rows(self, queryset):
        """The ideas without anyone's contact details: reference, place, kind, state, money.
        Concepts were never sent in (no reference): they are no rows."""
        ideas = list(
            queryset.exclude(status=Status.CONCEPT).select_related("smederij").order_by("reference")
        )
        money = budget_services.money_by_idea(ideas)
        data = tablib.Dataset(
            headers=[
                gettext("Reference"),
                gettext("Title"),
                gettext("Smederij"),
                gettext("Kind"),
                gettext("Status"),
                gettext("Submitted"),
                gettext("Decision due"),
                gettext("Asked (euro)"),
                gettext("Granted (euro)"),
                gettext("Paid (euro)"),
                gettext("Returned (euro)"),
                gettext("Published"),
            ],
            title=gettext("Ideas"),
        )
        for idea in ideas:
            got = money.get(idea.pk)
            data.append(
                [
                    idea.reference,
                    idea.title,
                    idea.smederij.name if idea.smederij else "",
                    idea.get_kind_display(),
                    idea.get_status_display(),
                    timezone.localdate(idea.submitted_at) if idea.submitted_at else None,
                    idea.decision_due,
                    idea.amount_requested,
                    got.granted if got else None,
                    got.paid if got else None,
                    got.returned if got else None,
                    gettext("yes") if idea.is_published else gettext("no"),
                ]
            )
        return data

    readonly_fields = [
        "review_page",
        "reference",
        "status",
        "year",
        "number",
        "public_id",
        "submitted_at",
        "decision_due",
        "behandelaar",
        "created_at",
        "updated_at",
        "submitted_by",
        "support_total",
        "budget_total",
        "public_page",
    ]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 80})}
    }
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("reference", "status"),
                    ("submitted_at", "decision_due"),
                    "behandelaar",
                    ("created_at", "updated_at"),
                    ("year", "number", "public_id"),
                ]
            },
        ),
        (
            _("Where and for whom"),
            {
                "fields": [
                    "kind",
                    "kind_change_reason",
                    "smederij",
                    "location",
                    "reach",
                    "target_group",
                ]
            },
        ),
        (
            _("The idea"),
            {
                "fields": [
                    "title",
                    "summary",
                    "description",
                    ("serves_leefbaarheid", "serves_saamhorigheid"),
                    ("serves_ontmoeten", "serves_zelfwerkzaamheid"),
                    "notions_explanation",
                ]
            },
        ),
        (
            _("Draagvlak"),
            {
                "fields": [
                    "support_description",
                    "supporters_estimate",
                    "neighbours_involvement",
                    "own_effort",
                    "support_total",
                ]
            },
        ),
        (
            _("Money and planning"),
            {
                "fields": [
                    "amount_requested",
                    "budget_total",
                    ("own_contribution", "other_funding"),
                    "other_funding_note",
                    ("start_date", "end_date"),
                ]
            },
        ),
        (
            _("Submitter and contact"),
            {
                "classes": ["collapse"],
                "fields": [
                    "submitter_kind",
                    "organisation_name",
                    ("contact_name", "name_is_public"),
                    ("contact_email", "contact_phone"),
                    "contact_address",
                    ("accepted_conditions", "accepted_privacy"),
                    "submitted_by",
                ],
            },
        ),
        (_("Publication"), {"fields": ["is_published", "public_page"]}),
    ]
    inlines = [
        BudgetLineInline,
        StatusChangeInline,
        AccountingInline,
        AttachmentInline,
        SupportInline,
        PaperSupportListInline,
        InventoryRemarkInline,
        ConditionCheckInline,
        ReviewNoteInline,
    ]

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and obj.kind == Kind.LANGE_KLAP:
            inlines.insert(1, MilestoneInline)
        return inlines

    def has_add_permission(self, request):
        # An idea starts with the ideeformulier (services.start_idea), never in admin.
        return False

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or obj.status == Status.CONCEPT:
            return fieldsets
        # Where the steps of the idea are taken; the link only for who may open the page.
        may_review = permissions.may_act_as(request.user, workflow.TEAM, obj)
        review = (
            _("Review"),
            {"fields": ["review_page"] if may_review else [], "description": REVIEW_HELP},
        )
        return [fieldsets[0], review, *fieldsets[1:]]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("smederij", "submitted_by")

    @admin.display(description=_("support (confirmed online and on paper)"))
    def support_total(self, obj):
        return services.support_count(obj) if obj.pk else "-"

    @admin.display(description=_("total of the begroting"))
    def budget_total(self, obj):
        return obj.budget_total if obj.pk else "-"

    @admin.display(description=_("review page"))
    def review_page(self, obj):
        if obj.pk is None or obj.status == Status.CONCEPT:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("ideas:review", kwargs={"public_id": obj.public_id}),
            _("Review"),
        )

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        if not (obj.is_published and obj.reference and obj.status != Status.CONCEPT):
            return _("Not on the site.")
        try:
            url = obj.get_absolute_url()
        except NoReverseMatch:
            return "-"
        return format_html('<a href="{}">{}</a>', url, url)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Only the fields the form changed are written: a status the wijkteam changed in the
        # meantime is never overwritten with the one this page was opened with.
        plain = [
            name
            for name in form.changed_data
            if name in IDEA_FIELD_NAMES and name not in THROUGH_SERVICES
        ]
        if plain:
            obj.save(update_fields=[*plain, "updated_at"])
        if "kind" in form.changed_data:
            kind = obj.kind
            services.reclassify_idea(
                obj, actor=request.user, kind=kind, reason=form.cleaned_data["kind_change_reason"]
            )
            obj.kind = kind
        if "is_published" in form.changed_data:
            services.set_published(obj, actor=request.user, published=obj.is_published)

    def save_formset(self, request, form, formset, change):
        if formset.model is PaperSupportList:
            for paper in formset.save(commit=False):
                if paper.pk is None:
                    paper.added_by = request.user
                paper.save()
            for paper in formset.deleted_objects:
                scan = paper.scan.name
                paper.delete()
                if scan:  # the file goes once the deletion is certain
                    transaction.on_commit(
                        lambda name=scan: PaperSupportList.scan.field.storage.delete(name)
                    )
            formset.save_m2m()
            return
        super().save_formset(request, form, formset, change)

    def _set_published(self, request, queryset, published: bool):
        done = refused = 0
        for idea in queryset:
            try:
                services.set_published(idea, actor=request.user, published=published)
            except PermissionDenied:
                refused += 1
            else:
                done += 1
        if done:
            message = (
                ngettext(
                    "%(count)d idea is on the site now.",
                    "%(count)d ideas are on the site now.",
                    done,
                )
                if published
                else ngettext(
                    "%(count)d idea is taken off the site.",
                    "%(count)d ideas are taken off the site.",
                    done,
                )
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d idea was not changed: it is a concept, or not of your area.",
                    "%(count)d ideas were not changed: they are concepts, or not of your area.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )

    def _take_step(self, request, queryset, step, done_message):
        """Take ``step`` (a service) for each idea, each in its own transaction; say per idea
        what was done and what was refused, and why."""
        done, refused = [], []
        for idea in queryset.select_related("smederij").order_by("submitted_at", "pk"):
            try:
                with transaction.atomic():
                    step(idea, actor=request.user)
            except ValidationError as error:
                refused.append((idea, " ".join(error.messages)))
            except PermissionDenied as error:
                refused.append((idea, str(error) or _("You may not take this step for this idea.")))
            else:
                done.append(idea)
        if done:
            self.message_user(
                request,
                done_message % {"ideas": ", ".join(str(idea) for idea in done)},
                messages.SUCCESS,
            )
        for idea, reason in refused:
            self.message_user(
                request,
                _("%(idea)s was not changed: %(reason)s") % {"idea": idea, "reason": reason},
                messages.WARNING,
            )

    @admin.action(
        description=_("Take up the selected ideas (being reviewed)"), permissions=["change"]
    )
    def take_up(self, request, queryset):
        self._take_step(request, queryset, services.take_up, _("Taken up: %(ideas)s."))

    @admin.action(description=_("Start carrying out the selected ideas"), permissions=["change"])
    def start_execution(self, request, queryset):
        self._take_step(
            request, queryset, services.start_execution, _("Being carried out now: %(ideas)s.")
        )

    @admin.action(description=_("Mark the selected ideas as realised"), permissions=["change"])
    def mark_realised(self, request, queryset):
        self._take_step(
            request, queryset, services.mark_realised, _("Marked as realised: %(ideas)s.")
        )

    @admin.action(description=_("Publish on the site"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Take off the site"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)


# The app's other admins, each registering its models when imported here: voorwaarden and
# standard texts, accounts with the erasure action (in place of teams' UserAdmin), and the
# stuurgroep's work on a plan (meetings, positions, assessments, decisions).
from . import content_admin, privacy_admin, stuurgroep_admin  # noqa: E402, F401
