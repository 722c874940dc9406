"""Erasing an account: the resident's own request on "Mijn gegevens", or the office's in admin.
Afterwards no table holds the person's name, e-mail address, phone number or address."""

import json
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smederijen import audit, pagecache
from smederijen.models import AuditEvent, Smederij
from teams import permissions
from teams.models import Membership, StuurgroepMember, TeamMember, User

from ..models import InventoryRemark, Invitation, ItemRemark
from ..workflow import Status
from .anonymise import _anonymise_idea, _anonymise_support, _delete_concept, _rename_in_trail
from .export import _ideas_of, _supports_of
from .mail import _forget_mail
from .redaction import (
    _address_needles,
    _houses,
    _is_free_text,
    _needles,
    _pattern,
    _redact_row,
    _sql_regex,
)


def erasure_refusal(user: User) -> str:
    """Why this account cannot delete itself (staff and stuurgroep seats leave through the office),
    or "" when it can."""
    if (
        permissions.is_staff_member(user)
        or TeamMember.objects.filter(user=user).exists()
        or StuurgroepMember.objects.filter(user=user).exists()
        or Smederij.objects.filter(gebiedsregisseur=user).exists()
    ):
        return _(
            "You have a role in the programme. Ask the support staff of De Smederijen to end "
            "your role first; then you can delete your account."
        )
    return ""


def _end_sessions(user: User, needles: list[str]) -> None:
    """Sign the person out everywhere, and end any session that holds their address (a sign-in
    code asked for and not used keeps the address in its session)."""
    pattern = _pattern(needles)
    # Through the session engine: it removes the row and the copy in the sessions cache.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.all():  # expired ones too: they stay until the night
        data = session.get_decoded()
        text = json.dumps(data, ensure_ascii=False, default=str)
        if data.get("_auth_user_id") == str(user.pk) or (pattern and pattern.search(text)):
            store(session_key=session.session_key).delete()


# Columns that say who someone is in their own record (an account, a team member, a supporter,
# the submitter of an idea): a namesake's record is not the person's, and stays.
_OWN_COLUMNS = {
    "teams.user": None,  # the whole row
    "teams.teammember": {"name", "email", "phone"},
    "teams.stuurgroepmember": {"name"},
    "teams.team": {"email", "phone"},
    "ideas.support": {"name", "email", "street"},
    "ideas.idea": {"contact_name", "contact_email", "contact_phone", "contact_address"},
}
# The apps whose free texts are searched: the portal's own, and admin's own log.
_SEARCHED_APPS = {"admin", "smederijen", "teams", "ideas", "budgets"}


def _erase_from_every_text(needles: list[str]) -> None:
    """Take the person's name, addresses and phone number out of every free text of the portal
    and of admin's own log, whoever wrote it: a note of staff, the minutes of a meeting, a row
    of the audit trail, another resident's idea. One query a table."""
    if not needles:
        return
    regex = _sql_regex(needles)
    for model in django_apps.get_models():
        meta = model._meta
        if meta.app_label not in _SEARCHED_APPS or meta.proxy:
            continue
        own = _OWN_COLUMNS.get(meta.label_lower, set())
        if own is None:
            continue
        fields = [f for f in meta.concrete_fields if _is_free_text(f) and f.name not in own]
        if not fields:
            continue
        found = Q(*[Q(**{f"{f.name}__iregex": regex}) for f in fields], _connector=Q.OR)
        for row in model._base_manager.filter(found):
            _redact_row(row, needles, fields)


@transaction.atomic
def erase_account(*, user: User, by: User | None = None) -> None:
    """Delete an account and the personal data that hangs on it (the resident's own request,
    ``by`` is None, or the office's). Sent ideas stay as anonymous contributions with their
    history and money; concepts, unconfirmed supports and memberships go. Afterwards no table
    holds the person's name, e-mail address, phone number or address: not the audit trail or
    admin's log (records are named by number), not the mail queue and log, not a session or a
    kept page."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    refusal = erasure_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    # Kept pages may show the person's data (smederijen/pagecache.py): none may stay behind.
    transaction.on_commit(pagecache.forget_all)
    now = timezone.now()
    ideas = list(_ideas_of(locked).select_for_update())
    addresses = (
        {locked.email.lower()}
        | {e.email.lower() for e in EmailAddress.objects.filter(user=locked)}
        | {i.contact_email.lower() for i in ideas if i.contact_email}
    )
    supports = list(_supports_of(addresses))
    names = [locked.get_full_name(), *[i.contact_name for i in ideas], *[s.name for s in supports]]
    places = _address_needles(
        *[i.contact_address for i in ideas], *[s.street for s in supports if s.street]
    )
    phones = _needles(*[i.contact_phone for i in ideas])
    needles = _needles(*names, *addresses, *phones, *places)
    # Out of every other text too: what names her alone. A first name ("Zwaantje") or a
    # postcode is taken out of her own records only; elsewhere it may be someone else's.
    everywhere = _needles(
        *[n for n in names if len(n.split()) > 1], *addresses, *phones, *_houses(places)
    )
    with translation.override(settings.LANGUAGE_CODE):
        note = _("The account was deleted at the request of the person who sent it in.")
    for idea in ideas:
        if idea.status == Status.CONCEPT:
            _delete_concept(idea)
        else:
            _anonymise_idea(idea, needles=needles, now=now, note=note)
    remarks = list(InventoryRemark.objects.filter(author=locked))
    memberships = list(Membership.objects.filter(user=locked))
    _rename_in_trail(
        [
            locked,
            *supports,
            *remarks,
            *memberships,
            *Invitation.objects.filter(user=locked),
            *ItemRemark.objects.filter(author=locked),
            *EmailAddress.objects.filter(user=locked),
            *Authenticator.objects.filter(user=locked),
        ]
    )
    for support in supports:
        if support.confirmed_at is None:
            support.delete()
        else:
            _anonymise_support(support, now)
    for remark in remarks:
        _redact_row(remark, needles)
    Membership.objects.filter(user=locked).delete()
    _forget_mail(addresses, needles)
    _end_sessions(locked, [*addresses])
    _erase_from_every_text(everywhere)
    audit.record(
        actor=by,
        action="privacy.erase_account",
        obj=locked,
        kind=AuditEvent.Kind.PRIVACY,
        source=AuditEvent.Source.PORTAL,
        detail=_("%(ideas)s ideas anonymised") % {"ideas": len(ideas)},
    )
    locked.delete()
