"""The form of the budgets' own pages: opening the budgets of a new year for several areas."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from smederijen.fields import EuroField
from smederijen.forms import PortalForm
from smederijen.templatetags.money import format_euro


class OpenYearForm(PortalForm):
    """One amount per area that has no budget for the year yet, proposed from the year before
    (its opening amount with top-ups and corrections). An empty amount: that area is not opened
    now."""

    def __init__(self, *args, areas, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template writes the form, its token and buttons
        self.helper.disable_csrf = True
        self.areas = list(areas)
        for area in self.areas:
            proposal = proposals.get(area.pk)
            self.fields[self.field_name(area)] = EuroField(
                label=area.name,
                required=False,
                initial=proposal.budget if proposal and proposal.budget > 0 else None,
                help_text=(
                    _("Last year: %(amount)s") % {"amount": format_euro(proposal.budget)}
                    if proposal
                    else _("No budget last year.")
                ),
            )

    @staticmethod
    def field_name(area) -> str:
        return f"bedrag_{area.slug}"

    def clean(self):
        cleaned = super().clean()
        for area in self.areas:
            amount = cleaned.get(self.field_name(area))
            if amount is not None and amount <= 0:
                self.add_error(
                    self.field_name(area),
                    _("Fill in more than € 0, or leave the field empty to skip this area."),
                )
        if not self.errors and not self.amounts():
            raise forms.ValidationError(_("Fill in the amount of at least one area."))
        return cleaned

    def amounts(self) -> list:
        """(area, amount) of the areas to open."""
        return [
            (area, self.cleaned_data[self.field_name(area)])
            for area in self.areas
            if self.cleaned_data.get(self.field_name(area)) is not None
        ]
