from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from smederijen.demo import DEMO_PASSWORD, load_demo_data


class Command(BaseCommand):
    help = "Load the demo Smederijen, featured items and a login per role (idempotent)."

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
        logins = load_demo_data()
        self.stdout.write(f"Demo data is ready. Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.email:<30} {login.role}")
