"""How django-allauth fits the portal: no sign-up page, accounts come with the first code."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "You tried to sign in too often. For your safety, wait 15 minutes and try again."
        ),
        "rate_limited": _(
            "You tried too often. For your safety, wait a few minutes and try again."
        ),
    }

    def is_open_for_signup(self, request) -> bool:
        # Residents get an account the first time they ask for a sign-in code
        # (teams.forms.RequestLoginCodeForm); staff accounts are made in admin.
        return False
