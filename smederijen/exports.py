"""Files for spreadsheets, made by tablib: one Dataset gives both CSV and Excel.

CSV is written as Dutch spreadsheets read it: semicolons between columns, a decimal comma in
amounts, and a byte-order mark so that Excel sees UTF-8. Excel files keep real numbers."""

from collections.abc import Callable
from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def amount_for(fmt: str) -> Callable:
    """How an amount is written in this kind of file."""
    if fmt == "csv":
        return lambda value: "" if value is None else f"{value:.2f}".replace(".", ",")
    return lambda value: value if value is None else Decimal(value)


def file_response(dataset: tablib.Dataset, fmt: str, filename: str) -> HttpResponse:
    content_type, extension = EXPORT_TYPES[fmt]
    if fmt == "csv":
        content = "\ufeff" + dataset.export("csv", delimiter=";")
    else:
        content = dataset.export(fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


class ExportActionsMixin:
    """Two admin actions that download the selected rows as CSV or Excel; each download is a row
    of the audit trail. A ModelAdmin names them in ``actions`` and gives ``export_rows``."""

    export_filename = "export"
    export_audit_action = "export"

    def export_rows(self, queryset, amount: Callable) -> tablib.Dataset:
        raise NotImplementedError

    def _export(self, request, queryset, fmt: str) -> HttpResponse:
        from . import audit

        dataset = self.export_rows(queryset, amount_for(fmt))
        audit.record_export(request, self.export_audit_action, count=len(dataset))
        return file_response(dataset, fmt, self.export_filename)

    def export_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx")

    export_csv.short_description = _("Download the selected as CSV")
    export_csv.allowed_permissions = ("view",)
    export_xlsx.short_description = _("Download the selected as Excel")
    export_xlsx.allowed_permissions = ("view",)
