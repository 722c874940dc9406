"""Say in one line whether the configured database answers: `make test` runs this first."""

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection


class Command(BaseCommand):
    help = "Check that the database in DATABASE_URL answers."

    def handle(self, *args, **options):
        settings = connection.settings_dict
        where = f"{settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 'default port'}"
        try:
            connection.ensure_connection()
        except OperationalError as error:
            if connection.vendor == "postgresql" and "does not exist" in str(error):
                # The server answers; pytest creates its own test database anyway.
                self.stdout.write(f"PostgreSQL answers at {where}.")
                return
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
            raise CommandError(
                f"No {connection.vendor} database answers at {where} ({reason}). "
                "Start PostgreSQL (for example: pg_ctlcluster --skip-systemctl-redirect "
                "$(ls /etc/postgresql) main start) or set DATABASE_URL."
            ) from None
        self.stdout.write(f"{connection.vendor} answers at {where}.")
