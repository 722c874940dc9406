"""How django-allauth fits the portal: no sign-up page, accounts come with the first code."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _

from smederijen.clientip import client_ip
from smederijen.mail import header_text

from . import permissions


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

    def get_login_redirect_url(self, request) -> str:
        # Staff start at Mijn werk (what waits for them); residents at Mijn gegevens. An address
        # the visitor came from (``next``) still comes first: allauth asks this only without one.
        if permissions.is_staff_member(request.user):
            return resolve_url(settings.STAFF_LOGIN_REDIRECT_URL)
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request) -> str:
        # The visitor's own address behind the trusted proxy: sign-in throttling, lock-outs and
        # every rate limit of the portal key on it (allauth.core.ratelimit asks the adapter).
        return client_ip(request)

    def format_email_subject(self, subject: str) -> str:
        # Sign-in mails go through the same header rule as the portal's own mails.
        return header_text(super().format_email_subject(subject))
