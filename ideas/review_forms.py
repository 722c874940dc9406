"""The forms of the wijkteam's review: the werkvoorraad's filters, the conditions checklist,
internal notes, the choice of a standard text and the confirm step of each action.

The forms only check what was typed; every change goes through ``ideas.services``. The field
names are part of the pages' contract (the tests post them): ``question``, ``public_text``,
``reason``, ``kind``, ``amount``, ``accepted_cost``, ``internal_note``, ``verdict_<pk>``,
``remark_<pk>``, ``note``.
"""

from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ideas.workflow import Status
from smederijen.fields import EuroField
from smederijen.forms import PortalForm
from smederijen.models import Smederij
from smederijen.templatetags.money import format_euro

from .forms import inline_helper
from .models import Accounting, ConditionCheck, Kind, StandardText

MAX_TEXT = 4000
MAX_REMARK = 500


def _limit(field: forms.Field) -> forms.Field:
    field.error_messages["max_length"] = _(
        "Use at most %(limit_value)d characters (you used %(show_value)d)."
    )
    return field


def _text_area(label, *, required=True, help_text="", rows=5, required_message=""):
    field = forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )
    if required_message:
        field.error_messages["required"] = required_message
    return _limit(field)


# The werkvoorraad --------------------------------------------------------------------------------

# What waits for the wijkteam (aanvulling_gevraagd waits for the submitter, but stays in sight; so
# does a realised idea until its verantwoording is sent, see ACCOUNTING_SENT).
QUEUE_STATUSES = (
    Status.INGEDIEND,
    Status.IN_BEHANDELING,
    Status.AANVULLING_GEVRAAGD,
    Status.GOEDGEKEURD,
    Status.BUDGET_TOEGEKEND,
    Status.IN_UITVOERING,
    Status.GEREALISEERD,
)
# Every idea that is not closed: the queue plus the plans with the stuurgroep or seeking money.
OPEN_STATUSES = (
    Status.INGEDIEND,
    Status.IN_BEHANDELING,
    Status.AANVULLING_GEVRAAGD,
    Status.GOEDGEKEURD,
    Status.BUDGET_TOEGEKEND,
    Status.BIJ_STUURGROEP,
    Status.FINANCIERING,
    Status.IN_UITVOERING,
    Status.GEREALISEERD,
)
# A decision is due in these statuses; past the date the idea is overdue.
DECISION_STATUSES = (Status.INGEDIEND, Status.IN_BEHANDELING)
ALL_OPEN = "open"
# A filter of its own: realised ideas whose verantwoording was sent wait for the team's sign-off.
ACCOUNTING_SENT = "verantwoording"
ACCOUNTING_SENT_LABEL = _("Verantwoording sent: to sign off")


def accounting_sent_q(prefix: str = "") -> Q:
    """Realised ideas with a verantwoording the submitter sent: the team must sign it off."""
    return Q(
        **{
            f"{prefix}status": Status.GEREALISEERD,
            f"{prefix}accounting__state": Accounting.State.SENT,
        }
    )


class AreaChoiceField(forms.ModelChoiceField):
    """A Smederij by its slug (as in the public filters), or by its number."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.queryset.get(slug=value)
        except (Smederij.DoesNotExist, ValueError):
            pass
        if str(value).isdigit():
            try:
                return self.queryset.get(pk=value)
            except Smederij.DoesNotExist:
                pass
        raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class QueueFilterForm(PortalForm):
    """The filters above the werkvoorraad (a GET form: the address can be shared)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    smederij = AreaChoiceField(
        label=_("Smederij"),
        queryset=Smederij.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All your Smederijen"),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("Waiting in the werkvoorraad")),
            (ALL_OPEN, _("All open ideas")),
            *[(s.value, s.label.capitalize()) for s in OPEN_STATUSES],
            (ACCOUNTING_SENT, ACCOUNTING_SENT_LABEL),
        ]
        self.fields["kind"].choices = [("", _("Both kinds")), *Kind.choices]
        self.fields["smederij"].queryset = areas
        for name in self.fields:
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choose one of the options in the list."
            )

    def chosen_status(self) -> str:
        return self.cleaned_data.get("status") if self.is_bound and self.is_valid() else ""

    def statuses(self) -> tuple[str, ...]:
        status = self.chosen_status()
        if status == ALL_OPEN:
            return OPEN_STATUSES
        if status == ACCOUNTING_SENT:
            return (Status.GEREALISEERD,)
        if status:
            return (status,)
        return QUEUE_STATUSES

    def status_filter(self) -> Q:
        """The ideas the chosen status stands for (the verantwoording filter looks further)."""
        if self.chosen_status() == ACCOUNTING_SENT:
            return accounting_sent_q()
        return Q(status__in=self.statuses())


# The review page ---------------------------------------------------------------------------------


class ChecklistForm(PortalForm):
    """Per voorwaarde a verdict (voldoet / voldoet niet / n.v.t.) and a remark; one save for all."""

    def __init__(self, *args, conditions, checks, **kwargs):
        super().__init__(*args, **kwargs)
        self.conditions = list(conditions)
        self.checks = {check.condition_id: check for check in checks}
        for condition in self.conditions:
            check = self.checks.get(condition.pk)
            verdict = forms.ChoiceField(
                label=condition.title,
                choices=ConditionCheck.Verdict.choices,
                required=False,
                widget=forms.RadioSelect,
                help_text=condition.text,
            )
            verdict.error_messages["invalid_choice"] = _("Choose one of the three answers.")
            remark = _limit(
                forms.CharField(
                    label=_("Remark on “%(title)s”") % {"title": condition.title},
                    required=False,
                    max_length=MAX_REMARK,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=self._last_checked(check),
                )
            )
            self.fields[f"verdict_{condition.pk}"] = verdict
            self.fields[f"remark_{condition.pk}"] = remark
            if check is not None:
                self.initial[f"verdict_{condition.pk}"] = check.verdict
                self.initial[f"remark_{condition.pk}"] = check.remark
        self.helper = inline_helper()

    @staticmethod
    def _last_checked(check) -> str:
        if check is None:
            return _("Not checked yet.")
        who = check.checked_by.get_full_name() if check.checked_by else ""
        when = date_format(check.checked_at, "j F Y")
        if who:
            return _("Last checked by %(name)s on %(date)s.") % {"name": who, "date": when}
        return _("Last checked on %(date)s.") % {"date": when}

    def clean(self):
        data = super().clean()
        for condition in self.conditions:
            verdict = data.get(f"verdict_{condition.pk}")
            remark = (data.get(f"remark_{condition.pk}") or "").strip()
            if remark and not verdict and f"verdict_{condition.pk}" not in self.errors:
                self.add_error(
                    f"verdict_{condition.pk}",
                    _("Choose whether the idea meets this condition, or remove the remark."),
                )
        return data

    def changed_checks(self):
        """(condition, verdict, remark) for each condition whose answer is new or changed."""
        for condition in self.conditions:
            verdict = self.cleaned_data.get(f"verdict_{condition.pk}")
            remark = (self.cleaned_data.get(f"remark_{condition.pk}") or "").strip()
            if not verdict:
                continue
            check = self.checks.get(condition.pk)
            if check is None or check.verdict != verdict or check.remark != remark:
                yield condition, verdict, remark


class NoteForm(PortalForm):
    note = _text_area(
        _("Your internal note"),
        help_text=_("Only the staff of this area see it. It never reaches the submitter."),
        rows=4,
        required_message=_("Write the note."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()


# Standard texts ----------------------------------------------------------------------------------


class StandardTextSelect(forms.Select):
    """Each option carries its text, so the page's script can fill the field without a reload."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-text"] = instance.text
        return option


class StandardTextChoiceForm(PortalForm):
    """Choose a standard text: a GET form that reloads the page with ``?tekst=<pk>``."""

    tekst = forms.ModelChoiceField(
        label=_("Standard text"),
        queryset=StandardText.objects.none(),
        empty_label=_("Choose a text"),
        widget=StandardTextSelect,
        help_text=_("The text is put in the field below. You can still change it."),
    )

    def __init__(self, *args, use: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tekst"].queryset = StandardText.objects.filter(use=use, is_active=True)
        self.fields["tekst"].error_messages.update(
            {
                "required": _("Choose a standard text first."),
                "invalid_choice": _(
                    "This standard text does not exist (any more). Choose another one."
                ),
            }
        )
        self.helper = inline_helper()


# The actions' confirm step -----------------------------------------------------------------------


class ActionForm(PortalForm):
    """The confirm step of an action; every action may add an internal note."""

    internal_note = _text_area(
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

    def __init__(self, *args, idea, budget=None, **kwargs):
        self.idea = idea
        self.budget = budget
        super().__init__(*args, **kwargs)
        # The text for the submitter comes first, the internal note last.
        self.order_fields([name for name in self.fields if name != "internal_note"])
        self.helper = inline_helper()

    def service_kwargs(self) -> dict:
        return {"internal_note": self.cleaned_data.get("internal_note", "")}


class PublicTextForm(ActionForm):
    """An action with an optional explanation for the submitter and the public."""

    public_text = _text_area(
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
    question = _text_area(
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
    reason = _text_area(
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
    reason = _text_area(
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
        return {"kind": self.cleaned_data["kind"], "reason": self.cleaned_data["reason"]}


# The verantwoording ------------------------------------------------------------------------------


class SignOffForm(PublicTextForm):
    """Sign off the verantwoording: the costs the wijkteam accepts, at most what was reported."""

    accepted_cost = EuroField(
        label=_("Costs you accept"),
        error_messages={"required": _("Fill in the costs you accept.")},
    )

    def __init__(self, *args, accounting=None, grant=None, **kwargs):
        self.accounting = accounting
        self.grant = grant
        super().__init__(*args, **kwargs)
        self.order_fields(["accepted_cost", "public_text", "internal_note"])
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
        reported = self.accounting.actual_cost if self.accounting is not None else None
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

    question = _text_area(
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
