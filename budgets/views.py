"""The money's own pages: the budgets for staff (with their grants and ledger) and the public
transparency pages. The pages that show ideas with their money (the year report, a plan's
funding) are ideas' (``ideas/money_views.py``); they pick the year as these pages do."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from smederijen import parts
from smederijen.models import Smederij
from smederijen.pagecache import EVERY_IDEA, for_visitors

from . import permissions, services
from .forms import OpenYearForm
from .models import ZERO, Budget, BudgetEntry, Grant, Payment
from .services import Totals, budget_totals, totals_by_area, totals_by_budget


def chosen_year(request, available_years) -> int:
    """The year of ``?jaar=``: this year, or the newest there is, when it names no year with a
    budget."""
    current = timezone.localdate().year
    try:
        year = int(request.GET.get("jaar", current))
    except ValueError:
        year = current
    if available_years and year not in available_years:
        year = current if current in available_years else available_years[0]
    return year


def budget_years() -> list[int]:
    """The years with a budget, newest first."""
    return sorted(set(Budget.objects.values_list("year", flat=True)), reverse=True)


def sign_in_first(request):
    """The sign-in page for a visitor who is not signed in (then back here); else None."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


# Staff pages ---------------------------------------------------------------------------------


def budget_list(request):
    """The budgets of the areas this member of staff works for, with their totals."""
    if response := sign_in_first(request):
        return response
    if not permissions.may_list_budgets(request.user):
        raise PermissionDenied
    years = budget_years()
    year = chosen_year(request, years)
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
        {
            "rows": rows,
            "overall": overall,
            "year": year,
            "years": years,
            "may_open": permissions.manageable_areas(request.user).exists(),
        },
    )


def open_year(request, year):
    """The budgets of a new year for several areas in one step: last year's amounts proposed and
    editable, checked on a second page before anything is saved."""
    if response := sign_in_first(request):
        return response
    areas = list(permissions.manageable_areas(request.user).order_by("name"))
    if not areas:
        raise PermissionDenied
    if not 2020 <= year <= 2100:
        raise Http404
    opened = set(
        Budget.objects.filter(year=year, smederij__in=areas).values_list("smederij_id", flat=True)
    )
    to_open = [area for area in areas if area.pk not in opened]
    form = OpenYearForm(
        request.POST or None,
        areas=to_open,
        proposals=totals_by_area(year - 1, to_open),
    )
    context = {
        "year": year,
        "form": form,
        "opened": [area for area in areas if area.pk in opened],
        "to_open": to_open,
    }
    if request.method == "POST" and not ratelimit.consume(request, action="staff_bulk"):
        form.add_error(None, _("You tried too often. Wait a minute and try again."))
    elif request.method == "POST" and form.is_valid():
        amounts = form.amounts()
        if "confirm" in request.POST:
            try:
                services.open_year(year, amounts, actor=request.user)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The budget of %(count)d area for %(year)s is open.",
                        "The budgets of %(count)d areas for %(year)s are open.",
                        len(amounts),
                    )
                    % {"count": len(amounts), "year": year},
                )
                return redirect(f"{reverse('budgets:budget-list')}?jaar={year}")
        elif "edit" not in request.POST:
            # First the check: what will be opened, and the total.
            context["check"] = {
                "amounts": amounts,
                "total": sum((amount for _area, amount in amounts), start=ZERO),
                "skipped": [area for area in to_open if area not in dict(amounts)],
            }
    return render(request, "budgets/open_year.html", context)


def budget_detail(request, slug, year):
    if response := sign_in_first(request):
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


# Public transparency -------------------------------------------------------------------------


@for_visitors
def transparency(request):
    """Where the money goes: every area's budget of a year, and how much went to ideas."""
    # The budgets and what went to ideas change with the site or an idea: read once per version
    # of both (smederijen/parts.py).
    years = parts.by_version(request, "budget-years", [EVERY_IDEA], budget_years)
    year = chosen_year(request, years)
    return render(
        request,
        "budgets/transparency.html",
        {
            **parts.by_version(
                request, f"transparency:{year}", [EVERY_IDEA], lambda: _money_of(year)
            ),
            "years": years,
        },
    )


def _money_of(year) -> dict:
    budgets = list(
        Budget.objects.filter(year=year, smederij__is_active=True)
        .select_related("smederij")
        .order_by("smederij__name")
    )
    totals = totals_by_budget(budgets)
    rows = [{"budget": b, "totals": totals[b.pk]} for b in budgets]
    overall = sum((r["totals"] for r in rows), start=Totals())
    return {"rows": rows, "overall": overall, "year": year}


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
