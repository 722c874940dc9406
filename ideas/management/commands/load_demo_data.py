import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ideas.demo import load_demo_data
from ideas.demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Load the demo Smederijen, teams, groups, stuurgroep and a login per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo logins even with DJANGO_DEBUG off (never on a real site).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Demo data has known passwords: it only loads with DJANGO_DEBUG=1 "
                "(or --allow-production)."
            )
        logging.getLogger("smederijen.events").setLevel(logging.WARNING)  # quiet while loading
        logins = load_demo_data()
        write = self.stdout.write
        write("Demo data is ready. Sign in at http://127.0.0.1:8000/account/login/")
        write("")
        write("Residents sign in with a code sent by e-mail (no password). In development the")
        write("e-mail with the code is printed in this terminal, under the server's log lines:")
        for login in logins:
            if not login.staff:
                write(f"  {login.email:<32} {login.role}")
        write("")
        write(f"Staff sign in with the password {DEMO_PASSWORD} and a code from an")
        write(f"authenticator app. Add this key to the app: {DEMO_TOTP_SECRET}")
        write("(or print the current code with: .venv/bin/python manage.py demo_totp_code)")
        for login in logins:
            if login.staff:
                write(f"  {login.email:<32} {login.role}")
