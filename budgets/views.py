from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ideas.models import Idea, Kind
from ideas.workflow import Status
from smederijen.exports import EXPORT_TYPES, file_response
from smederijen.models import Smederij
from smederijen.pagecache import for_this_session, for_visitors

from . import permissions
from .models import ZERO, Budget, BudgetEntry, Grant, Payment
from .reports import chart_rows, report_areas, report_dataset, year_report
from .services import Totals, budget_totals, funding_of, totals_by_budget


def _year(request, available_years) -> int:
    current = timezone.localdate().year
    try:
        year = int(request.GET.get("jaar", current))
    except ValueError:
        year = current
    if available_years and year not in available_years:
        year = current if current in available_years else available_years[0]
    return year


def _years():
    return sorted(set(Budget.objects.values_list("year", flat=True)), reverse=True)


def _staff_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


# Staff pages ---------------------------------------------------------------------------------


def budget_list(request):
    """The budgets of the areas this member of staff works for, with their totals."""
    if response := _staff_only(request):
        return response
    if not permissions.may_see_reports(request.user):
        raise PermissionDenied
    years = _years()
    year = _year(request, years)
    budgets = list(
        Budget.objects.filter(year=year, smederij__in=permissions.budget_areas(request.user))
        .select_related("smederij")
        .order_by("smederij__name")
    )
    totals = totals_by_budget(budgets)
    rows = [{"budget": b, "totals": totals[b.pk]} for b in budgets]
    overall = sum((r["totals"] for r in rows), start=Totals())
    return render(
        request,
        "budgets/budget_list.html",
        {"rows": rows, "overall": overall, "year": year, "years": years},
    )


def budget_detail(request, slug, year):
    if response := _staff_only(request):
        return response
    budget = get_object_or_404(
        Budget.objects.select_related("smederij"), smederij__slug=slug, year=year
    )
    if not permissions.may_see_budget(request.user, budget.smederij):
        raise PermissionDenied
    grants = list(
        budget.grants.select_related("idea").prefetch_related(
            Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "pk"))
        )
    )
    entries = list(BudgetEntry.objects.filter(budget=budget).select_related("actor", "grant__idea"))
    return render(
        request,
        "budgets/budget_detail.html",
        {
            "budget": budget,
            "totals": budget_totals(budget),
            "grants": grants,
            "entries": entries,
        },
    )


@for_this_session
def report(request):
    if response := _staff_only(request):
        return response
    if not permissions.may_see_reports(request.user):
        raise PermissionDenied
    years = _years()
    year = _year(request, years)
    areas = report_areas(year)
    slug = request.GET.get("gebied", "")
    area = next((a for a in areas if a.slug == slug), None) or _report_area(request)
    data = year_report(year, areas=[area] if area else areas)
    money = [(row.smederij.name, row.money.granted) for row in data.rows if row.has_budget]
    return render(
        request,
        "budgets/report.html",
        {
            "report": data,
            "year": year,
            "years": years,
            "area": area,
            "areas": [a for a in areas if a.is_active],
            "query": urlencode({"jaar": year, **({"gebied": area.slug} if area else {})}),
            "status_chart": chart_rows(data.by_status),
            "kind_chart": chart_rows(data.by_kind),
            "notion_chart": chart_rows(data.by_notion),
            "granted_chart": chart_rows(money),
            "satisfaction_chart": chart_rows(data.satisfaction.by_score),
        },
    )


def _report_area(request):
    """The report of one Smederij (``?gebied=krakeel``), or of all of them."""
    slug = request.GET.get("gebied", "")
    return Smederij.objects.filter(slug=slug).first() if slug else None


def report_export(request, fmt):
    """The report as a CSV or Excel file (``file_response`` writes it): the numbers of the page."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    if response := _staff_only(request):
        return response
    if not permissions.may_see_reports(request.user):
        raise PermissionDenied
    year = _year(request, _years())
    area = _report_area(request)
    report = year_report(year, areas=Smederij.objects.filter(pk=area.pk) if area else None)
    dataset = report_dataset(report)
    return file_response(dataset, fmt, _("smederijen-report-%(year)s") % {"year": year})


# Public transparency -------------------------------------------------------------------------


@for_visitors
def transparency(request):
    """Where the money goes: every area's budget of a year, and how much went to ideas."""
    years = _years()
    year = _year(request, years)
    budgets = list(
        Budget.objects.filter(year=year, smederij__is_active=True)
        .select_related("smederij")
        .order_by("smederij__name")
    )
    totals = totals_by_budget(budgets)
    rows = [{"budget": b, "totals": totals[b.pk]} for b in budgets]
    overall = sum((r["totals"] for r in rows), start=Totals())
    return render(
        request,
        "budgets/transparency.html",
        {"rows": rows, "overall": overall, "year": year, "years": years},
    )


def transparency_detail(request, slug, year):
    smederij = get_object_or_404(Smederij.objects.active(), slug=slug)
    budget = get_object_or_404(Budget, smederij=smederij, year=year)
    grants = list(
        Grant.objects.filter(budget=budget)
        .exclude(state=Grant.State.WITHDRAWN)
        .select_related("idea")
        .order_by("-amount", "pk")
    )
    public = [g for g in grants if g.idea.is_published]
    hidden = [g for g in grants if not g.idea.is_published]
    return render(
        request,
        "budgets/transparency_detail.html",
        {
            "smederij": smederij,
            "budget": budget,
            "totals": budget_totals(budget),
            "public_grants": public,
            "hidden_count": len(hidden),
            "hidden_total": sum((g.amount for g in hidden), start=ZERO),
            "years": sorted(
                set(Budget.objects.filter(smederij=smederij).values_list("year", flat=True)),
                reverse=True,
            ),
        },
    )


def plan_funding(request, reference):
    """A lange-klap plan's funding, for the public idea page's readers and staff alike."""
    idea = get_object_or_404(
        Idea.objects.published()
        .filter(kind=Kind.LANGE_KLAP)
        .prefetch_related("budget_lines", "funding_sources"),
        reference=reference,
    )
    return render(
        request,
        "budgets/plan_funding.html",
        {
            "idea": idea,
            "funding": funding_of(idea),
            "sources": idea.funding_sources.all(),
            # Whether it may start matters while the plan looks for money.
            "show_start": idea.status in (Status.BIJ_STUURGROEP, Status.FINANCIERING),
        },
    )
