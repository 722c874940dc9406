from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ideas.demo.people import current_totp_code


class Command(BaseCommand):
    help = "Print the current app code (TOTP) of the demo staff logins, for development only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo app code is only for development (DJANGO_DEBUG=1).")
        self.stdout.write(current_totp_code())
