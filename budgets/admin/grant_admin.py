"""Grants in admin (their payments, lowering, withdrawing and settling: one step at a time,
each through its service) and the funding sources of lange-klap plans."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smederijen.fields import DateField, EuroField
from smederijen.templatetags.money import format_euro
from teams.area_admin import AreaAdminMixin, AreaListFilter

from .. import permissions, services
from ..models import FundingSource, Grant, Payment
from .through_services import (
    CENT,
    ReadOnlyInline,
    ServiceForm,
    ThroughServicesAdmin,
    _euro_column,
    _filled,
    _reason_field,
    shown_next_to,
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
            and permissions.may_grant(request.user, obj.budget.smederij)
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
