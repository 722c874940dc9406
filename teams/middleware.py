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
SESSION_KEY = "smederijen_second_factor_of"  # the user whose app was found in this session
ALLOWED_NAMES = ("mfa_activate_totp", "account_logout", "account_reauthenticate")


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.session.get(SESSION_KEY) != user.pk  # an app was found this session
            and permissions.needs_second_factor(user)
            and not self._has_app(request, user)
            and not self._allowed(request.path)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _has_app(request, user) -> bool:
        """Asked once per session: once set up, allauth asks the app's code at every sign-in."""
        if request.session.get(SESSION_KEY) == user.pk:
            return True
        found = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        if found:
            request.session[SESSION_KEY] = user.pk
        return found

    @staticmethod
    def _allowed(path: str) -> bool:
        if path.startswith(ALLOWED_PREFIXES):
            return True
        return any(path == reverse(name) for name in ALLOWED_NAMES)


def forget_second_factor(sender, request=None, **kwargs) -> None:
    """The app was removed in this session: ask again at the next page."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)


def note_second_factor(sender, request=None, user=None, **kwargs) -> None:
    """At sign-in: so the pages after it need not look the app up."""
    if request is not None and hasattr(request, "session") and user is not None:
        if permissions.needs_second_factor(user):
            StaffSecondFactorMiddleware._has_app(request, user)
