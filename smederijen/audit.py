"""The audit trail: who changed what and when, and who opened or exported personal data.

Three doors write to it, one row per thing a person did:

- ``@audited("…")`` on a service: a staff member's step (a transition, a grant, a note). Services
  call each other (a grant moves the idea too); only the outermost call writes its row, in the
  same transaction as the change.
- Django admin: every add, change and delete admin logs (``LogEntry``) is written here too. When
  the admin form called a service that already wrote a row for the same record in this request,
  the admin's change message is added to that row instead of writing a second one.
- ``record_view`` and ``record_export``: a page or file that shows a resident's personal data.

Rows never hold personal data themselves: an account is named by its number, a support by its
idea, and a change lists the fields that changed, not their values.
"""

import functools
import inspect
from contextvars import ContextVar

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Smederij
from .permissions import is_staff_member

# Nesting depth of audited services in this thread, so only the outermost writes a row.
_depth: ContextVar[int] = ContextVar("audit_depth", default=0)
# Rows written in the current request, by record key; None outside a request.
_request_rows: ContextVar[dict | None] = ContextVar("audit_request_rows", default=None)

# What each action code means, for the trail in admin.
ACTION_LABELS = {
    "admin.add": _("added in admin"),
    "admin.change": _("changed in admin"),
    "admin.delete": _("deleted in admin"),
    "contact_details": _("opened the contact details of the submitter"),
    "account": _("opened an account"),
    "personal_data": _("opened personal data"),
    "privacy.own_data_download": _("downloaded their own data"),
    "privacy.erase_account": _("account deleted with its personal data"),
    "privacy.retention": _("personal data removed after the retention period"),
    "export.ideas": _("exported ideas"),
    "export.decisions": _("exported decisions"),
    "export.budgets": _("exported budgets"),
    "ideas.transition": _("changed the status of an idea"),
    "ideas.take_up": _("took up an idea"),
    "ideas.assign": _("chose who handles an idea"),
    "ideas.ask_question": _("asked the submitter a question"),
    "ideas.approve": _("approved an idea"),
    "ideas.grant": _("granted money to an idea"),
    "ideas.reject": _("rejected an idea"),
    "ideas.send_to_stuurgroep": _("sent a plan to the stuurgroep"),
    "ideas.start_execution": _("started the execution"),
    "ideas.mark_realised": _("marked an idea realised"),
    "ideas.add_review_note": _("wrote an internal note"),
    "ideas.check_condition": _("checked a condition"),
    "ideas.copy_conditions": _("copied voorwaarden to the next year"),
    "ideas.return_accounting": _("sent the verantwoording back"),
    "ideas.sign_off_accounting": _("signed off the verantwoording"),
    "ideas.add_milestone": _("added a milestone"),
    "ideas.complete_milestone": _("completed a milestone"),
    "ideas.set_published": _("published or unpublished an idea"),
    "ideas.reclassify": _("changed the kind of an idea"),
    "ideas.add_paper_list": _("added a paper support list"),
    "budgets.open": _("opened a budget"),
    "budgets.top_up": _("topped up a budget"),
    "budgets.correct": _("corrected a budget"),
    "budgets.close": _("closed a budget"),
    "budgets.grant": _("booked a grant"),
    "budgets.lower_grant": _("lowered a grant"),
    "budgets.withdraw_grant": _("withdrew a grant"),
    "budgets.record_payment": _("recorded a payment"),
    "budgets.settle_grant": _("settled a grant"),
    "budgets.save_funding_source": _("saved a funding source"),
    "stuurgroep.record_position": _("recorded an organisation's position"),
    "stuurgroep.plan_meeting": _("planned a meeting"),
    "stuurgroep.record_attendance": _("recorded who was present"),
    "stuurgroep.assess": _("assessed a plan"),
    "stuurgroep.decide": _("recorded a decision of the stuurgroep"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def _is_staff(user) -> bool:
    return user is not None and is_staff_member(user)


def describe(obj) -> str:
    """A record's name in the trail: never an e-mail address or a name of a resident."""
    from django.contrib.auth import get_user_model

    if isinstance(obj, get_user_model()):
        return f"account {obj.pk}"
    return str(obj)[:200]


def rename_records(names: dict) -> None:
    """Give records another name in the trail and in admin's own log: ``names`` maps a record
    (``(content type id, object id)``) to its new name. Both keep the name a record had when
    it was written; after an erasure or a retention period the old name may name a person
    (an idea's title, a remark's first words)."""
    by_type: dict[int, dict[str, str]] = {}
    for (content_type_id, object_id), name in names.items():
        by_type.setdefault(content_type_id, {})[str(object_id)] = name[:200]
    for content_type_id, objects in by_type.items():
        new_name = models.Case(
            *[models.When(object_id=pk, then=models.Value(name)) for pk, name in objects.items()],
            output_field=models.CharField(),
        )
        for model in (AuditEvent, LogEntry):
            model.objects.filter(content_type_id=content_type_id, object_id__in=objects).update(
                object_repr=new_name
            )


def area_of(obj) -> int | None:
    """The id of the Smederij a record belongs to, so a gebiedsregisseur reads the rows of his
    areas. Read from the ids the record already holds where it can (no query)."""
    if isinstance(obj, Smederij):
        return obj.pk
    for path in (
        "smederij_id",
        "idea.smederij_id",
        "budget.smederij_id",
        "grant.budget.smederij_id",
    ):
        value = obj
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            return value
    return None


def record(
    *,
    actor,
    action: str,
    obj=None,
    kind: str = AuditEvent.Kind.CHANGE,
    source: str = AuditEvent.Source.PORTAL,
    detail: str = "",
    smederij: Smederij | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        kind=kind,
        source=source,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=describe(obj) if obj is not None else "",
        smederij_id=smederij.pk if smederij else (area_of(obj) if obj is not None else None),
        detail=detail,
    )
    _insert(event)
    rows = _request_rows.get()
    if rows is not None and obj is not None:
        rows[(event.content_type_id, event.object_id)] = event
    return event


@functools.cache
def _insert_statement(alias: str) -> tuple[tuple, str]:
    """The fields of a row of the trail and its INSERT, built once per worker."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = tuple(field for field in AuditEvent._meta.concrete_fields if not field.primary_key)
    columns = ", ".join(quote(field.column) for field in fields)
    places = ", ".join(["%s"] * len(fields))
    key = quote(AuditEvent._meta.pk.column)
    table = quote(AuditEvent._meta.db_table)
    return fields, f"INSERT INTO {table} ({columns}) VALUES ({places}) RETURNING {key}"  # noqa: S608


def _insert(event: AuditEvent) -> None:
    """``event.save()`` as one INSERT built once per worker: the ORM's save took 0.45 of the
    1.06 ms the review page spent on its row. It sends no signal: nothing listens for a row of
    the trail (smederijen/pagecache.py passes them by). In the current transaction, if any."""
    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    if not connection.features.can_return_columns_from_insert:  # an old SQLite
        event.save(using=alias)
        return
    fields, sql = _insert_statement(alias)
    values = [field.get_db_prep_save(field.pre_save(event, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        event.pk = cursor.fetchone()[0]
    event._state.adding, event._state.db = False, alias


def record_view(request, obj, what: str) -> AuditEvent:
    """``what``: which personal data the page showed (for example "contact details")."""
    source = AuditEvent.Source.ADMIN if request.path.startswith("/beheer/") else None
    return record(
        actor=request.user,
        action=what,
        obj=obj,
        kind=AuditEvent.Kind.VIEW,
        source=source or AuditEvent.Source.PORTAL,
    )


def record_export(request, what: str, *, obj=None, count: int | None = None) -> AuditEvent:
    source = AuditEvent.Source.ADMIN if request.path.startswith("/beheer/") else None
    return record(
        actor=request.user,
        action=what,
        obj=obj,
        kind=AuditEvent.Kind.EXPORT,
        source=source or AuditEvent.Source.PORTAL,
        detail="" if count is None else f"{count} rows",
    )


def audited(action: str, *, target: str | None, detail: tuple[str, ...] = ()):
    """Write one row of the trail when a staff member's call of this service succeeds.

    Everything is named, nothing guessed: the service takes ``actor=`` as a keyword; ``target``
    names the parameter that holds the record the step is about (``None``: the record the service
    returns); ``detail`` names the parameters whose values say what the step did (an amount, a
    status; never a text a person typed). A service without ``actor`` or with a name that is not
    one of its parameters fails when it is defined."""

    def decorate(function):
        signature = inspect.signature(function)
        parameters = signature.parameters
        actor_parameter = parameters.get("actor")
        if actor_parameter is None or actor_parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            raise TypeError(f"{function.__qualname__} must take actor= as a keyword to be audited")
        unknown = [name for name in (target, *detail) if name and name not in parameters]
        if unknown:
            raise TypeError(f"{function.__qualname__} has no parameter {', '.join(unknown)}")

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            arguments = signature.bind(*args, **kwargs).arguments
            token = _depth.set(_depth.get() + 1)
            try:
                with transaction.atomic():
                    result = function(*args, **kwargs)
                    actor = arguments["actor"]
                    if _depth.get() == 1 and _is_staff(actor):
                        obj = arguments.get(target) if target else result
                        event = record(
                            actor=actor,
                            action=action,
                            obj=obj if isinstance(obj, models.Model) else None,
                            detail=", ".join(
                                str(arguments[name]) for name in detail if name in arguments
                            ),
                        )
                        _also_for(event, result)
                    return result
            finally:
                _depth.reset(token)

        return wrapper

    return decorate


def _also_for(event: AuditEvent, result) -> None:
    """A service about one record that saved another (a funding source of an idea): admin logs
    the saved one, and that is the same step, so the row stands for it too (one row per save)."""
    rows = _request_rows.get()
    if rows is not None and isinstance(result, models.Model) and result.pk is not None:
        key = (ContentType.objects.get_for_model(result).pk, str(result.pk))
        rows.setdefault(key, event)


def admin_logged(log_entry) -> None:
    """Mirror one of admin's own log rows (add, change, delete) into the trail."""
    rows = _request_rows.get()
    key = (log_entry.content_type_id, str(log_entry.object_id))
    message = log_entry.get_change_message() or log_entry.get_action_flag_display()
    earlier = rows.get(key) if rows is not None else None
    if earlier is not None and earlier.actor_id == log_entry.user_id:
        # The admin form called a service, which wrote the row already: one row for one save.
        earlier.source = AuditEvent.Source.ADMIN
        earlier.detail = "; ".join(part for part in (earlier.detail, message) if part)
        earlier.save(update_fields=["source", "detail"])
        return
    try:
        obj = log_entry.get_edited_object()  # a deleted record is logged just before it goes
    except Exception:  # noqa: BLE001 - a record of a model that no longer exists
        obj = None
    from django.contrib.auth import get_user_model

    user_type = ContentType.objects.get_for_model(get_user_model())
    object_repr = (
        f"account {log_entry.object_id}"
        if log_entry.content_type_id == user_type.pk
        else log_entry.object_repr
    )
    event = AuditEvent.objects.create(
        actor_id=log_entry.user_id,
        action={1: "admin.add", 2: "admin.change", 3: "admin.delete"}.get(
            log_entry.action_flag, "admin"
        ),
        kind=AuditEvent.Kind.CHANGE,
        source=AuditEvent.Source.ADMIN,
        content_type_id=log_entry.content_type_id,
        object_id=str(log_entry.object_id or ""),
        object_repr=object_repr[:200],
        smederij_id=area_of(obj) if obj is not None else None,
        detail=message,
    )
    if rows is not None:
        rows[key] = event


class AuditRequestMiddleware:
    """Keeps the rows written during one request, so an admin save that called a service and
    then logs its own change leaves one row, not two."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_rows.set({})
        try:
            return self.get_response(request)
        finally:
            _request_rows.reset(token)


class PersonalDataAdminMixin:
    """For a ModelAdmin whose change page shows a resident's personal data: opening it is
    written in the trail (once per page view, not again when the form is saved)."""

    personal_data = "personal_data"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET":
            record_view(request, obj, self.personal_data)
        return super().render_change_form(request, context, add, change, form_url, obj)
