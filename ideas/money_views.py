"""The pages that show ideas with their money: the year report of ideas and budgets (and its
CSV/Excel file) for staff, and the public page of how a lange-klap plan is funded. They read the
money's sums from budgets and pick the year as budgets' own pages do."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from budgets import permissions as budget_permissions
from budgets import services as budget_services
from budgets.views import budget_years, chosen_year, sign_in_first
from ideas.workflow import FUNDING_STATUSES
from smederijen import pagecache, parts
from smederijen.exports import EXPORT_TYPES, file_response
from smederijen.models import Smederij
from smederijen.pagecache import for_this_session

from .models import Idea, Kind
from .reports import chart_rows, report_areas, report_dataset, year_report

# The year report -----------------------------------------------------------------------------


@for_this_session
def report(request):
    if response := sign_in_first(request):
        return response
    if not budget_permissions.may_see_reports(request.user):
        raise PermissionDenied
    # The years, the areas and the figures of a year are the same for everyone who may see them
    # until an idea, a budget or an area changes: read once per version of those
    # (smederijen/parts.py; a budget or an area replaces the stamp of site, an idea or its
    # satisfaction survey the stamp of the ideas, any committed change the staff pages').
    years = parts.by_version(request, "report-years", [], budget_years)
    year = chosen_year(request, years)
    areas = parts.by_version(request, f"report-areas:{year}", [], lambda: report_areas(year))
    slug = request.GET.get("gebied", "")
    area = next((a for a in areas if a.slug == slug), None) or _report_area(request)
    data = parts.by_version(
        request,
        f"year-report:{year}:{area.pk if area else ''}",
        [pagecache.EVERY_IDEA, pagecache.STAFF],
        lambda: year_report(year, areas=[area] if area else areas),
    )
    money = [(row.smederij.name, row.money.granted) for row in data.rows if row.has_budget]
    return render(
        request,
        "ideas/report.html",
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
    if response := sign_in_first(request):
        return response
    if not budget_permissions.may_see_reports(request.user):
        raise PermissionDenied
    year = chosen_year(request, budget_years())
    area = _report_area(request)
    report = year_report(year, areas=Smederij.objects.filter(pk=area.pk) if area else None)
    dataset = report_dataset(report)
    return file_response(dataset, fmt, _("smederijen-report-%(year)s") % {"year": year})


# A plan's funding ----------------------------------------------------------------------------


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
        "ideas/plan_funding.html",
        {
            "idea": idea,
            "funding": budget_services.funding_of(idea),
            "sources": idea.funding_sources.all(),
            # Whether it may start matters while the plan looks for money.
            "show_start": idea.status in FUNDING_STATUSES,
        },
    )
