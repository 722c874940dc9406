"""The confirm step of each action of the wijkteam's review: what the action needs typed, and the
keyword arguments its service takes (``service_kwargs``).

The forms only check what was typed; every change goes through ``ideas.services``. The field
names are part of the pages' contract (the tests post them): ``question``, ``public_text``,
``reason``, ``kind``, ``amount``, ``accepted_cost``, ``internal_note``.
"""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from smederijen.fields import EuroField
from smederijen.forms import PortalForm, refuse_control_characters_in_text
from smederijen.templatetags.money import format_euro

from .forms import inline_helper
from .models import Kind
from .review_forms import text_area

# The actions' confirm step -----------------------------------------------------------------------


class ActionForm(PortalForm):
    """The confirm step of an action; every action may add an internal note."""

    internal_note = text_area(
        _("Internal note"),
        required=False,
        rows=3,
        help_text=_(
            "Only the staff of this area see it, in the history. It never reaches the "
            "submitter or the public."
        ),
    )
    # The field a standard text fills (None: the action has no text for the submitter).
    text_field: str | None = None

    def __init__(self, *args, idea, budget=None, summary=None, against=None, **kwargs):
        self.idea = idea
        self.budget = budget  # this year's bewonersbudget of the area, for a grant
        self.summary = summary  # the verantwoording and its money (review_reads.AccountingSummary)
        self.against = against  # the wijkoverleg's advice this step goes against (an OverlegItem)
        super().__init__(*args, **kwargs)
        if against is not None:
            self.fields["against_advice"] = text_area(
                _("Why do you decide against the advice of the wijkoverleg?"),
                rows=3,
                help_text=_(
                    "The wijkoverleg of %(date)s advised: %(advice)s (%(reason)s). Your reason "
                    "is kept in the history for the staff."
                )
                % {
                    "date": date_format(timezone.localtime(against.overleg.starts_at), "j F Y"),
                    "advice": against.get_advice_display(),
                    "reason": against.advice_reason,
                },
                required_message=_("Write why you decide against the advice."),
            )
            self.fields["against_advice"].validators.append(refuse_control_characters_in_text)
        # The text for the submitter comes first, the internal note last.
        self.order_fields([name for name in self.fields if name != "internal_note"])
        self.helper = inline_helper()

    def service_kwargs(self) -> dict:
        extra = {"against_advice": self.cleaned_data["against_advice"]} if self.against else {}
        return {"internal_note": self.cleaned_data.get("internal_note", ""), **extra}


class PublicTextForm(ActionForm):
    """An action with an optional explanation for the submitter and the public."""

    public_text = text_area(
        _("Explanation for the submitter"),
        required=False,
        help_text=_(
            "The submitter gets it by e-mail. It is also shown in the history on the idea's "
            "public page."
        ),
    )
    text_field = "public_text"

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "public_text": self.cleaned_data["public_text"]}


class TakeUpForm(ActionForm):
    pass


class QuestionForm(ActionForm):
    question = text_area(
        _("Your question to the submitter"),
        help_text=_(
            "The submitter gets it by e-mail and sees it under 'My ideas'. Write it in plain "
            "language."
        ),
        required_message=_("Write your question."),
    )
    text_field = "question"

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "question": self.cleaned_data["question"]}


class ApproveForm(PublicTextForm):
    pass


class GrantForm(PublicTextForm):
    amount = EuroField(
        label=_("Amount to grant"),
        error_messages={"required": _("Fill in the amount to grant.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["amount", "public_text", "internal_note"])
        asked = self.idea.amount_requested
        if asked is not None:
            self.fields["amount"].initial = asked
        parts = []
        if asked is not None:
            parts.append(
                _("The submitter asked %(asked)s. You cannot grant more.")
                % {"asked": format_euro(asked)}
            )
        if self.budget is not None:
            parts.append(
                _("Still available in the budget of %(area)s for %(year)s: %(available)s.")
                % {
                    "area": self.budget.smederij.name,
                    "year": self.budget.year,
                    "available": format_euro(self.budget.available),
                }
            )
        else:
            parts.append(_("This area has no budget for this year yet."))
        self.fields["amount"].help_text = " ".join(str(p) for p in parts)
        self.fields["public_text"].help_text = _(
            "The submitter gets it by e-mail. Leave it empty to only say which amount was granted."
        )

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "amount": self.cleaned_data["amount"]}


class RejectForm(ActionForm):
    reason = text_area(
        _("Why is the idea rejected?"),
        help_text=_(
            "The submitter gets it by e-mail, and it is shown with the idea on the website. "
            "Explain it kindly and in plain language."
        ),
        required_message=_("Write why the idea is rejected."),
    )
    text_field = "reason"

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "reason": self.cleaned_data["reason"]}


class ReclassifyForm(ActionForm):
    kind = forms.ChoiceField(
        label=_("New kind of idea"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the new kind of idea."),
            "invalid_choice": _("Choose korte klap or lange klap."),
        },
    )
    reason = text_area(
        _("Why does the kind change?"),
        help_text=_(
            "The submitter and the public read this in the idea's history. Explain it in plain "
            "language."
        ),
        required_message=_("Write why the kind of the idea changes."),
    )
    text_field = "reason"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        other = [value for value, _label in Kind.choices if value != self.idea.kind]
        if other:
            self.fields["kind"].initial = other[0]

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind == self.idea.kind:
            raise forms.ValidationError(
                _("The idea is %(kind)s already. Choose the other kind.")
                % {"kind": self.idea.get_kind_display()}
            )
        return kind

    def service_kwargs(self) -> dict:
        return {
            **super().service_kwargs(),
            "kind": self.cleaned_data["kind"],
            "reason": self.cleaned_data["reason"],
        }


# The verantwoording ------------------------------------------------------------------------------


class SignOffForm(PublicTextForm):
    """Sign off the verantwoording: the costs the wijkteam accepts, at most what was reported."""

    accepted_cost = EuroField(
        label=_("Costs you accept"),
        error_messages={"required": _("Fill in the costs you accept.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["accepted_cost", "public_text", "internal_note"])
        accounting, grant = self.summary.accounting, self.summary.grant
        reported = accounting.actual_cost if accounting is not None else None
        parts = []
        if reported is not None:
            self.fields["accepted_cost"].initial = reported
            parts.append(
                _("The submitter reported %(cost)s. You cannot accept more.")
                % {"cost": format_euro(reported)}
            )
        if grant is not None:
            parts.append(
                _("Granted from the bewonersbudget: %(amount)s, of which %(spent)s is paid.")
                % {"amount": format_euro(grant.amount), "spent": format_euro(grant.spent)}
            )
        parts.append(_("Accept less when a receipt is missing or not for this idea."))
        self.fields["accepted_cost"].help_text = " ".join(str(p) for p in parts)
        self.fields["public_text"].help_text = _(
            "The submitter gets it by e-mail, and it is shown in the history on the idea's public "
            "page. Leave it empty to only say what it cost and what goes back to the budget."
        )

    def clean_accepted_cost(self):
        accepted = self.cleaned_data["accepted_cost"]
        accounting = self.summary.accounting
        reported = accounting.actual_cost if accounting is not None else None
        if reported is not None and accepted > reported:
            raise forms.ValidationError(
                _(
                    "The submitter reported %(cost)s. You cannot accept more. If the costs are "
                    "wrong, send the verantwoording back with a question."
                )
                % {"cost": format_euro(reported)}
            )
        return accepted

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "accepted_cost": self.cleaned_data["accepted_cost"]}


class ReturnAccountingForm(ActionForm):
    """Send the verantwoording back: the submitter reads the question and can change it."""

    question = text_area(
        _("What should the submitter change or add?"),
        help_text=_(
            "The submitter gets it by e-mail and sees it with the verantwoording. It is also "
            "shown in the history on the idea's public page. Write it in plain language."
        ),
        required_message=_("Write what the submitter should change or add."),
    )
    text_field = "question"

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "question": self.cleaned_data["question"]}
