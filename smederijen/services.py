"""What the site's own pages change or send."""

from django.conf import settings
from django.utils.translation import gettext as _

from . import mail


def send_contact_message(*, name: str, email: str, message: str) -> None:
    """Forward a visitor's message to the programme's mailbox, with a reply-to to the visitor."""
    mail.send(
        subject=_("Message via the website from %(name)s") % {"name": name},
        body=message,
        to=[settings.CONTACT_EMAIL],
        reply_to=[email],
    )
