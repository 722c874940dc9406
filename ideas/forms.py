"""What every form of ideas is built from (the crispy helper, the messages, several files in one
field), and the small forms around an idea: the submitter's answer and withdrawal, a support, an
inventory remark and the filters of the public list.

The ideeformulier's steps are in ``idea_forms.py`` and ``money_forms.py``.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from smederijen.forms import HoneypotMixin, PortalForm, ShortModelChoiceField, honeypot
from smederijen.models import Smederij

from .models import Kind, Notion
from .workflow import Status

REQUIRED = _("This question is required.")


def inline_helper(*layout) -> FormHelper:
    """Crispy renders the fields; the template writes the <form>, its token and its buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


def required(message):
    return {"required": message}


def max_length_messages(form) -> None:
    """Says how many characters were typed, so the resident sees how much to shorten."""
    for field in form.fields.values():
        if getattr(field, "max_length", None):
            field.error_messages["max_length"] = _(
                "Use at most %(limit_value)d characters (you used %(show_value)d)."
            )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (the pattern from Django's documentation); each is cleaned."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AnswerForm(PortalForm):
    answer = forms.CharField(
        label=_("Your answer to the wijkteam"),
        help_text=_("You can also change your idea first with the steps above."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write your answer."),
            "max_length": _("Use at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()


class WithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("Why do you withdraw your idea?"),
        help_text=_("This is shown with the idea on the website. You may leave it empty."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()


class SupportForm(HoneypotMixin, PortalForm):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        error_messages={"required": _("Fill in your name.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send you a link to confirm your support."),
        error_messages={
            "required": _("Fill in your e-mail address."),
            "invalid": _("Fill in an e-mail address like name@example.nl."),
        },
    )
    street = forms.CharField(
        label=_("Your street or postcode"),
        max_length=100,
        help_text=_("So the wijkteam sees where the support comes from."),
        error_messages={"required": _("Fill in your street or postcode.")},
    )
    smederij = ShortModelChoiceField(
        label=_("Where do you live?"),
        queryset=Smederij.objects.none(),
        required=False,
        empty_label=_("Somewhere else / I'd rather not say"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["smederij"].queryset = Smederij.objects.active()
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["street"].widget.attrs["autocomplete"] = "address-line1"
        self.helper = inline_helper()
        self.helper.layout = Layout(
            "name",
            "email",
            "street",
            "smederij",
            honeypot(),
        )


class InventoryRemarkForm(PortalForm):
    text = forms.CharField(
        label=_("Your remark"),
        help_text=_("The initiatiefgroep and the wijkteam see it; it is never public."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write your remark."),
            "max_length": _("Use at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()


class IdeaFilterForm(PortalForm):
    """The filters above the public list of ideas (a GET form: the address can be shared). The
    areas (slug, name) and years to choose from are given: the list keeps them by version."""

    smederij = forms.ChoiceField(label=_("Smederij"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    notion = forms.ChoiceField(label=_("Helps with"), required=False)

    def __init__(self, *args, years=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["smederij"].choices = [("", _("All Smederijen")), *areas]
        self.fields["kind"].choices = [("", _("Both kinds")), *Kind.choices]
        self.fields["status"].choices = [
            ("", _("All statuses")),
            *[(v, label) for v, label in Status.choices if v != Status.CONCEPT],
        ]
        self.fields["year"].choices = [("", _("All years")), *[(y, y) for y in years]]
        self.fields["notion"].choices = [("", _("All")), *Notion.choices]
