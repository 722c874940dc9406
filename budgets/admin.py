"""The money in Django admin: budgets, grants and funding sources.

No amount is ever saved from an admin form. Every change goes through ``budgets.services``: the
forms only carry what the office types (an opening amount, a top-up, a payment, a reason), and
``save_model`` hands it to the service, which checks the rules, writes the ledger and moves
``available`` in one transaction.

When a service says no while saving (a correction that would take the budget below zero, money
spent in another window a second ago), the whole save is rolled back with the transaction admin
wraps around it, and the page is shown again as it was typed, with the service's own message next
to the field (see ``ThroughServicesAdmin``).
"""

from contextlib import contextmanager
from decimal import Decimal

import tablib
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from smederijen.exports import ExportActionsMixin
from smederijen.fields import MAX_AMOUNT, DateField, EuroField
from smederijen.models import Smederij
from smederijen.templatetags.money import format_euro
from teams.area_admin import AreaAdminMixin, AreaListFilter

from . import services
from .models import Budget, BudgetEntry, FundingSource, Grant, Payment
from .services import totals_by_budget

CENT = Decimal("0.01")


# Saving through the services ----------------------------------------------------------------


class Refused(Exception):
    """A service refused while admin was saving: the message, and the field it belongs to."""

    def __init__(self, field: str | None, error: ValidationError):
        super().__init__(error)
        self.field = field
        self.error = error


@contextmanager
def shown_next_to(field: str):
    """Turn a service's "no" into a form error: next to ``field``, or at the top when it is
    about who may do it."""
    try:
        yield
    except PermissionDenied as error:
        message = str(error) or _("You may not do this for this area.")
        raise Refused(None, ValidationError(message)) from error
    except ValidationError as error:
        raise Refused(field, error) from error


class ServiceForm(forms.ModelForm):
    """A form whose changes a service makes. Set per request by ``ThroughServicesAdmin``: who
    saves, and the refusal of a first try (shown as this form's error)."""

    actor = None
    refusal: Refused | None = None

    def clean(self):
        data = super().clean()
        if self.refusal is not None:
            self.add_error(self.refusal.field, self.refusal.error)
        else:
            self.check(data)
        return data

    def check(self, data: dict) -> None:
        """The checks that need no write, before the service is asked (add errors here)."""


class ThroughServicesAdmin(admin.ModelAdmin):
    """Admin whose ``save_model`` calls a service inside ``shown_next_to``."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        form.refusal = getattr(request, "_budgets_refusal", None)
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refusal:
            # Admin's transaction around the save is rolled back: nothing of it was kept. Show
            # the page again with what was typed; the form now carries the service's message.
            request._budgets_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        # Money is never deleted: a mistake is set right by a new line.
        return False


def _reason_field(label=None, **kwargs):
    return forms.CharField(
        label=label or _("reason"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        **kwargs,
    )


def _filled(value) -> bool:
    return bool((value or "").strip())


class SignedEuroField(EuroField):
    """An amount that may be negative: -500, -1.250,50 or € -75 (the sign is read apart, so
    "-1.500" is minus fifteen hundred, as it is without the sign)."""

    def to_python(self, value):
        if isinstance(value, str):
            text = value.replace("€", "").replace("\u00a0", " ").replace("\u2212", "-").strip()
            if text[:1] in ("-", "+"):
                amount = super().to_python(text[1:])
                return -amount if text[0] == "-" and amount is not None else amount
        return super().to_python(value)


# Read-only rows ------------------------------------------------------------------------------


class ParentRowsFormSet(BaseInlineFormSet):
    """Each row knows its parent without asking the database."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.pk is not None:
            setattr(form.instance, self.fk.name, self.instance)
        return form


class ReadOnlyInline(admin.TabularInline):
    """Rows written by the services only: shown, never added, changed or deleted here."""

    formset = ParentRowsFormSet
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _euro_column(field: str, description):
    @admin.display(description=description, ordering=field)
    def column(self, obj):
        return format_euro(getattr(obj, field))

    return column


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
        totals = totals_by_budget(budgets)
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
            not obj.is_closed and services.may_manage_budget(request.user, obj.smederij)
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
                s.pk for s in Smederij.objects.all() if services.may_manage_budget(request.user, s)
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


# Grants --------------------------------------------------------------------------------------


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["paid_on", "amount_euro", "description", "actor", "at"]
    readonly_fields = fields

    amount_euro = _euro_column("amount", _("amount"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class GrantChangeForm(ServiceForm):
    payment_amount = EuroField(label=_("amount paid"), required=False, min_value=CENT)
    payment_description = forms.CharField(label=_("what for"), required=False, max_length=200)
    payment_paid_on = DateField(label=_("paid on"), required=False, initial=timezone.localdate)
    new_amount = EuroField(label=_("new amount"), required=False)
    lower_reason = _reason_field()
    withdraw = forms.BooleanField(label=_("withdraw the grant"), required=False)
    withdraw_reason = _reason_field()
    settle = forms.BooleanField(
        label=_("settle the grant"),
        required=False,
        help_text=_("After realisation: what was not spent returns to the budget."),
    )
    settle_reason = _reason_field(help_text=_("Optional."))

    class Meta:
        model = Grant
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment_amount"].error_messages["min_value"] = _(
            "A payment must be more than € 0."
        )
        self.step = None

    def check(self, data):
        steps = [
            name
            for name, chosen in [
                (
                    "payment",
                    data.get("payment_amount") is not None
                    or _filled(data.get("payment_description")),
                ),
                ("lower", data.get("new_amount") is not None),
                ("withdraw", data.get("withdraw")),
                ("settle", data.get("settle")),
            ]
            if chosen
        ]
        if len(steps) > 1:
            self.add_error(
                None,
                _("Take one step at a time: a payment, a lower amount, withdrawing or settling."),
            )
            return
        self.step = steps[0] if steps else None
        if self.step == "payment":
            if data.get("payment_amount") is None:
                self.add_error("payment_amount", _("Fill in the amount that was paid."))
            if not _filled(data.get("payment_description")):
                self.add_error("payment_description", _("Write down what the money was for."))
            paid_on = data.get("payment_paid_on")
            if paid_on and paid_on > timezone.localdate():
                self.add_error("payment_paid_on", _("A payment cannot be dated in the future."))
        elif self.step == "lower" and not _filled(data.get("lower_reason")):
            self.add_error("lower_reason", _("Write down the reason."))
        elif self.step == "withdraw" and not _filled(data.get("withdraw_reason")):
            self.add_error("withdraw_reason", _("Write down the reason."))


@admin.register(Grant)
class GrantAdmin(AreaAdminMixin, ThroughServicesAdmin):
    area_path = "budget__smederij"
    form = GrantChangeForm
    list_display = ["idea", "budget", "amount_euro", "spent_euro", "state", "granted_at"]
    list_filter = ["budget__year", ("budget__smederij", AreaListFilter), "state"]
    list_select_related = ["idea", "budget__smederij"]
    search_fields = ["idea__reference", "idea__title"]
    date_hierarchy = "granted_at"
    inlines = [PaymentInline]
    readonly_fields = [
        "idea",
        "budget",
        "amount_euro",
        "spent_euro",
        "unspent_euro",
        "state",
        "granted_at",
        "granted_by",
    ]

    amount_euro = _euro_column("amount", _("granted"))
    spent_euro = _euro_column("spent", _("spent"))

    @admin.display(description=_("not spent yet"))
    def unspent_euro(self, obj):
        return format_euro(obj.unspent)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("idea", "budget__smederij", "granted_by")
        )

    def has_add_permission(self, request):
        # Money is granted in the review of an idea, never here.
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing of a grant is edited as a field: its page only offers the steps of the
        # services (a payment, lowering, withdrawing, settling), which check who takes them.
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or (
            obj.state == Grant.State.ACTIVE
            and services.may_grant(request.user, obj.budget.smederij)
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        ("idea", "budget"),
                        ("amount_euro", "spent_euro", "unspent_euro"),
                        "state",
                        ("granted_at", "granted_by"),
                    ]
                },
            )
        ]
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets += [
                (
                    _("Record a payment"),
                    {"fields": ["payment_amount", "payment_description", "payment_paid_on"]},
                ),
                (
                    _("Lower the grant"),
                    {
                        "fields": ["new_amount", "lower_reason"],
                        "description": _("The difference goes back to the budget."),
                    },
                ),
                (
                    _("Withdraw the grant"),
                    {
                        "fields": ["withdraw", "withdraw_reason"],
                        "description": _("All of the grant goes back to the budget."),
                    },
                ),
                (_("Settle the grant"), {"fields": ["settle", "settle_reason"]}),
            ]
        return fieldsets

    def save_model(self, request, obj, form, change):
        data, actor = form.cleaned_data, request.user
        if form.step == "payment":
            with shown_next_to("payment_amount"):
                services.record_payment(
                    obj,
                    data["payment_amount"],
                    actor=actor,
                    description=data["payment_description"],
                    paid_on=data.get("payment_paid_on"),
                )
        elif form.step == "lower":
            with shown_next_to("new_amount"):
                services.lower_grant(
                    obj, data["new_amount"], actor=actor, reason=data["lower_reason"]
                )
        elif form.step == "withdraw":
            with shown_next_to("withdraw"):
                services.withdraw_grant(obj, actor=actor, reason=data["withdraw_reason"])
        elif form.step == "settle":
            with shown_next_to("settle"):
                services.settle_grant(obj, actor=actor, reason=data.get("settle_reason", ""))
        obj.refresh_from_db(fields=["amount", "spent", "state"])


# Co-funding of lange-klap plans --------------------------------------------------------------


class FundingSourceForm(ServiceForm):
    class Meta:
        model = FundingSource
        fields = ["idea", "kind", "name", "amount", "status", "note"]
        field_classes = {"amount": EuroField}


@admin.register(FundingSource)
class FundingSourceAdmin(AreaAdminMixin, ThroughServicesAdmin):
    area_path = "idea__smederij"
    form = FundingSourceForm
    list_display = ["idea", "kind", "name", "amount_euro", "status", "updated_at"]
    list_display_links = ["idea", "name"]
    list_filter = ["kind", "status", ("idea__smederij", AreaListFilter)]
    list_select_related = ["idea"]
    search_fields = ["idea__reference", "idea__title", "name"]
    date_hierarchy = "updated_at"
    autocomplete_fields = ["idea"]

    amount_euro = _euro_column("amount", _("amount"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("idea", "updated_by")

    def get_fields(self, request, obj=None):
        return ["idea", "kind", "name", "amount", "status", "note", "updated_at", "updated_by"]

    def get_readonly_fields(self, request, obj=None):
        # A source stays with its plan: a source of another plan is added there.
        return ["updated_at", "updated_by"] + (["idea"] if obj is not None else [])

    def save_model(self, request, obj, form, change):
        with shown_next_to("amount"):
            source = services.save_funding_source(
                obj.idea,
                actor=request.user,
                kind=obj.kind,
                name=obj.name,
                amount=obj.amount,
                status=obj.status,
                note=obj.note,
                source=obj if change else None,
            )
        obj.pk, obj.updated_at, obj.updated_by = source.pk, source.updated_at, source.updated_by
        obj.name, obj.note, obj.amount = source.name, source.note, source.amount
        obj._state.adding, obj._state.db = False, source._state.db
