"""The mail sender service (deploy/smederijen-mailer.service): sends each queued mail at once and
tries what waits again every SMEDERIJEN_MAIL_RETRY_SECONDS, without cron (smederijen/mail.py)."""

from django.core.management.base import BaseCommand

from smederijen.mail import MailSender


class Command(BaseCommand):
    help = "Send queued mail as soon as it is queued; retry mail that waits; never stop on one."

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-seconds",
            type=float,
            default=None,
            help="Seconds between tries of waiting mail (default: SMEDERIJEN_MAIL_RETRY_SECONDS).",
        )

    def handle(self, *args, **options):
        MailSender(retry_seconds=options["retry_seconds"]).run()
