"""A person's data under the AVG: what the portal holds about them (inzage), erasing an account,
and the retention periods that anonymise old personal data by themselves.

Personal data of a resident lives in: the account (name, e-mail address, allauth's addresses and
sessions), the ideas they sent (contact details, and whatever they or staff wrote in the idea's
texts), supports (name, e-mail, street), memberships of initiatiefgroepen, remarks in an
inventory, and the mail the portal sent them (django-mailer's queue and log). Erasure and
retention remove it there; ideas, their history and all money stay, as anonymous contributions.

It reaches into every app (accounts, ideas, the mail queue, the audit trail), so it sits here, on
top of them, one module per subject:

- ``export``: the download of "Mijn gegevens" (``personal_data_of``, ``personal_data_zip``);
- ``erasure``: deleting an account (``erasure_refusal``, ``erase_account``);
- ``retention``: the nightly removal after the periods set in admin (``apply_retention``);
- ``anonymise``: what erasure and retention both do to an idea, a support and the audit trail;
- ``redaction``: taking a name, address or phone number out of free text;
- ``mail``: the mail the portal sent to or about the person.

Callers use ``from ideas import privacy`` and ``privacy.erase_account(…)``.
"""

from .erasure import erase_account, erasure_refusal
from .export import personal_data_of, personal_data_zip
from .redaction import REDACTED
from .retention import RetentionReport, apply_retention, closed_at, months_before

__all__ = [
    "erase_account",
    "erasure_refusal",
    "personal_data_of",
    "personal_data_zip",
    "REDACTED",
    "RetentionReport",
    "apply_retention",
    "closed_at",
    "months_before",
]
