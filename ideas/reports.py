"""The figures of a year: the ideas and the money per Smederij and overall, in a fixed number of
queries.

Used by the report page and its CSV/Excel export, so the files and the page always show the same
totals. The money's totals are budgets' (``budgets.services.totals_by_area``), the same sums the
budget pages and the public transparency pages show.

The satisfaction of submitters is only ever counted together: no score is shown with an idea or a
name, and the reasons are shown as quotes without name, idea or date.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import tablib
from django.db.models import Avg, Count, F, FilteredRelation, Q, Sum
from django.utils.translation import gettext as _

from budgets.models import ZERO
from budgets.services import Totals, totals_by_area
from ideas.workflow import Status
from smederijen.models import Smederij

from .models import Idea, Kind, Notion, SatisfactionSurvey


@dataclass
class AreaRow:
    smederij: Smederij
    ideas: int = 0
    korte_klap: int = 0
    lange_klap: int = 0
    asked: Decimal = ZERO
    money: Totals = field(default_factory=Totals)
    has_budget: bool = False


# The report shows at most this many reasons (the newest).
MAX_REASONS = 50


@dataclass
class Satisfaction:
    """How satisfied the submitters of closed ideas are: totals only, never one person's answer
    with their idea."""

    asked: int = 0
    answered: int = 0
    average: Decimal | None = None  # one decimal; None without answers
    by_score: list[tuple[str, int]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def answered_percent(self) -> int | None:
        if not self.asked:
            return None
        return int(
            (Decimal(self.answered) * 100 / self.asked).quantize(Decimal("1"), ROUND_HALF_UP)
        )


@dataclass
class YearReport:
    year: int
    rows: list[AreaRow]
    total: AreaRow
    by_status: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    by_notion: list[tuple[str, int]]
    satisfaction: Satisfaction = field(default_factory=Satisfaction)


def year_report(year: int, areas=None) -> YearReport:
    """Ideas sent in ``year`` and the budgets of ``year``, per area and in total."""
    if areas is None:
        areas = report_areas(year)
    areas = sorted(areas, key=lambda area: area.name)
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
    for area_id, totals in totals_by_area(year, areas).items():
        rows[area_id].money = totals
        rows[area_id].has_budget = True
    total = AreaRow(smederij=None)
    for row in rows.values():
        total.ideas += row.ideas
        total.korte_klap += row.korte_klap
        total.lange_klap += row.lange_klap
        total.asked += row.asked
        total.money = total.money + row.money
    # Per status and per notion, in one query.
    counts = ideas.aggregate(
        **{f"status_{s}": Count("pk", filter=Q(status=s)) for s in Status.values},
        **{n: Count("pk", filter=Q(**{f"serves_{n}": True})) for n in Notion.values},
    )
    notions = counts
    counts = {s: counts[f"status_{s}"] for s in Status.values}
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
        satisfaction=satisfaction_of(year, area_ids),
    )


def report_areas(year: int) -> list:
    """The active areas, and any other that has a budget this year (its money counts too), each
    with the id of its budget of the year (``budget_pk``, None without one)."""
    return list(
        Smederij.objects.annotate(
            this_year=FilteredRelation("budgets", condition=Q(budgets__year=year)),
            budget_pk=F("this_year__pk"),
        )
        .filter(Q(is_active=True) | Q(budget_pk__isnull=False))
        .order_by("name")
    )


def satisfaction_of(year: int, area_ids) -> Satisfaction:
    """The questions asked in ``year`` about ideas of these areas, in two queries: the counts,
    and the newest reasons (their text only)."""
    Score = SatisfactionSurvey.Score
    surveys = SatisfactionSurvey.objects.filter(asked_at__year=year, idea__smederij__in=area_ids)
    answered = Q(answered_at__isnull=False)
    counts = surveys.aggregate(
        asked=Count("pk"),
        answered=Count("pk", filter=answered),
        average=Avg("score", filter=answered),
        **{f"score_{s}": Count("pk", filter=answered & Q(score=s)) for s in Score.values},
    )
    reasons = list(
        surveys.filter(answered)
        .exclude(reason="")
        .order_by("-answered_at", "-pk")
        .values_list("reason", flat=True)[:MAX_REASONS]
    )
    average = counts["average"]
    return Satisfaction(
        asked=counts["asked"],
        answered=counts["answered"],
        average=(
            None
            if average is None
            else Decimal(str(average)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        ),
        by_score=[(str(label), counts[f"score_{value}"]) for value, label in Score.choices],
        reasons=reasons,
    )


def report_dataset(report: YearReport) -> tablib.Dataset:
    """One row per Smederij and a total row: the same numbers as the report page (amounts as
    Decimal: ``smederijen.exports.file_response`` writes them as each kind of file wants)."""
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

    for row in [*report.rows, report.total]:
        data.append(
            [
                row.smederij.name if row.smederij else _("Total"),
                row.ideas,
                row.korte_klap,
                row.lange_klap,
                row.asked,
                row.money.budget,
                row.money.granted,
                row.money.spent,
                row.money.returned,
                row.money.available,
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
