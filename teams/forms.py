from allauth.account.forms import ConfirmLoginCodeForm as AllauthConfirmLoginCodeForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django.utils.translation import gettext_lazy as _

from smederijen.forms import OneLineFieldsMixin, PortalModelForm

from . import permissions, services
from .models import User


class LoginForm(OneLineFieldsMixin, AllauthLoginForm):
    """The staff sign-in: labels, not placeholders; the 'forgot' link sits below the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""


class ConfirmLoginCodeForm(OneLineFieldsMixin, AllauthConfirmLoginCodeForm):
    """The code from the mail: six digits, with the phone's number keyboard."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.help_text = _("The six digits from the e-mail.")
        field.widget.attrs.pop("placeholder", None)
        field.widget.attrs["inputmode"] = "numeric"


class RequestLoginCodeForm(OneLineFieldsMixin, AllauthRequestLoginCodeForm):
    """Ask for a sign-in code; the first time, this makes the resident's account.

    Staff sign in with their password and app code: for a staff address no code is sent, and
    allauth mails the address that it has no account for a code (so the page does not tell
    anyone which addresses are staff).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = _("Your e-mail address")
        field.help_text = _("We send a code to this address. You do not need a password.")
        field.error_messages = {
            "required": _("Fill in your e-mail address."),
            "invalid": _("Fill in an e-mail address like name@example.nl."),
        }
        field.widget.attrs.pop("placeholder", None)
        field.widget.attrs["autocomplete"] = "email"

    def clean_email(self) -> str:
        email = super().clean_email()
        if not email:
            return email
        if self._user is None:
            user, _created = services.get_or_create_resident_account(email)
            # A switched-off account gets no code (allauth then mails that there is no account).
            self._user = user if user.is_active else None
        elif permissions.needs_second_factor(self._user):
            self._user = None
        return email


class MyDetailsForm(PortalModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]
        labels = {"first_name": _("First name"), "last_name": _("Last name")}
        help_texts = {
            "first_name": _("Staff and the members of your initiatiefgroep see your name."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.helper = FormHelper()
        self.helper.layout = Layout("first_name", "last_name")
        self.helper.add_input(Submit("submit", _("Save my name")))

    def save(self, commit=True):
        services.update_own_details(
            self.instance,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
        )
        return self.instance
