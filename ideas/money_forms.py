"""The ideeformulier's step "money and planning": the begroting line by line, what is asked and
paid or found elsewhere, and the planned dates with their rules."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from smederijen.fields import DateField, EuroField
from smederijen.forms import PortalForm

from .forms import max_length_messages, required
from .idea_forms import StepForm
from .models import Idea, Kind


def period_problems(kind: str, start: date | None, end: date | None) -> dict[str, str]:
    """The rules on the planned dates: in order, not in the past, and korte klap within a year."""
    problems = {}
    if start and start < timezone.localdate():
        problems["start_date"] = _("The start cannot be in the past.")
    if start and end and end < start:
        problems["end_date"] = _("The end cannot be before the start.")
    elif start and end and kind == Kind.KORTE_KLAP:
        try:
            one_year = start.replace(year=start.year + 1)
        except ValueError:  # 29 February
            one_year = start.replace(year=start.year + 1, day=28)
        if end > one_year:
            problems["end_date"] = _(
                "A korte-klap idea is carried out within one year. Choose an end date on "
                "%(date)s at the latest, or choose lange klap in step 1."
            ) % {"date": date_format(one_year, "j F Y")}
    return problems


class BudgetLineForm(PortalForm):
    item = forms.CharField(
        label=_("What do you need?"),
        max_length=120,
        required=False,
        error_messages={"max_length": _("Use at most 120 characters.")},
    )
    amount = EuroField(label=_("Costs in euros"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("item") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Fill in what this costs."))
        if data.get("amount") is not None and not data.get("item") and "item" not in self.errors:
            self.add_error("item", _("Write what this amount is for."))
        return data


class BaseBudgetLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        return [
            {"item": f.cleaned_data["item"], "amount": f.cleaned_data["amount"]}
            for f in self.forms
            if f.cleaned_data.get("item") and f.cleaned_data.get("amount") is not None
        ]


MAX_BUDGET_LINES = 20
BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm, formset=BaseBudgetLineFormSet, extra=0, max_num=MAX_BUDGET_LINES
)


def budget_formset(data=None, *, idea: Idea, extra: int = 0):
    initial = [{"item": line.item, "amount": line.amount} for line in idea.budget_lines.all()]
    blank_rows = max(3 - len(initial), 0) + extra
    formset = forms.formset_factory(
        BudgetLineForm,
        formset=BaseBudgetLineFormSet,
        extra=blank_rows,
        max_num=MAX_BUDGET_LINES,
        validate_max=True,
    )(data, initial=initial, prefix="lines")
    return formset


class MoneyForm(StepForm):
    amount_requested = EuroField(
        label=_("How much money do you ask?"),
        help_text=_("From the resident budget (korte klap) or from the stuurgroep (lange klap)."),
        error_messages=required(_("Fill in how much money you ask.")),
    )
    own_contribution = EuroField(
        label=_("How much do you pay yourselves?"),
        help_text=_("Money from your group, a collection or a club. Fill in 0 if nothing."),
        required=False,
    )
    other_funding = EuroField(
        label=_("How much money comes from elsewhere?"),
        help_text=_("For example a fund or a sponsor. Fill in 0 if nothing."),
        required=False,
    )
    start_date = DateField(
        label=_("When do you want to start?"),
        error_messages=required(_("Fill in when you want to start.")),
    )
    end_date = DateField(
        label=_("When is it ready?"),
        help_text=_("A korte-klap idea is ready within one year after the start."),
        error_messages=required(_("Fill in when it is ready.")),
    )

    class Meta:
        model = Idea
        fields = [
            "amount_requested",
            "own_contribution",
            "other_funding",
            "other_funding_note",
            "start_date",
            "end_date",
        ]
        labels = {"other_funding_note": _("Where does the other money come from?")}

    def __init__(self, *args, **kwargs):
        self.formset = kwargs.pop("formset")
        super().__init__(*args, **kwargs)
        max_length_messages(self)

    def clean(self):
        data = super().clean()
        if self.lenient:
            return data
        for field, message in period_problems(
            self.idea.kind, data.get("start_date"), data.get("end_date")
        ).items():
            if field not in self.errors:
                self.add_error(field, message)
        if self.formset.is_valid():
            lines = self.formset.lines()
            total = sum((line["amount"] for line in lines), Decimal("0"))
            if not lines:
                self.add_error(
                    None, _("Add at least one line to the budget: what you need and its costs.")
                )
            requested = data.get("amount_requested")
            if requested is not None and lines and requested > total:
                self.add_error(
                    "amount_requested",
                    _("You ask more than the total of your budget (€ %(total)s).")
                    % {"total": _dutch(total)},
                )
        return data

    def step_fields(self) -> dict:
        fields = super().step_fields()
        fields["own_contribution"] = fields["own_contribution"] or Decimal("0.00")
        fields["other_funding"] = fields["other_funding"] or Decimal("0.00")
        return fields


def _dutch(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
