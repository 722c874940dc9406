"""Admin as the gebiedsregisseurs and support staff work in it: the models grouped by task, not by
app, with Dutch names, and a start page with what needs attention in their areas."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import audit
from .forms import OneLineFieldsMixin

# (key, name, [(app label, model name), …]) in the order of the index.
TASKS = [
    (
        "ideeen",
        _("Ideas"),
        [("ideas", "idea")],
    ),
    (
        "budgetten",
        _("Budgets"),
        [("budgets", "budget"), ("budgets", "grant"), ("budgets", "fundingsource")],
    ),
    (
        "teams",
        _("Teams"),
        [
            ("smederijen", "smederij"),
            ("teams", "team"),
            ("teams", "organisation"),
            ("teams", "initiatiefgroep"),
        ],
    ),
    (
        "stuurgroep",
        _("Stuurgroep"),
        [
            ("teams", "stuurgroep"),
            ("ideas", "meeting"),
            ("ideas", "organisationposition"),
            ("ideas", "assessment"),
            ("ideas", "stuurgroepdecision"),
        ],
    ),
    (
        "inhoud",
        _("Content"),
        [
            ("smederijen", "featureditem"),
            ("smederijen", "pagetext"),
            ("ideas", "condition"),
            ("ideas", "standardtext"),
            ("smederijen", "mailtext"),
            ("smederijen", "programmesettings"),
        ],
    ),
    (
        "accounts",
        _("Accounts and privacy"),
        [
            ("teams", "user"),
            ("auth", "group"),
            ("account", "emailaddress"),
            ("mfa", "authenticator"),
            ("smederijen", "auditevent"),
            ("mailer", "message"),
            ("smederijen", "undeliverablemail"),
            ("mailer", "messagelog"),
            ("mailer", "dontsendentry"),
        ],
    ),
]


class LabelledListEditableMixin:
    """The fields a changelist lets you change in place (``list_editable``) get a label a screen
    reader reads ("Position: 2026: Er is draagvlak"): admin gives them none (WCAG 4.1.2)."""

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class Labelled(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                for field in self.fields.values():
                    label = f"{capfirst(field.label)}: {self.instance}"
                    field.widget.attrs.setdefault("aria-label", label)

        return Labelled


class HiddenRowsRefusedMixin:
    """For a ModelAdmin whose ``get_queryset`` leaves out rows the user may not see (another
    area's): such a row answers 403 on its change, history and delete pages. Admin's own answer
    for a row it does not find is a redirect saying it does not exist; that stays for rows that
    are really not there."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self._exists(object_id, from_field):
            raise PermissionDenied
        return obj

    def _exists(self, object_id, from_field) -> bool:
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            value = field.to_python(object_id)
            return self.model._default_manager.filter(**{field.name: value}).exists()
        except (ValidationError, ValueError):
            return False


def with_one_line_fields(form_class):
    """The form class with ``OneLineFieldsMixin``: its text fields refuse control characters."""
    if issubclass(form_class, OneLineFieldsMixin):
        return form_class
    return type(form_class.__name__, (OneLineFieldsMixin, form_class), {})


class OneLineFieldsAdminMixin:
    """Every form admin shows (a change page, its inlines, an editable list) refuses control
    characters in text fields, as the portal's own forms do (smederijen/forms.py)."""

    def get_form(self, request, obj=None, **kwargs):
        return with_one_line_fields(super().get_form(request, obj, **kwargs))

    def get_changelist_form(self, request, **kwargs):
        return with_one_line_fields(super().get_changelist_form(request, **kwargs))

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.form = with_one_line_fields(formset.form)  # a class made for this request
            yield formset, inline


class ParentRowsFormSet(BaseInlineFormSet):
    """An inline's rows know their parent record without asking the database (a row's title
    often names it): given to each row as its form is made (``add_fields``, Django's hook for
    every form of a formset)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if self.instance.pk is not None:
            setattr(form.instance, self.fk.name, self.instance)


class AuditedAdminMixin:
    """Every add, change and delete admin writes to its own log (``LogEntry``) is written to the
    audit trail as well (``audit.admin_logged``), through admin's own hooks for it."""

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        audit.admin_logged(entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        audit.admin_logged(entry)
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for entry in entries:
            audit.admin_logged(entry)
        return entries


class SmederijenAdminSite(admin.AdminSite):
    site_header = _("De Smederijen — beheer")
    site_title = _("De Smederijen")
    index_title = _("Management")
    index_template = "admin/smederijen_index.html"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin, ours and the libraries', gets ``OneLineFieldsAdminMixin`` and
        ``AuditedAdminMixin``: no form of admin can forget the one, no save the other."""
        admin_class = admin_class or admin.ModelAdmin
        missing = tuple(
            mixin
            for mixin in (OneLineFieldsAdminMixin, AuditedAdminMixin)
            if not issubclass(admin_class, mixin)
        )
        if missing:
            admin_class = type(
                admin_class.__name__,
                (*missing, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label:
            return app_list
        models = {
            (app["app_label"], model["object_name"].lower()): model
            for app in app_list
            for model in app["models"]
        }
        grouped = []
        for key, name, members in TASKS:
            found = [models.pop(member) for member in members if member in models]
            if found:
                grouped.append(_group(key, name, found))
        if models:  # a model no task names yet still shows, under "Other"
            grouped.append(_group("overig", _("Other"), sorted(models.values(), key=_name)))
        return grouped


def _name(model) -> str:
    return str(model["name"])


def _group(key: str, name, models: list[dict]) -> dict:
    return {
        "name": name,
        "app_label": key,
        "app_url": models[0].get("admin_url") or "",
        "has_module_perms": True,
        "models": models,
    }
