"""The public pages of ideas: the list and the search, an idea's page with its support form (and,
for a plan, its stuurgroep decisions and milestones), confirming a support, and the conditions."""

from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Prefetch,
    Window,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ideas.workflow import Status
from smederijen import pagecache
from smederijen.pagecache import for_visitors

from . import services
from .accounting_views import money_of
from .forms import IdeaFilterForm, SupportForm
from .models import (
    Accounting,
    Attachment,
    Condition,
    Idea,
    Kind,
    StatusChange,
    StuurgroepDecision,
    Support,
)
from .plan_views import progress_of
from .search import search_ideas, search_pages

PER_PAGE = 20


def public_history():
    """An idea's history in the order it happened, read with the idea (``idea.public_history``)."""
    return Prefetch(
        "history", queryset=StatusChange.objects.order_by("at", "pk"), to_attr="public_history"
    )


def _with_support_totals(page):
    """Each idea of the page with its support total, read in one query for these rows only: as
    an annotation of the list it would be counted for every row a deep page skips too."""
    ideas = list(page.object_list)
    totals = services.support_totals([idea.pk for idea in ideas])
    for idea in ideas:
        idea.support_total = totals[idea.pk]
    page.object_list = ideas
    return page


def _listed_ideas(request):
    """The list of one area shows only that area's ideas; a list with a wrong filter is not
    kept (the view says so)."""
    areas = request.GET.getlist("smederij")
    if len(areas) == 1 and areas[0]:
        return [pagecache.area_scope(areas[0])]
    return [pagecache.EVERY_IDEA]


@for_visitors(scopes=_listed_ideas)
def idea_list(request):
    base = Idea.objects.published()
    years = Idea.objects.published_years()
    filters = IdeaFilterForm(request.GET or None, years=years)
    ideas = base.for_cards()
    if filters.is_valid():
        data = filters.cleaned_data
        if data["smederij"]:
            ideas = ideas.filter(smederij=data["smederij"])
        if data["kind"]:
            ideas = ideas.filter(kind=data["kind"])
        if data["status"]:
            ideas = ideas.filter(status=data["status"])
        if data["year"]:
            ideas = ideas.filter(year=data["year"])
        if data["notion"]:
            ideas = ideas.filter(**{f"serves_{data['notion']}": True})
    page = _with_support_totals(
        Paginator(ideas.order_by("-submitted_at", "-pk"), PER_PAGE).get_page(
            request.GET.get("pagina")
        )
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    response = render(
        request,
        "ideas/idea_list.html",
        {"page": page, "filters": filters, "query": query.urlencode(), "is_filtered": bool(query)},
    )
    return pagecache.do_not_keep(response) if filters.errors else response


def _detail_context(request, idea, support_form=None):
    attachments = list(idea.attachments.all())
    accounting = getattr(idea, "accounting", None)
    result = None
    if (
        idea.status == Status.AFGEROND
        and accounting is not None
        and accounting.state == Accounting.State.SIGNED_OFF
    ):
        # What it cost, how it went and the photos the submitter allowed; receipts never.
        result = {
            "accounting": accounting,
            "money": money_of(idea, accounting),
            "photos": [
                a
                for a in attachments
                if a.purpose == Attachment.Purpose.RESULT
                and a.is_public
                and a.file_kind == Attachment.FileKind.PHOTO
            ],
        }
    return {
        "idea": idea,
        "support_total": services.support_count(idea),
        "can_be_supported": services.can_be_supported(idea),
        "support_form": support_form or SupportForm(),
        "photos": [a for a in attachments if a.is_public and a.purpose == Attachment.Purpose.IDEA],
        "result": result,
        **_plan_context(idea),
    }


def _plan_context(idea) -> dict:
    """A lange-klap plan's stuurgroep decisions (outcome and public reason only: never the votes
    or who voted) and its milestones. Korte-klap ideas read nothing more."""
    if idea.kind != Kind.LANGE_KLAP:
        return {}
    decisions = list(
        StuurgroepDecision.objects.filter(idea=idea)
        .select_related("meeting")
        .only("outcome", "public_reason", "recorded_at", "meeting__starts_at")
        .order_by("meeting__starts_at", "recorded_at")
    )
    return {"decisions": decisions, "plan_progress": progress_of(idea.milestones.all())}


def _public_idea(reference):
    return get_object_or_404(
        Idea.objects.published()
        .annotate(**services.support_total_annotation())
        .select_related("smederij", "accounting", "grant")
        .prefetch_related("budget_lines", "attachments", public_history()),
        reference=reference,
    )


def _one_idea(request, reference):
    return [pagecache.idea_scope(reference)]


@for_visitors(scopes=_one_idea)
def idea_detail(request, reference):
    idea = _public_idea(reference)
    return render(request, "ideas/idea_detail.html", _detail_context(request, idea))


@require_POST
def idea_support(request, reference):
    idea = _public_idea(reference)
    form = SupportForm(request.POST)
    if form.is_valid():
        if not form.is_spam():
            # Counted in the shared cache (allauth's rate limiter): all workers count together.
            email = form.cleaned_data["email"].lower()
            if not ratelimit.consume(request, action="support_idea", key=email):
                messages.error(
                    request, _("Many supports came from here in a short time. Try again later.")
                )
                return redirect(idea)
            try:
                services.give_support(
                    idea,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    street=form.cleaned_data["street"],
                    smederij=form.cleaned_data["smederij"],
                )
            except ValidationError as error:
                form.add_error(None, error)
        if not form.errors:
            return redirect("ideas:support-sent", reference=idea.reference)
    return render(
        request, "ideas/idea_detail.html", _detail_context(request, idea, support_form=form)
    )


def support_sent(request, reference):
    idea = _public_idea(reference)
    return render(request, "ideas/support_sent.html", {"idea": idea})


def support_confirm(request, token):
    """The link from the mail. A button confirms it, so mail scanners that open links do not."""
    support = get_object_or_404(Support.objects.select_related("idea"), token=token)
    if request.method == "POST":
        services.confirm_support(support)
        messages.success(request, _("Thank you! Your support now counts."))
        if support.idea.is_published:
            return redirect(support.idea)
        return redirect("ideas:idea-list")
    return render(request, "ideas/support_confirm.html", {"support": support, "idea": support.idea})


@for_visitors
def conditions(request):
    years = sorted(set(Condition.objects.values_list("year", flat=True)), reverse=True)
    current = timezone.localdate().year
    try:
        year = int(request.GET.get("jaar", current))
    except ValueError:
        year = current
    if years and year not in years:
        year = current if current in years else years[0]
    items = list(Condition.objects.for_year(year))
    groups = [
        (_("For every idea"), [c for c in items if c.kind == Condition.Applies.BOTH]),
        (Kind.KORTE_KLAP.label, [c for c in items if c.kind == Condition.Applies.KORTE_KLAP]),
        (Kind.LANGE_KLAP.label, [c for c in items if c.kind == Condition.Applies.LANGE_KLAP]),
    ]
    return render(
        request,
        "ideas/conditions.html",
        {"year": year, "years": years, "groups": [(t, c) for t, c in groups if c]},
    )


def _found_page(ideas, number):
    """A page of search results and the number found, read together: a search reads every idea
    that matches anyway (to rank them), so counting them in the same query (a window) saves the
    second pass a separate COUNT makes. Past the last page, or with nothing found, as Django's
    paginator does."""
    paginator = Paginator(ideas, PER_PAGE)
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * PER_PAGE
    rows = list(ideas.annotate(found=Window(Count("pk")))[start : start + PER_PAGE])
    if not rows:
        return paginator.get_page(number)
    paginator.count = rows[0].found  # the paginator's cached count
    return Page(rows, number, paginator)


@for_visitors
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    ideas = pages = []
    page = None
    if query:
        ideas = search_ideas(query).for_cards()
        page = _with_support_totals(_found_page(ideas, request.GET.get("pagina")))
        pages = search_pages(query)
    return render(
        request,
        "ideas/search.html",
        {"q": query, "page": page, "pages": pages, "query": urlencode({"q": query})},
    )
