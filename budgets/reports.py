"""The figures of a year: per Smederij and overall, in a fixed number of queries.

Used by the report page, its CSV/Excel export and the public transparency pages, so the files
and the pages always show the same totals.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from ideas.models import Idea, Kind, Notion, Status
from smederijen.models import Smederij

from .models import ZERO, Budget
from .services import Totals, totals_by_budget


@dataclass
class AreaRow:
    smederij: Smederij
    ideas: int = 0
    korte_klap: int = 0
    lange_klap: int = 0
    asked: Decimal = ZERO
    money: Totals = field(default_factory=Totals)
    has_budget: bool = False


@dataclass
class YearReport:
    year: int
    rows: list[AreaRow]
    total: AreaRow
    by_status: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    by_notion: list[tuple[str, int]]


def year_report(year: int, areas=None) -> YearReport:
    """Ideas sent in ``year`` and the budgets of ``year``, per area and in total."""
    if areas is None:
        # The active areas, and any other that has a budget this year (its money counts too).
        areas = Smederij.objects.filter(Q(is_active=True) | Q(budgets__year=year)).distinct()
    areas = list(areas.order_by("name"))
    area_ids = [a.pk for a in areas]
    ideas = Idea.objects.submitted().filter(year=year, smederij__in=area_ids)
    rows = {a.pk: AreaRow(smederij=a) for a in areas}
    per_area = (
        ideas.values("smederij")
        .annotate(
            n=Count("pk"),
            korte=Count("pk", filter=Q(kind=Kind.KORTE_KLAP)),
            lange=Count("pk", filter=Q(kind=Kind.LANGE_KLAP)),
            asked=Sum("amount_requested"),
        )
        .order_by()
    )
    for item in per_area:
        row = rows[item["smederij"]]
        row.ideas, row.korte_klap, row.lange_klap = item["n"], item["korte"], item["lange"]
        row.asked = item["asked"] or ZERO
    budgets = list(Budget.objects.filter(year=year, smederij__in=area_ids))
    for budget_id, totals in totals_by_budget(budgets).items():
        budget = next(b for b in budgets if b.pk == budget_id)
        rows[budget.smederij_id].money = totals
        rows[budget.smederij_id].has_budget = True
    total = AreaRow(smederij=None)
    for row in rows.values():
        total.ideas += row.ideas
        total.korte_klap += row.korte_klap
        total.lange_klap += row.lange_klap
        total.asked += row.asked
        total.money = total.money + row.money
    counts = dict(ideas.values_list("status").annotate(n=Count("pk")).order_by())
    notions = ideas.aggregate(
        **{n: Count("pk", filter=Q(**{f"serves_{n}": True})) for n in Notion.values}
    )
    return YearReport(
        year=year,
        rows=list(rows.values()),
        total=total,
        by_status=[
            (label, counts.get(value, 0))
            for value, label in Status.choices
            if value != Status.CONCEPT and counts.get(value)
        ],
        by_kind=[
            (str(Kind.KORTE_KLAP.label), total.korte_klap),
            (str(Kind.LANGE_KLAP.label), total.lange_klap),
        ],
        by_notion=[(str(Notion(n).label), notions[n]) for n in Notion.values],
    )


def report_dataset(report: YearReport, *, dutch_decimals: bool = False) -> tablib.Dataset:
    """One row per Smederij and a total row: the same numbers as the report page.

    ``dutch_decimals`` writes amounts with a decimal comma (1234,56), as Dutch spreadsheets
    read a CSV file; Excel files keep real numbers."""
    headers = [
        _("Smederij"),
        _("Ideas"),
        _("Korte klap"),
        _("Lange klap"),
        _("Asked (euro)"),
        _("Budget (euro)"),
        _("Granted (euro)"),
        _("Spent (euro)"),
        _("Returned (euro)"),
        _("Available (euro)"),
    ]
    data = tablib.Dataset(headers=headers, title=_("Report %(year)s") % {"year": report.year})

    def amount(value: Decimal):
        return f"{value:.2f}".replace(".", ",") if dutch_decimals else value

    for row in [*report.rows, report.total]:
        data.append(
            [
                row.smederij.name if row.smederij else _("Total"),
                row.ideas,
                row.korte_klap,
                row.lange_klap,
                amount(row.asked),
                amount(row.money.budget),
                amount(row.money.granted),
                amount(row.money.spent),
                amount(row.money.returned),
                amount(row.money.available),
            ]
        )
    return data


def chart_rows(pairs) -> list[dict]:
    """Bars for a chart: label, value, and the bar's length as a share of the largest value."""
    largest = max((value for _label, value in pairs), default=0) or 1
    return [
        {"label": label, "value": value, "percent": round(float(value) * 100 / float(largest), 1)}
        for label, value in pairs
    ]
