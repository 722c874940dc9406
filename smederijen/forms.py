from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .mail import is_control

# Line breaks and tabs belong in a text of several lines; no other control character does.
_TEXT_LAYOUT = {"\n", "\r", "\t"}


def refuse_control_characters(value: str) -> None:
    """A one-line field (a name, a title, a street): no line break, tab or other control
    character. Such text may end up in a mail header or a spreadsheet."""
    if any(is_control(char) for char in value):
        raise ValidationError(
            _("Type this on one line, without tabs, line breaks or other invisible characters."),
            code="control_characters",
        )


def refuse_control_characters_in_text(value: str) -> None:
    """A text of several lines may have line breaks and tabs, no other control character."""
    if any(is_control(char) and char not in _TEXT_LAYOUT for char in value):
        raise ValidationError(
            _("This text contains an invisible control character. Remove it and try again."),
            code="control_characters",
        )


class OneLineFieldsMixin:
    """Every text field of the form refuses control characters: one-line fields all of them,
    text areas all but line breaks and tabs. Every form of the portal has it
    (``PortalForm``/``PortalModelForm``); tests/smederijen/test_control_characters.py checks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or isinstance(
                field.widget, forms.PasswordInput
            ):
                continue
            if isinstance(field.widget, forms.Textarea):
                field.validators.append(refuse_control_characters_in_text)
            else:
                field.validators.append(refuse_control_characters)


class ReadAtOnceChoiceIterator(forms.models.ModelChoiceIterator):
    """The rows of a short list of choices (people, areas) read with one plain SELECT. Django
    reads a model's choices through a server-side cursor on PostgreSQL: DECLARE, FETCH and CLOSE,
    three round trips for a list of twenty names."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.queryset:
            yield self.choice(row)


class ShortModelChoiceField(forms.ModelChoiceField):
    iterator = ReadAtOnceChoiceIterator


class PortalForm(OneLineFieldsMixin, forms.Form):
    pass


class PortalModelForm(OneLineFieldsMixin, forms.ModelForm):
    pass


class HoneypotMixin:
    """A field hidden from people that spam robots fill in: spam protection without a CAPTCHA
    that shuts out people. Put ``honeypot()`` in the form's layout."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


def honeypot() -> Div:
    return Div("website", css_class="honeypot", aria_hidden="true")


class ContactForm(HoneypotMixin, PortalForm):
    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        error_messages={"required": _("Fill in your name.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We only use it to answer you."),
        error_messages={
            "required": _("Fill in your e-mail address."),
            "invalid": _("Fill in an e-mail address like name@example.nl."),
        },
    )
    message = forms.CharField(
        label=_("Your question or message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your question or message.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "name",
            "email",
            "message",
            honeypot(),
        )
        self.helper.add_input(Submit("submit", _("Send message")))
