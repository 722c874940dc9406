"""Admin that saves through the services: a service's "no" is shown next to the field it is
about, after admin's transaction is rolled back; rows that only the services write are shown
read-only. Used by ``budget_admin`` and ``grant_admin``."""

from contextlib import contextmanager
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from smederijen.admin_site import ParentRowsFormSet
from smederijen.fields import EuroField
from smederijen.templatetags.money import format_euro

CENT = Decimal("0.01")


# Saving through the services ----------------------------------------------------------------


class Refused(Exception):
    """A service refused while admin was saving: the message, and the field it belongs to."""

    def __init__(self, field: str | None, error: ValidationError):
        super().__init__(error)
        self.field = field
        self.error = error


@contextmanager
def shown_next_to(field: str):
    """Turn a service's "no" into a form error: next to ``field``, or at the top when it is
    about who may do it."""
    try:
        yield
    except PermissionDenied as error:
        message = str(error) or _("You may not do this for this area.")
        raise Refused(None, ValidationError(message)) from error
    except ValidationError as error:
        raise Refused(field, error) from error


class ServiceForm(forms.ModelForm):
    """A form whose changes a service makes. Set per request by ``ThroughServicesAdmin``: who
    saves, and the refusal of a first try (shown as this form's error)."""

    actor = None
    refusal: Refused | None = None

    def clean(self):
        data = super().clean()
        if self.refusal is not None:
            self.add_error(self.refusal.field, self.refusal.error)
        else:
            self.check(data)
        return data

    def check(self, data: dict) -> None:
        """The checks that need no write, before the service is asked (add errors here)."""


class ThroughServicesAdmin(admin.ModelAdmin):
    """Admin whose ``save_model`` calls a service inside ``shown_next_to``."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        form.refusal = getattr(request, "_budgets_refusal", None)
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refusal:
            # Admin's transaction around the save is rolled back: nothing of it was kept. Show
            # the page again with what was typed; the form now carries the service's message.
            request._budgets_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        # Money is never deleted: a mistake is set right by a new line.
        return False


def _reason_field(label=None, **kwargs):
    return forms.CharField(
        label=label or _("reason"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        **kwargs,
    )


def _filled(value) -> bool:
    return bool((value or "").strip())


class SignedEuroField(EuroField):
    """An amount that may be negative: -500, -1.250,50 or € -75 (the sign is read apart, so
    "-1.500" is minus fifteen hundred, as it is without the sign)."""

    def to_python(self, value):
        if isinstance(value, str):
            text = value.replace("€", "").replace("\u00a0", " ").replace("\u2212", "-").strip()
            if text[:1] in ("-", "+"):
                amount = super().to_python(text[1:])
                return -amount if text[0] == "-" and amount is not None else amount
        return super().to_python(value)


# Read-only rows ------------------------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    """Rows written by the services only: shown, never added, changed or deleted here."""

    formset = ParentRowsFormSet
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _euro_column(field: str, description):
    @admin.display(description=description, ordering=field)
    def column(self, obj):
        return format_euro(getattr(obj, field))

    return column
