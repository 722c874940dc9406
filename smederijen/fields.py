"""Fields for amounts and dates, as people in the portal and in admin type them, and the limits of
an amount: one place for ideas, budgets and their forms."""

import re
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# Amounts above this are a typing error, not a plan for a street or village.
MAX_AMOUNT = Decimal("1000000.00")
money_validators = [
    MinValueValidator(Decimal("0.00"), message=_("Fill in an amount of 0 or more.")),
    MaxValueValidator(
        MAX_AMOUNT, message=_("This amount is too high. Fill in at most € 1.000.000.")
    ),
]


class EuroField(forms.DecimalField):
    """An amount in euros as people type it: 1234, 1234,50, 1.234,50 or € 1.234."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", MAX_AMOUNT)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "amount-input"})
        )
        super().__init__(**kwargs)
        self.error_messages.update(
            {
                "invalid": _("Fill in an amount in euros, for example 250 or 1.250,50."),
                "min_value": _("Fill in an amount of 0 or more."),
                "max_value": _("This amount is too high. Fill in at most € 1.000.000."),
                "max_decimal_places": _("Use at most two digits after the comma (cents)."),
                "max_digits": _("This amount is too high. Fill in at most € 1.000.000."),
                "max_whole_digits": _("This amount is too high. Fill in at most € 1.000.000."),
            }
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
            value = value.removesuffix(",-")
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
                value = value.replace(".", "")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value


class DateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"])
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("Fill in a date like 15-03-2027.")


class TimeField(forms.TimeField):
    """A time of day as people type it: 19:30 or 19.30."""

    widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%H:%M", "%H.%M", "%H:%M:%S"])
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("Fill in a time like 19:30.")
