"""Run every night from cron: removes personal data that is older than the retention periods
set in admin (Programme settings), and writes a history note on each idea it anonymises."""

from django.core.management.base import BaseCommand

from ideas.privacy import apply_retention


class Command(BaseCommand):
    help = "Anonymise personal data older than the retention periods set in admin."

    def handle(self, *args, **options):
        report = apply_retention()
        self.stdout.write(str(report))
