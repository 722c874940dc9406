"""The forms of the wijkteam's review: the werkvoorraad's filters, the conditions checklist,
internal notes and the choice of a standard text (the confirm step of each action:
``review_action_forms``).

The forms only check what was typed; every change goes through ``ideas.services``. The field
names are part of the pages' contract (the tests post them): ``verdict_<pk>``, ``remark_<pk>``,
``note``.
"""

from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ideas import permissions
from ideas.workflow import OPEN_STATUSES, QUEUE_STATUSES, Status
from smederijen.forms import PortalForm, ShortModelChoiceField
from smederijen.models import Smederij

from .forms import inline_helper
from .models import ConditionCheck, Kind, StandardText

MAX_TEXT = 4000
MAX_REMARK = 500


def limit(field: forms.Field) -> forms.Field:
    field.error_messages["max_length"] = _(
        "Use at most %(limit_value)d characters (you used %(show_value)d)."
    )
    return field


def text_area(label, *, required=True, help_text="", rows=5, required_message=""):
    field = forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )
    if required_message:
        field.error_messages["required"] = required_message
    return limit(field)


# The werkvoorraad --------------------------------------------------------------------------------

ALL_OPEN = "open"
ASSIGNED_TO_ME = "mij"
NOT_ASSIGNED = "niemand"
# A filter of its own: realised ideas whose verantwoording was sent wait for the team's sign-off.
ACCOUNTING_SENT = "verantwoording"
ACCOUNTING_SENT_LABEL = _("Verantwoording sent: to sign off")


class AreaChoiceField(ShortModelChoiceField):
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
    behandelaar = forms.ChoiceField(
        label=_("Handled by"),
        required=False,
        choices=[
            ("", _("Anyone or nobody")),
            (ASSIGNED_TO_ME, _("Assigned to me")),
            (NOT_ASSIGNED, _("Not assigned yet")),
        ],
    )
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

    def chosen_behandelaar(self) -> str:
        return self.cleaned_data.get("behandelaar") if self.is_bound and self.is_valid() else ""

    def statuses(self) -> tuple[str, ...]:
        return statuses_of(self.chosen_status())

    def status_filter(self) -> Q:
        return status_filter(self.chosen_status())

    def counted(self, counts: dict) -> int | None:
        """How many ideas the chosen filters show, when the werkvoorraad's counts of the same
        ideas (per open status, verantwoording sent, assigned to me) hold it already; None:
        they must be counted."""
        chosen, status = self.chosen_behandelaar(), self.chosen_status()
        if chosen == ASSIGNED_TO_ME and not status:
            return counts["mine"]
        if chosen:
            return None
        if status == ACCOUNTING_SENT:
            return counts["accounting_sent"]
        if any(s not in counts for s in self.statuses()):
            return None
        return sum(counts[s] for s in self.statuses())

    def behandelaar_filter(self, user) -> Q:
        return behandelaar_filter(self.chosen_behandelaar(), user)


def statuses_of(status: str) -> tuple[str, ...]:
    """The statuses a choice of the werkvoorraad's status filter stands for."""
    if status == ALL_OPEN:
        return OPEN_STATUSES
    if status == ACCOUNTING_SENT:
        return (Status.GEREALISEERD,)
    if status:
        return (status,)
    return QUEUE_STATUSES


def status_filter(status: str) -> Q:
    """The ideas a chosen status stands for (the verantwoording filter looks further)."""
    if status == ACCOUNTING_SENT:
        return permissions.accounting_waits_for_team_q()
    return Q(status__in=statuses_of(status))


def behandelaar_filter(chosen: str, user) -> Q:
    """The ideas a choice of the werkvoorraad's behandelaar filter stands for."""
    if chosen == ASSIGNED_TO_ME:
        return Q(behandelaar=user)
    if chosen == NOT_ASSIGNED:
        return Q(behandelaar__isnull=True)
    return Q()


class BehandelaarChoiceField(ShortModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.email


class AssignForm(PortalForm):
    """The review page: who handles this idea (one of the people who act for its area)."""

    behandelaar = BehandelaarChoiceField(
        label=_("Handled by"),
        queryset=None,
        required=False,
        empty_label=_("Nobody yet"),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["behandelaar"].queryset = candidates
        self.fields["behandelaar"].error_messages["invalid_choice"] = _(
            "Choose one of the people in the list."
        )
        self.helper = inline_helper()


class AssignManyForm(PortalForm):
    """The werkvoorraad: several chosen ideas get one behandelaar (and new ones are taken up)."""

    idee = forms.ModelMultipleChoiceField(
        label=_("Ideas"),
        queryset=None,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one idea in the list."),
            "invalid_choice": _("One of the chosen ideas cannot be assigned (any more)."),
            "invalid_pk_value": _("One of the chosen ideas cannot be assigned (any more)."),
        },
    )
    behandelaar = BehandelaarChoiceField(
        label=_("Handled by"),
        queryset=None,
        error_messages={
            "required": _("Choose who handles the ideas."),
            "invalid_choice": _("Choose one of the people in the list."),
        },
    )
    take_up = forms.BooleanField(
        label=_("Also take up the new ideas among them (the submitter gets a mail)"),
        required=False,
    )

    def __init__(self, *args, ideas, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idee"].queryset = ideas
        self.fields["behandelaar"].queryset = candidates
        self.helper = inline_helper("behandelaar", "take_up")


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
            remark = limit(
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
    note = text_area(
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

    tekst = ShortModelChoiceField(
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
