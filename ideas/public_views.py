"""The public pages of ideas: the list and the search, an idea's page with its support form (and,
for a plan, its stuurgroep decisions and milestones), confirming a support, and the conditions."""

import functools

from allauth.core import ratelimit
from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    F,
    Prefetch,
)
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ideas.workflow import Status
from smederijen import pagecache, parts
from smederijen.models import Smederij
from smederijen.pagecache import for_visitors
from smederijen.prepared import Prepared

from . import services
from .accounting_views import money_of
from .forms import IdeaFilterForm, SupportForm
from .models import (
    CARD_COLUMNS,
    Accounting,
    Attachment,
    CardRow,
    Condition,
    Idea,
    Kind,
    StatusChange,
    StuurgroepDecision,
    Support,
)
from .plan_views import progress_of
from .search import area_names, cards_of, found_keys, search_pages

PER_PAGE = 20
# What a page of the list or of a search shows of its ideas (``_results``), and what it shows.
RESULTS = "ideas/_idea_results.html"
RESULT_SCOPES = [pagecache.EVERY_IDEA, pagecache.SUPPORTERS]


def public_history():
    """An idea's history in the order it happened, read with the idea (``idea.public_history``)."""
    return Prefetch(
        "history", queryset=StatusChange.objects.order_by("at", "pk"), to_attr="public_history"
    )


def _listed_ideas(request):
    """The list of one area shows only that area's ideas; a list with a wrong filter is not
    kept (the view says so)."""
    areas = request.GET.getlist("smederij")
    if len(areas) == 1 and areas[0]:
        return [pagecache.area_scope(areas[0])]
    return [pagecache.EVERY_IDEA]


def _list_choices() -> dict:
    """The years and the areas (slug, name) the filters of the list offer, and each area's key."""
    areas = list(Smederij.objects.active().values_list("pk", "slug", "name"))
    return {
        "years": Idea.objects.published_years(),
        "areas": [(slug, name) for _pk, slug, name in areas],
        "keys": {slug: pk for pk, slug, _name in areas},
    }


# A page of the list after the first: the ideas before the last one of the page before.
AFTER = '("ideas_idea"."submitted_at", "ideas_idea"."id") < (%s, %s)'


def _mark(name: str, index: int):
    """A value no idea has, of the type of the field, to find again among the parameters."""
    return f"\x00{index}" if name in ("kind", "status", "after") else 32_000 + index


@functools.cache
def _cards_query(valued: tuple, flags: tuple, after: bool, size: int) -> Prepared:
    """A page of the list filtered on the fields ``valued`` (and the notions ``flags``) and, for
    a page after the first, from where it starts (``after``, ``key``): its twenty ideas with the
    number of supporters of each and its area's name (``CARD_COLUMNS``), as SQL built once per
    worker (building it took a quarter of the list's time, the numbers were a second round
    trip). Its ``offset``: 0 but for a deep page whose start is not known (nothing kept), whose
    skipped ideas are then counted too."""
    marks = {name: _mark(name, index) for index, name in enumerate(valued)}
    ideas = (
        Idea.objects.published()
        .filter(**marks, **dict.fromkeys(flags, True))
        .annotate(**services.support_total_annotation(), smederij_name=F("smederij__name"))
        .order_by("-submitted_at", "-pk")
    )
    if after:
        marks["after"], marks["key"] = _mark("after", len(marks)), _mark("key", len(marks) + 1)
        ideas = ideas.extra(where=[AFTER], params=[marks["after"], marks["key"]])  # noqa: S610
    return Prepared(ideas.values_list(*CARD_COLUMNS)[:size], offset=True, **marks)


def _cards(wanted: dict, after: tuple | None, offset: int) -> list[CardRow]:
    """A page of the list's ideas, ready for their cards, in one query (``_cards_query``)."""
    valued = tuple(name for name in sorted(wanted) if not name.startswith("serves_"))
    flags = tuple(name for name in sorted(wanted) if name.startswith("serves_"))
    values = {name: wanted[name] for name in valued}
    if after is not None:
        moment, values["key"] = after
        # The moment as the database stores it (SQLite: text in UTC, no offset).
        values["after"] = Idea._meta.get_field("submitted_at").get_db_prep_value(moment, connection)
    query = _cards_query(valued, flags, after is not None, PER_PAGE)
    return [CardRow(row) for row in query.rows(**values, offset=offset)]


def _starts(ordered) -> list:
    """Where each page of the list after the first starts: the moment sent and the key of the
    last idea of the page before (read once per version of the ideas). ``None`` where an idea
    has no moment (the page is then read with OFFSET)."""
    last_of_each_page = list(ordered.values_list("submitted_at", "pk"))[PER_PAGE - 1 :: PER_PAGE]
    return [None if at is None else (at, pk) for at, pk in last_of_each_page]


FILTERS = tuple(IdeaFilterForm.base_fields)


def _filter_fields(filters) -> str:
    return get_template("ideas/_idea_filters.html").render({"filters": filters})


def _chosen_filters(request, choices) -> tuple[dict, str] | None:
    """What the list's filters choose (the fields and values of the ideas wanted) and the
    filters drawn as chosen; None for a choice that is not there."""
    filters = IdeaFilterForm(request.GET or None, years=choices["years"], areas=choices["areas"])
    if filters.is_bound and not filters.is_valid():
        return None
    data = filters.cleaned_data if filters.is_bound else {}
    wanted = {}
    if data.get("smederij"):
        wanted["smederij_id"] = choices["keys"][data["smederij"]]
    if data.get("kind"):
        wanted["kind"] = data["kind"]
    if data.get("status"):
        wanted["status"] = data["status"]
    if data.get("year"):
        wanted["year"] = data["year"]
    if data.get("notion"):
        wanted[f"serves_{data['notion']}"] = True
    return wanted, mark_safe(_filter_fields(filters))  # noqa: S308 - our own template


@for_visitors(scopes=_listed_ideas)
def idea_list(request):
    parts.read_stamps(request, RESULT_SCOPES)  # at once: one query
    # Read once per version of the ideas (smederijen/parts.py): the choices, and the number of
    # ideas each set of filters finds (counting 10,000 ideas was a third of the list's SQL).
    choices = parts.by_version(request, "idea-list-choices", [pagecache.EVERY_IDEA], _list_choices)
    # The filters as the address chooses them, drawn once per version of the choices.
    given = sorted((name, request.GET.getlist(name)) for name in FILTERS if name in request.GET)
    chosen_filters = parts.by_version(
        request,
        f"idea-list-filters:{bool(request.GET)}:{given!r}",
        [pagecache.EVERY_IDEA],
        lambda: _chosen_filters(request, choices),
        parts.FILTERS,  # only choices that are there: see _chosen_filters
    )
    if chosen_filters is None:  # a choice that is not there: the form with its errors
        filters = IdeaFilterForm(request.GET, years=choices["years"], areas=choices["areas"])
        filters.is_valid()
        wanted, filter_fields = {}, _filter_fields(filters)
    else:
        filters = None
        wanted, filter_fields = chosen_filters

    # Read only when what is kept is not current: how many and where each page starts.
    def ideas():
        return Idea.objects.published().filter(**wanted)

    paginator = Paginator((), PER_PAGE)
    chosen = sorted(wanted.items())
    paginator.count = parts.by_version(
        request, f"idea-list-count:{chosen}", [pagecache.EVERY_IDEA], lambda: ideas().count()
    )
    page = paginator.get_page(request.GET.get("pagina"))

    def with_cards() -> Page:  # read only when the page's results are not kept
        after = None
        if page.number > 1 and settings.PART_SECONDS:
            # A deep page is read from where it starts, along the index, instead of skipping
            # every idea before it (OFFSET): page 50 read 1,000 rows to show 20. Where each
            # page starts is read once per version of the ideas; with nothing kept, OFFSET is
            # cheaper.
            starts = parts.by_version(
                request,
                f"idea-list-starts:{PER_PAGE}:{chosen}",
                [pagecache.EVERY_IDEA],
                lambda: _starts(ideas().order_by("-submitted_at", "-pk")),
            )
            after = starts[page.number - 2] if len(starts) >= page.number - 1 else None
        offset = 0 if after is not None else (page.number - 1) * PER_PAGE
        page.object_list = _cards(wanted, after, offset)
        return page

    query = request.GET.copy()
    query.pop("pagina", None)
    query = query.urlencode()
    name = f"idea-list:{PER_PAGE}:{chosen}:{page.number}:{query}"
    results = (
        _results(request, name, with_cards, query, _("Pages of ideas")) if paginator.count else ""
    )
    response = render(
        request,
        "ideas/idea_list.html",
        {
            "page": page,
            "results": results,
            "filters": filters,
            "filter_fields": filter_fields,
            "query": query,
            "is_filtered": bool(query),
        },
    )
    return pagecache.do_not_keep(response) if filters is not None else response


def _detail_context(request, idea, support_form=None):
    """The page of a public idea: its content (kept by its version, ``_content``) and what is
    made for each answer: the number of supporters and the support form."""
    reference = idea.reference
    content = parts.of_version(
        request, f"idea:{reference}", [pagecache.idea_scope(reference)], lambda: _content(reference)
    )
    if support_form is None:
        # Nobody has filled it in yet: the same for everyone until the areas change (the site).
        support_fields = parts.of_version(
            request, "support-form", [], lambda: render_crispy_form(SupportForm())
        )
    else:
        support_fields = render_crispy_form(support_form)  # what was typed, with the errors
    return {
        "idea": idea,
        "content": content,
        "support_total": services.support_count(idea),
        "can_be_supported": services.can_be_supported(idea),
        "support_form": support_form,
        "support_fields": support_fields,
    }


def _content(reference) -> str:
    """An idea's public content (templates/ideas/_idea_public.html) with every row it shows."""
    idea = _public_idea(reference)
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
    return get_template("ideas/_idea_public.html").render(
        {
            "idea": idea,
            "photos": [
                a for a in attachments if a.is_public and a.purpose == Attachment.Purpose.IDEA
            ],
            "result": result,
            **_plan_context(idea),
        }
    )


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


@functools.cache
def _shown_query() -> tuple[str, list, int]:
    """The SQL of ``_shown_idea``, made by the ORM once per worker (building it each time was a
    fifth of the page's time once its content was kept), with a mark where the reference goes."""
    mark = "\x00reference"
    ideas = (
        Idea.objects.published()
        .annotate(**services.support_total_annotation())
        .only("reference", "title", "summary", "status", "kind", "is_published")
        .filter(reference=mark)
    )
    sql, params = ideas.query.sql_with_params()
    return sql, list(params), params.index(mark)


def _shown_idea(reference):
    """What an idea's page shows besides its content: the title, the status, the number of
    supporters (one query)."""
    sql, params, place = _shown_query()
    params = list(params)
    params[place] = reference
    found = list(Idea.objects.raw(sql, params))
    if not found:
        raise Http404
    return found[0]


def _one_idea(request, reference):
    return [pagecache.idea_scope(reference)]


@for_visitors(scopes=_one_idea)
def idea_detail(request, reference):
    # What the page shows besides its content (the title, the status, the number of supporters)
    # changes with the same stamp of the idea (a confirmed support replaces it too): read once
    # per version, as the content.
    idea = parts.by_version(
        request,
        f"shown:{reference}",
        [pagecache.idea_scope(reference)],
        lambda: _shown_idea(reference),
    )
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


def _results(request, name: str, with_cards, query: str, label: str) -> str:
    """What a page of the list or of a search shows of its ideas: their cards and the links to
    the other pages (``RESULTS``), made once per version of the ideas (``name`` names the list,
    its filters and the page; ``with_cards()`` gives the page with its cards when it is made).
    The numbers of supporters on the cards are part of that version (``supporters``: any
    confirmed support makes it be made again); a page kept whole fills them in anew (holes,
    smederijen/pagecache.py). Made for each answer, the twenty cards and their query were
    half of the list's time."""
    return parts.of_version(
        request,
        name,
        RESULT_SCOPES,
        lambda: get_template(RESULTS).render(
            {"page": with_cards(), "query": query, "label": label}
        ),
        parts.RESULTS,  # apart: anyone can type an address
    )


def _found_page(request, query, areas, number) -> tuple[Page, str]:
    """A page of search results and what it shows of its ideas (``_results``): the ideas a
    search finds (ranked) are kept by the version of the ideas (ranking every match is most of a
    search's SQL; parts.SEARCHES, as anyone can type a search). Past the last page: the last
    page, as Django's paginator does."""
    keys = parts.by_version(
        request,
        f"search-found:{query}",
        [pagecache.EVERY_IDEA],
        lambda: found_keys(query, areas),
        parts.SEARCHES,
    )
    page = Paginator(keys, PER_PAGE).get_page(number)
    if not keys:
        return page, ""

    def with_cards() -> Page:
        page.object_list = [CardRow(row) for row in cards_of(list(page.object_list))]
        return page

    link_query = urlencode({"q": query})
    name = f"search:{PER_PAGE}:{query}:{page.number}"
    return page, _results(request, name, with_cards, link_query, _("Pages of ideas found"))


@for_visitors
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    pages = []
    page, results = None, ""
    if query:
        parts.read_stamps(request, RESULT_SCOPES)  # at once: one query
        # The areas by their names: a word that names one picks it (ideas.search).
        areas = parts.by_version(request, "area-names", [], area_names)
        page, results = _found_page(request, query, areas, request.GET.get("pagina"))
        # The site's pages, areas, teams and groups that match: they change only with the site
        # (smederijen/parts.py), three queries fewer for each search.
        pages = parts.by_version(
            request, f"search-pages:{query}", [], lambda: search_pages(query), parts.SEARCHES
        )
    return render(
        request,
        "ideas/search.html",
        {"q": query, "page": page, "results": results, "pages": pages},
    )
