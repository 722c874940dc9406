"""The wijkteam's review in the browser: the werkvoorraad and the review page of one idea.

Only the staff who act for the idea's area (its wijkteam and its gebiedsregisseur) see these pages;
anyone else gets "not found" for an idea, so the pages do not tell which ideas exist. Every change
goes through ``ideas.services``. The review page's own forms (the checklist, a note, a milestone,
publishing) each post to it with their named button (``POSTS``); the actions that move the idea
along ask to confirm first on their own page (``review_actions``).
"""

import functools
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Q, Value
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from budgets.permissions import may_see_budget
from ideas import permissions
from ideas.workflow import (
    DECISION_STATUSES,
    MILESTONE_STATUSES,
    OPEN_STATUSES,
    QUEUE_STATUSES,
    Status,
)
from smederijen import audit, pagecache, parts
from smederijen.pagecache import for_this_session
from smederijen.prepared import Prepared
from teams import permissions as team_permissions

from . import services
from .assign_views import (
    assign_fields,
    assign_from_page,
    assign_many_fields,
    assign_me,
    may_be_assigned,
)
from .models import Idea, Kind
from .plan_views import MilestoneForm, MilestoneReachedForm, progress_of
from .review_actions import page_actions
from .review_forms import (
    ACCOUNTING_SENT,
    ACCOUNTING_SENT_LABEL,
    ASSIGNED_TO_ME,
    ChecklistForm,
    NoteForm,
    QueueFilterForm,
    behandelaar_filter,
    status_filter,
)
from .review_reads import (
    accounting_summary,
    age_and_overdue,
    conditions_and_checks,
    current_budget,
    read_timeline,
    review_idea,
    review_url,
)

PER_PAGE = 20


# The werkvoorraad --------------------------------------------------------------------------------


def queue_filters(request) -> QueueFilterForm:
    """The werkvoorraad's filters, for someone who acts for an area (anyone else: 403)."""
    if not permissions.may_open_queue(request.user):
        raise PermissionDenied
    filters = QueueFilterForm(
        request.GET or None, areas=team_permissions.areas_for(request.user).order_by("name")
    )
    if not request.GET:  # the areas to choose from, read once per version of the areas
        parts.choices_by_version(
            request,
            filters.fields["smederij"],
            f"areas:{sorted(team_permissions.area_ids(request.user))}",
        )
    return filters


def queue_selection(request):
    """The werkvoorraad's ideas as its filters choose them: (the filters, the chosen ideas oldest
    first). The page, its export and its print view read the same."""
    filters = queue_filters(request)
    return filters, _queue_ideas(
        request.user,
        sorted(team_permissions.area_ids(request.user)),
        *_counted_filters(filters),
        filters.chosen_status(),
        filters.chosen_behandelaar(),
    )


def _area_ideas(areas, kind, area):
    """The ideas of these areas (and of this kind, of this one of them): what the werkvoorraad
    counts and lists."""
    base = Idea.objects.filter(smederij_id__in=areas)
    base = base.filter(kind=kind) if kind else base
    return base.filter(smederij_id=area) if area else base


def _marks(area_count: int, kind: bool, area: bool) -> dict:
    """The marks of a werkvoorraad query built once (``Prepared``) for this many areas, and a
    kind, and one of them; ``_values`` gives their values."""
    marks = {f"area{index}": AREA_MARK + index for index in range(area_count)}
    marks.update({"kind": KIND_MARK} if kind else {})
    marks.update({"area": AREA_MARK - 1} if area else {})
    return marks


def _values(areas, kind, area) -> dict:
    values = {f"area{index}": pk for index, pk in enumerate(areas)}
    values.update({"kind": kind} if kind else {})
    values.update({"area": area} if area else {})
    return values


def _queue_ideas(user, areas, kind, area, status, behandelaar):
    """The ideas of these areas (and this kind, this one of them) with this status and
    behandelaar (as the filters choose them), oldest first, with what a row shows."""
    return (
        _area_ideas(areas, kind, area)
        .filter(status_filter(status), behandelaar_filter(behandelaar, user))
        .select_related("smederij", "behandelaar")
        .annotate(accounting_state=F("accounting__state"), **services.discussed_annotations())
        .order_by("submitted_at", "pk")
    )


@functools.cache
def _rows_query(area_count: int, kind: bool, area: bool, status: str, behandelaar: str):
    """A page of ``_queue_ideas`` as SQL built once per worker for each way the filters are
    chosen (building it was a fifth of the page's time)."""
    marks = _marks(area_count, kind, area)
    if behandelaar == ASSIGNED_TO_ME:
        marks["user"] = USER_MARK
    ideas = _queue_ideas(
        get_user_model()(pk=USER_MARK),
        [marks[f"area{index}"] for index in range(area_count)],
        marks.get("kind"),
        marks.get("area"),
        status,
        behandelaar,
    )
    shown = ideas.only(*QUEUE_ROW_FIELDS)  # what a row shows, not the ideas' long texts
    return Prepared(shown[:PER_PAGE], offset=True, **marks)


# What a row of the werkvoorraad shows of an idea (ideas/templatetags/werkvoorraad.py).
QUEUE_ROW_FIELDS = (
    "public_id",
    "reference",
    "title",
    "kind",
    "status",
    "submitted_at",
    "decision_due",
    "smederij__name",
    "behandelaar__first_name",
    "behandelaar__last_name",
    "behandelaar__email",
)


QUEUE_TABLE = "ideas/review/_queue_table.html"


def _queue_table(request, filters, counts, today) -> tuple[Page, str]:
    """The page of the werkvoorraad the address asks for, and its table of ideas: made once per
    version of the ideas and the staff pages (as the counts) for the areas and the filters
    chosen (the rows show nothing of who looks at them); its ideas read in one query when it is
    made."""
    user = request.user
    areas = sorted(team_permissions.area_ids(user))
    kind, area = _counted_filters(filters)
    status, behandelaar = filters.chosen_status(), filters.chosen_behandelaar()
    paginator = Paginator((), PER_PAGE)
    known = filters.counted(counts)
    paginator.count = (  # no second count of the same ideas where the counts hold it
        known
        if known is not None
        else _queue_ideas(user, areas, kind, area, status, behandelaar).count()
    )
    page = paginator.get_page(request.GET.get("pagina"))
    if not paginator.count:
        return page, ""

    def with_rows() -> Page:
        offset = (page.number - 1) * PER_PAGE
        if connection.vendor != "postgresql":
            ideas = _queue_ideas(user, areas, kind, area, status, behandelaar)
            page.object_list = list(ideas[offset : offset + PER_PAGE])
        else:
            values = _values(areas, kind, area)
            values.update({"user": user.pk} if behandelaar == ASSIGNED_TO_ME else {})
            query = _rows_query(len(areas), bool(kind), bool(area), status, behandelaar)
            page.object_list = query.objects(**values, offset=offset)
        for idea in page.object_list:
            age_and_overdue(idea, today)
        return page

    mine = user.pk if behandelaar == ASSIGNED_TO_ME else None
    table = parts.of_version(
        request,
        f"queue-table:{areas}:{kind}:{area}:{status}:{behandelaar}:{mine}:{page.number}",
        [pagecache.EVERY_IDEA, pagecache.STAFF],
        lambda: render_to_string(QUEUE_TABLE, {"page": with_rows()}),
    )
    return page, table


def _counts(base, user, today) -> dict:
    """The werkvoorraad's numbers of ``base``'s ideas (an aggregate's expressions): per open
    status, past the decision date, verantwoording sent, assigned to ``user``."""
    mine = Q(behandelaar=user, status__in=QUEUE_STATUSES)
    return {
        **{s.value: Count("pk", filter=Q(status=s)) for s in OPEN_STATUSES},
        "overdue": Count("pk", filter=Q(status__in=DECISION_STATUSES, decision_due__lt=today)),
        "accounting_sent": Count("pk", filter=permissions.accounting_waits_for_team_q()),
        "mine": Count("pk", filter=mine),
    }


# Marks of _counts_query: values no row has, of the type of their field.
AREA_MARK, KIND_MARK, USER_MARK, TODAY_MARK = 32_000, "\x00kind", -7, date(1901, 2, 3)


@functools.cache
def _counts_query(area_count: int, kind: bool, area: bool) -> Prepared:
    """The werkvoorraad's counts (``_counts``) of the ideas of ``area_count`` areas (and one
    kind, one of those areas) in one query whose SQL is built once per worker (building a dozen
    filtered counts was a sixth of the page's time)."""
    marks = _marks(area_count, kind, area)
    areas = [marks[f"area{index}"] for index in range(area_count)]
    base = _area_ideas(areas, marks.get("kind"), marks.get("area"))
    counts = _counts(base, get_user_model()(pk=USER_MARK), TODAY_MARK)
    rows = base.order_by().annotate(one=Value(1)).values("one").annotate(**counts)
    return Prepared(rows.values_list(*counts), **marks, user=USER_MARK, today=TODAY_MARK)


def _counted_filters(filters) -> tuple:
    """What the counts depend on of the filters: the kind and the area chosen."""
    chosen = filters.cleaned_data if filters.is_valid() else {}
    area = chosen.get("smederij")
    return chosen.get("kind") or "", area.pk if area else None


def _queue_counts(user, filters, today) -> dict:
    """Every count of the werkvoorraad in one query, over the ideas of the user's areas and the
    kind and area the filters choose."""
    kind, area = _counted_filters(filters)
    areas = sorted(team_permissions.area_ids(user))
    base = _area_ideas(areas, kind, area)
    if connection.vendor != "postgresql":
        return base.aggregate(**_counts(base, user, today))
    query = _counts_query(len(areas), bool(kind), bool(area))
    row = query.rows(**_values(areas, kind, area), user=user.pk, today=today)[0]
    return dict(zip(_counts(base, user, today), row, strict=True))


@login_required
@for_this_session
def review_queue(request):
    parts.read_stamps(request, [pagecache.EVERY_IDEA, pagecache.STAFF])
    filters = queue_filters(request)
    today = timezone.localdate()
    # The counts are numbers made from many rows: read once per version of the ideas and the
    # staff pages (every committed change of an idea replaces the stamp of the ideas, every
    # committed change at all, such as a new behandelaar, the stamp of the staff pages;
    # smederijen/parts.py) for these filters, this person and today.
    counts = parts.by_version(
        request,
        f"queue-counts:{request.user.pk}:{_counted_filters(filters)}",
        [pagecache.EVERY_IDEA, pagecache.STAFF],
        lambda: _queue_counts(request.user, filters, today),
    )
    page, table = _queue_table(request, filters, counts, today)
    query = request.GET.copy()
    query.pop("pagina", None)
    status_query = query.copy()
    status_counts = []
    for status in OPEN_STATUSES:
        status_query["status"] = status.value
        status_counts.append(
            {
                "status": status.value,
                "label": status.label,
                "count": counts[status.value],
                "query": status_query.urlencode(),
                "in_queue": status in QUEUE_STATUSES,
            }
        )
        if status == Status.GEREALISEERD:
            status_query["status"] = ACCOUNTING_SENT
            status_counts.append(
                {
                    "status": ACCOUNTING_SENT,
                    "label": ACCOUNTING_SENT_LABEL,
                    "count": counts["accounting_sent"],
                    "query": status_query.urlencode(),
                    "in_queue": True,
                }
            )
    return render(
        request,
        "ideas/review/queue.html",
        {
            "page": page,
            "table": table,
            "filters": filters,
            "query": query.urlencode(),
            "is_filtered": any(
                query.get(name) for name in ("status", "behandelaar", "kind", "smederij")
            ),
            "status_counts": status_counts,
            "queue_total": sum(counts[s.value] for s in QUEUE_STATUSES),
            "overdue": counts["overdue"],
            "accounting_sent": counts["accounting_sent"],
            "mine": counts["mine"],
            "mine_query": urlencode({"behandelaar": ASSIGNED_TO_ME}),
            "assign_fields": assign_many_fields(request),
            "today": today,
        },
    )


# The review page ---------------------------------------------------------------------------------


@dataclass
class PageForms:
    """The review page's own forms: unbound, or bound to the one that was posted with its errors.
    The conditions (and the checklist made of them) are read only when they are needed: a
    post of the checklist, or a checklist that is not kept (``_checklist_part``)."""

    idea: Idea
    year: int  # of the conditions
    note_form: NoteForm = field(default_factory=NoteForm)
    milestones: dict = field(default_factory=dict)  # see _milestone_forms
    assign_form: object = None  # the behandelaar box as it was posted (see assign_views)
    posted_checklist: ChecklistForm | None = None  # bound to what was posted

    @functools.cached_property
    def conditions_and_checks(self) -> tuple[list, list]:
        return conditions_and_checks(self.idea, self.year)

    @property
    def checklist(self) -> ChecklistForm:
        if self.posted_checklist is not None:
            return self.posted_checklist
        conditions, checks = self.conditions_and_checks
        return ChecklistForm(conditions=conditions, checks=checks)

    @property
    def errors(self) -> bool:
        return bool(
            (self.posted_checklist is not None and self.posted_checklist.errors)
            or self.note_form.errors
            or self.milestones.get("has_errors")
            or (self.assign_form is not None and self.assign_form.errors)
        )


def _checklist_part(request, forms: PageForms) -> tuple[bool, str]:
    """Whether there are conditions for the idea, and the checklist's fields drawn: kept by the
    version of the staff pages (a check or a condition saved replaces it), unless it was posted
    with errors (drawn with what was typed)."""

    def draw():
        checklist = forms.checklist
        html = render_to_string("ideas/review/_checklist_fields.html", {"checklist": checklist})
        return bool(checklist.fields), html

    if forms.posted_checklist is not None:
        return draw()
    return parts.by_version(
        request, f"review-checklist:{forms.idea.pk}:{forms.year}", [pagecache.STAFF], draw
    )


@login_required
@for_this_session
def review_detail(request, public_id):
    idea = review_idea(request, public_id, for_page=True)
    # The stamps of what the page's kept parts show: the behandelaar's box, the timeline.
    parts.read_stamps(request, [pagecache.STAFF])
    forms = PageForms(
        idea=idea,
        year=idea.year or timezone.localdate().year,
        milestones=_milestone_forms(idea),
    )
    if request.method == "POST":
        name = next((name for name in POSTS if name in request.POST), None)
        if name is None:
            return redirect(review_url(idea))
        done = POSTS[name](request, idea, forms)
        if done is not None:
            return done
    audit.record_view(request, idea, "contact_details")
    today = timezone.localdate()
    age_and_overdue(idea, today)
    budget = current_budget(idea) if idea.kind == Kind.KORTE_KLAP else None
    # Read only when a part of the page that shows them is made (not kept: see the template).
    timeline = SimpleLazyObject(lambda: read_timeline(idea))
    actions, blocked = page_actions(request.user, idea)
    may_assign = may_be_assigned(idea)
    may_handle = permissions.may_handle(request.user, idea)
    budget_link = budget is not None and may_see_budget(request.user, idea.smederij)
    return render(
        request,
        "ideas/review/review.html",
        {
            "idea": idea,
            "here": review_url(idea),  # the page's own address, where its forms post
            "timeline": timeline,
            "accounting": SimpleLazyObject(
                lambda: accounting_summary(idea, timeline.accounting_files)
            ),
            "actions": actions,
            "blocked_actions": blocked,
            "checklist": _checklist_part(request, forms),
            "conditions_year": forms.year,
            "note_form": forms.note_form,
            "support": SimpleLazyObject(lambda: services.support_make_up(idea)),
            "budget": budget,
            "budget_year": today.year,
            "budget_link": budget_link,
            "milestones": forms.milestones,
            "may_assign": may_assign,
            "assign_fields": assign_fields(request, idea, forms.assign_form) if may_assign else "",
            "may_handle": may_handle,
            "form_errors": forms.errors,
            # Everything the page's content shows of who looks at it (the rest is the idea's,
            # kept by the version of the staff pages: templates/ideas/review/review.html).
            "rights": (
                tuple(action.slug for action in actions),
                tuple((action.slug, str(reason)) for action, reason in blocked),
                may_assign,
                may_handle,
                idea.behandelaar_id == request.user.pk,
                budget_link,
            ),
        },
    )


# Each POST of the review page: done (a redirect), or None to show the page with the form's errors.


def _save_checklist(request, idea, forms: PageForms):
    conditions, checks = forms.conditions_and_checks
    checklist = ChecklistForm(request.POST, conditions=conditions, checks=checks)
    forms.posted_checklist = checklist
    if not checklist.is_valid():
        return None
    saved = 0
    for condition, verdict, remark in checklist.changed_checks():
        services.check_condition(
            idea, condition, actor=request.user, verdict=verdict, remark=remark
        )
        saved += 1
    if saved:
        messages.success(request, _("The checklist is saved."))
    else:
        messages.info(request, _("Nothing changed in the checklist."))
    return redirect(review_url(idea, "checklist-title"))


def _add_note(request, idea, forms: PageForms):
    note_form = NoteForm(request.POST)
    forms.note_form = note_form
    if not note_form.is_valid():
        return None
    try:
        services.add_review_note(idea, actor=request.user, text=note_form.cleaned_data["note"])
    except ValidationError as error:
        note_form.add_error("note", error)
        return None
    messages.success(request, _("Your internal note is saved."))
    return redirect(review_url(idea, "notes-title"))


def _publish(request, idea, forms: PageForms):
    if request.POST["publish"] not in ("0", "1"):
        return redirect(review_url(idea))
    published = request.POST["publish"] == "1"
    try:
        services.set_published(idea, actor=request.user, published=published)
    except PermissionDenied:
        messages.error(request, _("You may not publish this idea."))
    else:
        messages.success(
            request,
            _("The idea is on the website now.")
            if published
            else _("The idea is taken off the website."),
        )
    return redirect(review_url(idea))


# The milestones of a lange-klap plan -------------------------------------------------------------


def _milestone_forms(idea) -> dict:
    """The plan's milestones with a "reached" form for each open one, and the form to add one.
    Empty for other ideas (no query)."""
    if idea.kind != Kind.LANGE_KLAP or idea.status not in (*MILESTONE_STATUSES, Status.AFGEROND):
        return {}
    may_change = idea.status in MILESTONE_STATUSES
    milestones = list(idea.milestones.all())
    if may_change:
        for milestone in milestones:
            if milestone.done_on is None:
                milestone.reached_form = MilestoneReachedForm(milestone=milestone)
    return {
        "list": milestones,
        "progress": progress_of(milestones),
        "add_form": MilestoneForm() if may_change else None,
        "has_errors": False,
    }


def _milestones_closed(request, idea):
    """The forms exist only in a milestone status (so a refusal later is about a typed field)."""
    messages.error(request, _("Milestones are for plans that are funded or being carried out."))
    return redirect(review_url(idea, "milestones-title"))


def _add_milestone(request, idea, forms: PageForms):
    if not forms.milestones.get("add_form"):
        return _milestones_closed(request, idea)
    form = MilestoneForm(request.POST)
    forms.milestones["add_form"] = form
    if form.is_valid():
        try:
            services.add_milestone(idea, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("title", error)
        except PermissionDenied:
            form.add_error(None, _("You may not take this step for this idea."))
        else:
            messages.success(request, _("The milestone is added. It is shown on the website."))
            return redirect(review_url(idea, "milestones-title"))
    forms.milestones["has_errors"] = True
    return None


def _reach_milestone(request, idea, forms: PageForms):
    if not forms.milestones.get("add_form"):
        return _milestones_closed(request, idea)
    milestone = next(
        (
            m
            for m in forms.milestones["list"]
            if str(m.pk) == request.POST["reach_milestone"] and m.done_on is None
        ),
        None,
    )
    if milestone is None:
        messages.error(request, _("This milestone is reached already."))
        return redirect(review_url(idea, "milestones-title"))
    form = MilestoneReachedForm(request.POST, milestone=milestone)
    milestone.reached_form = form
    if form.is_valid():
        try:
            services.complete_milestone(
                milestone, actor=request.user, done_on=form.cleaned_data["done_on"]
            )
        except ValidationError as error:
            form.add_error("done_on", error)
        except PermissionDenied:
            form.add_error(None, _("You may not take this step for this idea."))
        else:
            reached = _("The milestone “%(title)s” is marked as reached.")
            messages.success(request, reached % {"title": milestone.title})
            return redirect(review_url(idea, "milestones-title"))
    forms.milestones["has_errors"] = True
    return None


# The review page's POSTs by their named button, in this order when a form sends more than one.
POSTS = {
    "assign": assign_from_page,
    "assign_me": assign_me,
    "save_checklist": _save_checklist,
    "add_note": _add_note,
    "add_milestone": _add_milestone,
    "reach_milestone": _reach_milestone,
    "publish": _publish,
}
