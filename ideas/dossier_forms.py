"""The forms of the stuurgroep's dossiers: a member's assessment and an organisation's position.

The forms only check what was typed; ``ideas.services`` decides whether it may be saved.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from smederijen.forms import PortalForm, ShortModelChoiceField

from .models import OrganisationPosition, Recommendation, Scale


class AssessmentForm(PortalForm):
    residents_support = forms.TypedChoiceField(
        label=_("How much support is there among residents?"),
        choices=Scale.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Look at the supports, the paper lists and the initiatiefgroep's remarks."),
    )
    professionals_support = forms.TypedChoiceField(
        label=_("How much support is there among professionals?"),
        choices=Scale.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Look at the positions of the partner organisations."),
    )
    recommendation = forms.ChoiceField(
        label=_("Your recommendation"),
        choices=Recommendation.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    remark = forms.CharField(
        label=_("Remark"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why you judge it like this, or what the stuurgroep should ask."),
    )
    has_conflict = forms.BooleanField(
        label=_("I have a conflict of interest: I do not assess this plan and do not vote"),
        required=False,
    )
    conflict_note = forms.CharField(
        label=_("What is the conflict of interest?"),
        max_length=300,
        required=False,
        help_text=_("For example: I live in the street of the plan, or I am on its board."),
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict"):
            if not (data.get("conflict_note") or "").strip():
                self.add_error(
                    "conflict_note", _("Say in a few words what the conflict of interest is.")
                )
            return data
        if data.get("residents_support") is None and "residents_support" not in self.errors:
            self.add_error("residents_support", _("Choose how much support residents give."))
        if data.get("professionals_support") is None and "professionals_support" not in self.errors:
            self.add_error(
                "professionals_support", _("Choose how much support professionals give.")
            )
        if not data.get("recommendation") and "recommendation" not in self.errors:
            self.add_error("recommendation", _("Choose your recommendation."))
        return data

    @classmethod
    def initial_from(cls, assessment) -> dict:
        if assessment is None:
            return {}
        return {
            "residents_support": assessment.residents_support,
            "professionals_support": assessment.professionals_support,
            "recommendation": assessment.recommendation,
            "remark": assessment.remark,
            "has_conflict": assessment.has_conflict,
            "conflict_note": assessment.conflict_note,
        }


class PositionForm(PortalForm):
    organisation = ShortModelChoiceField(
        label=_("For which organisation?"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the organisation.")},
    )
    stance = forms.ChoiceField(
        label=_("The organisation's position"),
        choices=OrganisationPosition.Stance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the organisation's position.")},
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the organisation takes this position, in a few sentences."),
        error_messages={"required": _("Explain the organisation's position in a few sentences.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        field = self.fields["organisation"]
        field.queryset = organisations
        if len(self.organisations) == 1:
            # Only one organisation: no choice to make.
            field.widget = forms.HiddenInput()
            field.initial = self.organisations[0].pk
            field.required = False

    def clean_organisation(self):
        chosen = self.cleaned_data.get("organisation")
        if chosen is None and len(self.organisations) == 1:
            return self.organisations[0]
        return chosen

    def clean_explanation(self):
        text = self.cleaned_data["explanation"].strip()
        if not text:
            raise forms.ValidationError(
                _("Explain the organisation's position in a few sentences.")
            )
        return text
