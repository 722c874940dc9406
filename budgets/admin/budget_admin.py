"""Budgets in admin: opened with an amount, topped up or corrected by a new line in the ledger,
closed at the end of the year; the ledger and the grants shown with each, read-only."""

import tablib
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from smederijen.exports import ExportActionsMixin
from smederijen.fields import MAX_AMOUNT, EuroField
from smederijen.models import Smederij
from smederijen.templatetags.money import format_euro
from teams.area_admin import AreaAdminMixin, AreaListFilter

from .. import permissions, services
from ..models import Budget, BudgetEntry, Grant
from .through_services import (
    CENT,
    ReadOnlyInline,
    ServiceForm,
    SignedEuroField,
    ThroughServicesAdmin,
    _euro_column,
    _filled,
    _reason_field,
    shown_next_to,
)

# Budgets -------------------------------------------------------------------------------------


class BudgetEntryInline(ReadOnlyInline):
    model = BudgetEntry
    fields = ["at", "kind", "amount_euro", "idea", "reason", "actor"]
    readonly_fields = fields
    verbose_name_plural = _("ledger")

    amount_euro = _euro_column("amount", _("amount"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "grant__idea")

    @admin.display(description=_("idea"))
    def idea(self, obj):
        return obj.grant.idea if obj.grant_id else "-"


class BudgetGrantInline(ReadOnlyInline):
    model = Grant
    fields = ["idea", "amount_euro", "spent_euro", "state", "granted_at", "granted_by"]
    readonly_fields = fields
    show_change_link = True

    amount_euro = _euro_column("amount", _("granted"))
    spent_euro = _euro_column("spent", _("spent"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("idea", "granted_by")


class BudgetAddForm(ServiceForm):
    opening_amount = EuroField(label=_("opening amount"), min_value=CENT)
    reason = _reason_field(help_text=_("Optional, for example where the money comes from."))

    class Meta:
        model = Budget
        fields = ["smederij", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opening_amount"].error_messages["min_value"] = _(
            "The opening amount must be more than € 0."
        )

    def check(self, data):
        smederij, year = data.get("smederij"), data.get("year")
        if smederij and year and Budget.objects.filter(smederij=smederij, year=year).exists():
            # In the service's words (the error on the year also spares Django's own message).
            self.add_error(
                "year",
                _("%(area)s already has a budget for %(year)s. Top it up instead.")
                % {"area": smederij, "year": year},
            )


class BudgetChangeForm(ServiceForm):
    top_up_amount = EuroField(label=_("top-up amount"), required=False, min_value=CENT)
    correction_amount = SignedEuroField(
        label=_("correction amount (plus or minus)"),
        required=False,
        min_value=-MAX_AMOUNT,
        help_text=_("A mistake is set right with a new line: for example -250 or 125,50."),
    )
    reason = _reason_field(help_text=_("Needed for a top-up or a correction; shown in the ledger."))

    class Meta:
        model = Budget
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["top_up_amount"].error_messages["min_value"] = _(
            "A top-up must be more than € 0."
        )
        self.fields["correction_amount"].error_messages["min_value"] = _(
            "This amount is too high. Fill in at most € 1.000.000."
        )

    def check(self, data):
        top_up, correction = data.get("top_up_amount"), data.get("correction_amount")
        if top_up is not None and correction is not None:
            self.add_error(None, _("Make a top-up or a correction, one at a time."))
        elif correction == 0:
            self.add_error("correction_amount", _("A correction cannot be € 0."))
        elif (top_up is not None or correction is not None) and not _filled(data.get("reason")):
            self.add_error("reason", _("Write down the reason."))


@admin.register(Budget)
class BudgetAdmin(AreaAdminMixin, ExportActionsMixin, ThroughServicesAdmin):
    list_display = ["smederij", "year", "available_euro", "is_closed"]
    list_display_links = ["smederij", "year"]
    list_filter = ["year", ("smederij", AreaListFilter), "is_closed"]
    list_select_related = ["smederij"]
    search_fields = ["smederij__name"]
    ordering = ["-year", "smederij__name"]
    actions = ["close_budgets", "export_csv", "export_xlsx"]
    export_filename = "smederijen-budgetten"
    export_audit_action = "export.budgets"

    def export_rows(self, queryset):
        """Each selected budget with its totals, derived from the ledger (three queries)."""
        budgets = list(queryset.select_related("smederij").order_by("-year", "smederij__name"))
        totals = services.totals_by_budget(budgets)
        data = tablib.Dataset(
            headers=[
                gettext("Smederij"),
                gettext("Year"),
                gettext("Budget (euro)"),
                gettext("Granted (euro)"),
                gettext("Spent (euro)"),
                gettext("Returned (euro)"),
                gettext("Available (euro)"),
            ],
            title=gettext("Budgets"),
        )
        for budget in budgets:
            money = totals[budget.pk]
            data.append(
                [
                    budget.smederij.name,
                    budget.year,
                    money.budget,
                    money.granted,
                    money.spent,
                    money.returned,
                    money.available,
                ]
            )
        return data

    inlines = [BudgetEntryInline, BudgetGrantInline]

    available_euro = _euro_column("available", _("available"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("smederij")

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # A closed year, or an area the user does not manage, only opens to be read.
        return obj is None or (
            not obj.is_closed and permissions.may_manage_budget(request.user, obj.smederij)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = BudgetChangeForm if obj is not None else BudgetAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["smederij", "year", "opening_amount", "reason"]})]
        fieldsets = [
            (
                None,
                {"fields": [("smederij", "year"), "available_euro", "is_closed", "created_at"]},
            ),
            (_("Totals"), {"fields": ["totals"]}),
        ]
        if self.has_change_permission(request, obj):
            fieldsets.append(
                (
                    _("Top up or correct"),
                    {
                        "fields": ["top_up_amount", "correction_amount", "reason"],
                        "description": _(
                            "The amount available changes only through a new line in the "
                            "ledger. Fill in a top-up or a correction, and the reason."
                        ),
                    },
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["smederij", "year", "available_euro", "is_closed", "created_at", "totals"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_changeform_initial_data(self, request):
        return {"year": timezone.localdate().year, **super().get_changeform_initial_data(request)}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "smederij":
            # Only the areas this user may open a budget for.
            allowed = [
                s.pk
                for s in Smederij.objects.all()
                if permissions.may_manage_budget(request.user, s)
            ]
            kwargs["queryset"] = Smederij.objects.filter(pk__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("totals"))
    def totals(self, obj):
        totals = services.budget_totals(obj)
        rows = [
            (_("budget (opening amount, top-ups and corrections)"), totals.budget),
            (_("granted to ideas"), totals.granted),
            (_("spent by the ideas"), totals.spent),
            (_("unspent money returned"), totals.returned),
            (_("available"), totals.available),
        ]
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join(
                "",
                '<tr><th scope="row">{}</th><td>{}</td></tr>',
                ((label, format_euro(amount)) for label, amount in rows),
            ),
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            with shown_next_to("opening_amount"):
                budget = services.open_budget(
                    obj.smederij,
                    obj.year,
                    data["opening_amount"],
                    actor=request.user,
                    reason=data.get("reason", ""),
                )
            # Admin goes on with the object the service made (for its log and redirect).
            obj.pk, obj.available, obj.created_at = budget.pk, budget.available, budget.created_at
            obj._state.adding, obj._state.db = False, budget._state.db
            return
        if data.get("top_up_amount") is not None:
            with shown_next_to("top_up_amount"):
                services.top_up(
                    obj, data["top_up_amount"], actor=request.user, reason=data["reason"]
                )
        elif data.get("correction_amount") is not None:
            with shown_next_to("correction_amount"):
                services.correct(
                    obj, data["correction_amount"], actor=request.user, reason=data["reason"]
                )
        obj.refresh_from_db(fields=["available"])

    @admin.action(description=_("Close the selected budgets"), permissions=["change"])
    def close_budgets(self, request, queryset):
        done = refused = 0
        for budget in queryset.select_related("smederij").filter(is_closed=False):
            try:
                services.close_budget(budget, actor=request.user)
            except PermissionDenied:
                refused += 1
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d budget is closed.", "%(count)d budgets are closed.", done)
                % {"count": done},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d budget was not closed: it is not of your areas.",
                    "%(count)d budgets were not closed: they are not of your areas.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )
