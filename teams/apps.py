from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Teams")

    def ready(self):
        from allauth.mfa.signals import authenticator_removed
        from django.contrib.auth.signals import user_logged_in

        from .middleware import forget_second_factor, note_second_factor

        # Whether a staff member has an app is looked up at sign-in and kept in the session.
        user_logged_in.connect(note_second_factor, dispatch_uid="teams-second-factor-in")
        authenticator_removed.connect(forget_second_factor, dispatch_uid="teams-second-factor")
