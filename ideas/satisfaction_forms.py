"""The short form behind the link in the closing mail: how satisfied is the submitter, and why."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from smederijen.forms import PortalForm

from .forms import inline_helper
from .models import SatisfactionSurvey

Score = SatisfactionSurvey.Score
# The mail's links carry the score in the address: ``?cijfer=4``.
SCORE_PARAMETER = "cijfer"


class SatisfactionForm(PortalForm):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how we handled your idea?"),
        choices=[(value, capfirst(label)) for value, label in Score.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how satisfied you are."),
            "invalid_choice": _("Choose how satisfied you are."),
        },
    )
    reason = forms.CharField(
        label=_("Why did you choose this answer?"),
        help_text=_(
            "What went well, and what could be better? Please do not write names or other "
            "personal details."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": _("Use at most %(limit_value)d characters (you used %(show_value)d).")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper("score", "reason")


def score_from_link(value) -> int | None:
    """The score a link in the mail chose (``?cijfer=4``); anything else chooses nothing."""
    try:
        score = int(value)
    except (TypeError, ValueError):
        return None
    return score if score in Score.values else None
