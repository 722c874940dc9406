"""Every morning (deploy/smederijen.cron): the daily overview for staff when something waits for
them, reminders of open questions and of plans to assess before a meeting; each at most once."""

from django.core.management.base import BaseCommand

from ideas.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the reminders that are due today (each at most once)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(str(sent))
