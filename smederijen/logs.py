"""Logs on stdout, one JSON object a line, so a log collector reads them without a pattern.

No line carries an e-mail address: ``MaskEmailAddresses`` sits on every handler that writes a
line (settings.LOGGING, gunicorn.conf.py). A log is kept outside the database, where erasing an
account cannot reach it, so a person's address never gets there in the first place; the same
goes for the subject of a mail in django-mailer's own line, which may hold a name or a title.
"""

import json
import logging
import re
from datetime import UTC, datetime

# The attributes every LogRecord has; anything else was passed with extra={…} and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


# An address, also written into a link (%40); the part before the @ as mail programs allow it.
EMAIL_ADDRESS = re.compile(r"[\w.!#$%&*+?^`{|}~-]+(?:@|%40)(?:[\w-]+\.)+[\w-]{2,}", re.IGNORECASE)
MASK = "[e-mailadres]"
# django-mailer's own line before each mail: "sending message '<subject>' to <addresses>".
_MAILER_SENDING = re.compile(r"^sending message '.*' to ", re.DOTALL)


def mask_addresses(text: str) -> str:
    return EMAIL_ADDRESS.sub(MASK, text)


class MaskEmailAddresses(logging.Filter):
    """Replaces every e-mail address in a log line (its message, the values passed with
    ``extra``, the traceback) by ``[e-mailadres]``, and the subject in django-mailer's line
    "sending message '…' to …" by nothing. Changes the record itself, so every handler after
    this one gets it masked too. Never refuses a line."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format: logging reports it on output
            return True
        masked = mask_addresses(message)
        if record.name == "mailer.engine":
            masked = _MAILER_SENDING.sub("sending message to ", masked)
        if masked != message:
            record.msg, record.args = masked, ()
        for key, value in list(vars(record).items()):
            if key in _STANDARD or key.startswith("_") or isinstance(value, int | float | bool):
                continue
            if value is None:
                continue
            text = value if isinstance(value, str) else str(value)
            if EMAIL_ADDRESS.search(text):
                setattr(record, key, mask_addresses(text))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_addresses(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_addresses(record.stack_info)
        return True


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info or record.exc_text:
            # exc_text: the traceback as a filter left it (MaskEmailAddresses)
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
