"""Staff may not work without the second factor.

A staff member who signs in with a password but has not yet set up an authenticator app can
only reach the pages that set it up (and sign out). With an app set up, allauth asks for its
code at every sign-in, before the session counts as signed in.
"""

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

from . import permissions

ALLOWED_PREFIXES = ("/static/", "/taal/", "/favicon.ico")
ALLOWED_NAMES = ("mfa_activate_totp", "account_logout", "account_reauthenticate")


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and permissions.needs_second_factor(user):
            if not Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists() and not self._allowed(request.path):
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        if path.startswith(ALLOWED_PREFIXES):
            return True
        return any(path == reverse(name) for name in ALLOWED_NAMES)
