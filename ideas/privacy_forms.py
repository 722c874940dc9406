"""The last step before a resident deletes their own account (ideas/privacy_views.py)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from smederijen.forms import PortalForm


class DeleteAccountForm(PortalForm):
    """The last step before an account is deleted: the person confirms they understand."""

    understood = forms.BooleanField(
        label=_("I understand that my account and my personal data will be deleted"),
        error_messages={
            "required": _("Tick the box to confirm that you want to delete your account."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("understood")
        self.helper.add_input(Submit("submit", _("Delete my account")))
