from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _


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


class ContactForm(HoneypotMixin, forms.Form):
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
