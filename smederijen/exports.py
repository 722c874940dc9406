"""Files for spreadsheets: the rows of a tablib Dataset written as CSV or as Excel.

The rows hold typed values: text (str), whole numbers (int), amounts in euro (Decimal), dates
(date) and None for nothing. Only ``file_response`` writes them, so every export gets the same
care, and a new one cannot forget it:

- Text is never a formula. A spreadsheet reads a cell that starts with =, +, -, @, a tab or a CR
  as a formula (``=HYPERLINK(...)`` in an idea's title would be a live link in the office's
  Excel). Such text gets a leading apostrophe, as OWASP advises for CSV injection, in both files;
  in Excel, text is moreover always written as a string cell, never as a formula.
- Numbers and dates are ours, not typed by people: they are never changed. A negative amount
  stays a number (-12,50 in CSV), not text with an apostrophe.
- CSV is written as Dutch spreadsheets read it: semicolons between columns, a decimal comma in
  amounts, dates as 2026-03-31, and a byte-order mark so that Excel sees UTF-8. Excel files
  keep real numbers and real dates: amounts in the € format, dates as day-month-year.
"""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import audit

EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters that no XML file (so no Excel file) can hold; tab, LF and CR can.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
NUMBERS = (int, float, Decimal)
# How Excel shows the typed cells; a Dutch Excel writes them "€ 1.234,50" and "31-03-2026".
EURO_FORMAT = '"€" #,##0.00;-"€" #,##0.00'
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"


def safe_cell(value):
    """``value`` as a spreadsheet cell that runs nothing: numbers, dates and None as they are,
    anything else as text, with an apostrophe before text a spreadsheet would read as a formula."""
    if value is None or isinstance(value, (*NUMBERS, date)):
        return value
    text = CONTROL_CHARACTERS.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_text(value) -> str:
    value = safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _rows(dataset: tablib.Dataset) -> list:
    return [dataset.headers, *dataset] if dataset.headers else list(dataset)


def _csv(dataset: tablib.Dataset) -> str:
    stream = io.StringIO()
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=";")
    for row in _rows(dataset):
        writer.writerow([_csv_text(value) for value in row])
    return stream.getvalue()


def _xlsx(dataset: tablib.Dataset) -> bytes:
    """One sheet: the headers in bold and kept in view, each column as wide as its text."""
    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\\*?:/\[\]]", "-", str(dataset.title or "Export"))[:31]
    widths: dict[int, int] = {}
    for row_number, row in enumerate(_rows(dataset), start=1):
        for column, value in enumerate(row, start=1):
            value = safe_cell(value)
            if isinstance(value, datetime) and timezone.is_aware(value):
                value = timezone.make_naive(value)  # Excel knows no time zones: local time
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula or an error value
            elif isinstance(value, Decimal):
                cell.number_format = EURO_FORMAT
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            widths[column] = max(widths.get(column, 0), len(str(value or "")))
    if dataset.headers:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width + 2
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def file_response(dataset: tablib.Dataset, fmt: str, filename: str) -> HttpResponse:
    """``dataset`` as a CSV or Excel file to download: the one place that writes export files."""
    content_type, extension = EXPORT_TYPES[fmt]
    content = _csv(dataset) if fmt == "csv" else _xlsx(dataset)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


class ExportActionsMixin:
    """Two admin actions that download the selected rows as CSV or Excel; each download is a row
    of the audit trail. A ModelAdmin names them in ``actions`` and gives ``export_rows``."""

    export_filename = "export"
    export_audit_action = "export"

    def export_rows(self, queryset) -> tablib.Dataset:
        """The rows of the file, with typed values (see the top of this module)."""
        raise NotImplementedError

    def _export(self, request, queryset, fmt: str) -> HttpResponse:
        dataset = self.export_rows(queryset)
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
