"""The wijkteam's review in the browser: the werkvoorraad, the review page and the actions.

Only the staff who act for the idea's area (its wijkteam and its gebiedsregisseur) see these pages;
anyone else gets "not found" for an idea, so the pages do not tell which ideas exist. Every change
goes through ``ideas.services``; each action asks to confirm first.
"""

import logging
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.models import Budget, BudgetEntry, EntryKind, Grant
from budgets.permissions import may_see_budget
from ideas import permissions, workflow
from ideas.workflow import OPEN_BEFORE_DECISION, Status
from smederijen import audit
from smederijen.pagecache import for_this_session
from teams import permissions as team_permissions

from . import services
from .models import (
    Accounting,
    Attachment,
    Condition,
    ConditionCheck,
    Idea,
    InventoryRemark,
    Kind,
    PaperSupportList,
    ReviewNote,
    StandardText,
    StatusChange,
)
from .plan_views import MilestoneForm, MilestoneReachedForm, progress_of
from .review_forms import (
    ACCOUNTING_SENT,
    ACCOUNTING_SENT_LABEL,
    DECISION_STATUSES,
    OPEN_STATUSES,
    QUEUE_STATUSES,
    ApproveForm,
    ChecklistForm,
    GrantForm,
    NoteForm,
    PublicTextForm,
    QuestionForm,
    QueueFilterForm,
    ReclassifyForm,
    RejectForm,
    ReturnAccountingForm,
    SignOffForm,
    StandardTextChoiceForm,
    TakeUpForm,
    accounting_sent_q,
)

logger = logging.getLogger("smederijen.events")

PER_PAGE = 20
Use = StandardText.Use


# The actions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    slug: str
    form_class: type
    title: str  # the confirm page's heading
    button: str  # on the review page and on the confirm button
    done: str  # the message after it is done
    steps: tuple  # what will happen, in plain language
    standard_texts: str | None = None  # StandardText.use for the text field
    error_field: str | None = None  # where the service's refusal is shown
    danger: bool = False


MAIL_STEP = gettext_lazy(
    "The submitter gets an e-mail with the new status and your explanation, if you write one."
)
NOTE_STEP = gettext_lazy("Your internal note is kept in the history. Only staff see it.")

ACTIONS = {
    action.slug: action
    for action in [
        Action(
            "oppakken",
            TakeUpForm,
            gettext_lazy("Take up the idea"),
            gettext_lazy("Take up the idea"),
            gettext_lazy("You took up the idea. Its status is now ‘being reviewed’."),
            (
                gettext_lazy("The idea gets the status ‘being reviewed’."),
                gettext_lazy("The submitter gets an e-mail that the wijkteam looks at the idea."),
                NOTE_STEP,
            ),
        ),
        Action(
            "vraag",
            QuestionForm,
            gettext_lazy("Ask the submitter a question"),
            gettext_lazy("Ask a question"),
            gettext_lazy("Your question has been sent to the submitter."),
            (
                gettext_lazy("The idea gets the status ‘more information asked’."),
                gettext_lazy(
                    "The submitter gets your question by e-mail and sees it under ‘My ideas’."
                ),
                gettext_lazy(
                    "The submitter can change the idea and answer. Then the idea comes back "
                    "into the werkvoorraad."
                ),
                NOTE_STEP,
            ),
            standard_texts=Use.QUESTION,
            error_field="question",
        ),
        Action(
            "goedkeuren",
            ApproveForm,
            gettext_lazy("Approve the idea"),
            gettext_lazy("Approve"),
            gettext_lazy("The idea is approved: it meets the conditions."),
            (
                gettext_lazy("The idea gets the status ‘meets the conditions’."),
                gettext_lazy("After this you can grant money from the bewonersbudget."),
                MAIL_STEP,
                NOTE_STEP,
            ),
            standard_texts=Use.APPROVAL,
        ),
        Action(
            "toekennen",
            GrantForm,
            gettext_lazy("Grant money from the bewonersbudget"),
            gettext_lazy("Grant money"),
            gettext_lazy("The money is granted. The idea's status is now ‘budget granted’."),
            (
                gettext_lazy(
                    "The amount goes from the area's bewonersbudget of this year to the idea. "
                    "The budget can never go below zero."
                ),
                gettext_lazy("The idea gets the status ‘budget granted’."),
                MAIL_STEP,
                NOTE_STEP,
            ),
            standard_texts=Use.GRANT,
            error_field="amount",
        ),
        Action(
            "afwijzen",
            RejectForm,
            gettext_lazy("Reject the idea"),
            gettext_lazy("Reject"),
            gettext_lazy("The idea is rejected. The submitter gets your explanation."),
            (
                gettext_lazy("The idea gets the status ‘rejected’. You cannot undo this."),
                gettext_lazy(
                    "The submitter gets your reason by e-mail. It is also shown with the idea "
                    "on the website."
                ),
                NOTE_STEP,
            ),
            standard_texts=Use.REJECTION,
            error_field="reason",
            danger=True,
        ),
        Action(
            "soort",
            ReclassifyForm,
            gettext_lazy("Change the kind of idea"),
            gettext_lazy("Change the kind"),
            gettext_lazy("The kind of idea is changed."),
            (
                gettext_lazy(
                    "A korte-klap idea becomes a lange-klap plan, or the other way round. The "
                    "status stays the same."
                ),
                gettext_lazy("Your reason is shown in the idea's history, also on the website."),
                gettext_lazy("Your internal note is kept with the internal notes."),
            ),
            standard_texts=Use.RECLASSIFY,
            error_field="reason",
        ),
        Action(
            "stuurgroep",
            PublicTextForm,
            gettext_lazy("Send the plan to the stuurgroep"),
            gettext_lazy("Send to the stuurgroep"),
            gettext_lazy("The plan is sent to the stuurgroep."),
            (
                gettext_lazy("The plan gets the status ‘with the stuurgroep’."),
                gettext_lazy(
                    "The stuurgroep weighs the support for the plan and decides. Its secretary "
                    "gets an e-mail."
                ),
                MAIL_STEP,
                NOTE_STEP,
            ),
            standard_texts=Use.STUURGROEP,
        ),
        Action(
            "starten",
            PublicTextForm,
            gettext_lazy("Start carrying out the idea"),
            gettext_lazy("Start carrying out"),
            gettext_lazy("The idea is being carried out now."),
            (
                gettext_lazy("The idea gets the status ‘being carried out’."),
                gettext_lazy("The residents may start. The team helps them where needed."),
                MAIL_STEP,
                NOTE_STEP,
            ),
            standard_texts=Use.OTHER,
        ),
        Action(
            "gerealiseerd",
            PublicTextForm,
            gettext_lazy("Mark the idea as realised"),
            gettext_lazy("Mark as realised"),
            gettext_lazy("The idea is marked as realised."),
            (
                gettext_lazy("The idea gets the status ‘realised’."),
                gettext_lazy(
                    "The submitter is asked to account for the money: what it really cost, "
                    "with receipts and photos."
                ),
                MAIL_STEP,
                NOTE_STEP,
            ),
            standard_texts=Use.OTHER,
        ),
        Action(
            "afronden",
            SignOffForm,
            gettext_lazy("Sign off the verantwoording"),
            gettext_lazy("Sign off the verantwoording"),
            gettext_lazy("The verantwoording is signed off. The idea is completed."),
            (
                gettext_lazy(
                    "The costs you accept are booked as spent against the money granted from "
                    "the bewonersbudget."
                ),
                gettext_lazy(
                    "What was granted but not spent goes back to the area's bewonersbudget, so "
                    "other ideas can use it."
                ),
                gettext_lazy("The idea gets the status ‘completed’. You cannot undo this."),
                gettext_lazy(
                    "Photos of the result are shown on the idea's public page only if the "
                    "submitter agreed. Receipts are never shown."
                ),
                gettext_lazy(
                    "The submitter gets an e-mail with your explanation, and is asked how "
                    "satisfied they are with how their idea was handled."
                ),
                NOTE_STEP,
            ),
            standard_texts=Use.OTHER,
            error_field="accepted_cost",
        ),
        Action(
            "verantwoording-terugsturen",
            ReturnAccountingForm,
            gettext_lazy("Send the verantwoording back"),
            gettext_lazy("Send the verantwoording back"),
            gettext_lazy("The verantwoording is sent back to the submitter with your question."),
            (
                gettext_lazy(
                    "The verantwoording goes back to the submitter. The idea keeps the status "
                    "‘realised’."
                ),
                gettext_lazy(
                    "The submitter gets your question by e-mail, can change the verantwoording "
                    "and send it again. Then it comes back into the werkvoorraad."
                ),
                gettext_lazy(
                    "Your question is also shown in the history on the idea's public page."
                ),
                NOTE_STEP,
            ),
            standard_texts=Use.QUESTION,
            error_field="question",
        ),
    ]
}

# The steps with the verantwoording: only once the submitter sent it.
ACCOUNTING_ACTIONS = ("afronden", "verantwoording-terugsturen")


def _team_steps(user, idea) -> set[str]:
    """The statuses this user may move the idea to as its wijkteam (not as the stuurgroep)."""
    return {
        to
        for to in services.allowed_transitions(user, idea)
        if workflow.TRANSITIONS[(idea.status, to)].actor == workflow.TEAM
    }


def accounting_state(idea) -> str | None:
    """The state of the idea's verantwoording (None: there is none). The review pages read it
    with the idea (``_review_idea`` annotates it); elsewhere it costs one query."""
    if not hasattr(idea, "accounting_state"):
        idea.accounting_state = (
            Accounting.objects.filter(idea=idea).values_list("state", flat=True).first()
        )
    return idea.accounting_state


def action_allowed(slug: str, user, idea) -> bool:
    """Does the action fit the idea's status (and kind) for this user?"""
    if not permissions.may_act_as(user, workflow.TEAM, idea):
        return False
    if slug in ACCOUNTING_ACTIONS:
        # The same rule as services.return_accounting and services.sign_off_accounting.
        return (
            idea.status == Status.GEREALISEERD and accounting_state(idea) == Accounting.State.SENT
        )
    steps = _team_steps(user, idea)
    if slug == "oppakken":
        return idea.status == Status.INGEDIEND and Status.IN_BEHANDELING in steps
    if slug == "vraag":
        return Status.AANVULLING_GEVRAAGD in steps or (
            idea.status == Status.INGEDIEND and Status.IN_BEHANDELING in steps
        )
    if slug == "goedkeuren":
        return Status.GOEDGEKEURD in steps and idea.kind == Kind.KORTE_KLAP
    if slug == "toekennen":
        return Status.BUDGET_TOEGEKEND in steps
    if slug == "afwijzen":
        return Status.AFGEWEZEN in steps
    if slug == "soort":
        return idea.status in OPEN_BEFORE_DECISION
    if slug == "stuurgroep":
        return Status.BIJ_STUURGROEP in steps and idea.kind == Kind.LANGE_KLAP
    if slug == "starten":
        return Status.IN_UITVOERING in steps
    if slug == "gerealiseerd":
        return Status.GEREALISEERD in steps
    return False


def available_actions(user, idea) -> list[Action]:
    return [action for slug, action in ACTIONS.items() if action_allowed(slug, user, idea)]


def _take_up(idea, *, actor, internal_note=""):
    if internal_note.strip():
        # services.take_up has no internal note: the same step, with the note.
        return services.transition(
            idea, Status.IN_BEHANDELING, actor=actor, internal_note=internal_note
        )
    return services.take_up(idea, actor=actor)


def _reclassify(idea, *, actor, kind, reason, internal_note=""):
    with transaction.atomic():
        services.reclassify_idea(idea, actor=actor, kind=kind, reason=reason)
        if internal_note.strip():
            services.add_review_note(idea, actor=actor, text=internal_note)


def perform(slug: str, idea, user, form) -> None:
    """Carry out the confirmed action through its service."""
    kwargs = form.service_kwargs()
    if slug == "oppakken":
        _take_up(idea, actor=user, **kwargs)
    elif slug == "vraag":
        services.ask_question(idea, actor=user, **kwargs)
    elif slug == "goedkeuren":
        services.approve(idea, actor=user, **kwargs)
    elif slug == "toekennen":
        amount = kwargs.pop("amount")
        services.grant(idea, amount, actor=user, **kwargs)
    elif slug == "afwijzen":
        services.reject(idea, actor=user, **kwargs)
    elif slug == "soort":
        _reclassify(idea, actor=user, internal_note=form.cleaned_data["internal_note"], **kwargs)
    elif slug == "stuurgroep":
        services.send_to_stuurgroep(idea, actor=user, **kwargs)
    elif slug == "starten":
        services.start_execution(idea, actor=user, **kwargs)
    elif slug == "gerealiseerd":
        services.mark_realised(idea, actor=user, **kwargs)
    elif slug == "afronden":
        services.sign_off_accounting(idea, actor=user, **kwargs)
    elif slug == "verantwoording-terugsturen":
        services.return_accounting(idea, actor=user, **kwargs)
    else:  # pragma: no cover - the view checks the slug first
        raise Http404


# Helpers -----------------------------------------------------------------------------------------


def _age_and_overdue(idea, today) -> None:
    idea.age_days = (
        (today - timezone.localdate(idea.submitted_at)).days if idea.submitted_at else None
    )
    idea.is_overdue = bool(
        idea.decision_due and idea.decision_due < today and idea.status in DECISION_STATUSES
    )


def _current_budget(idea):
    """The area's bewonersbudget of this year: grants come from it (budgets.services)."""
    if idea.smederij_id is None:
        return None
    if hasattr(idea, "current_budget_pk"):  # read with the idea (_page_annotations)
        if idea.current_budget_pk is None:
            return None
        return Budget(
            pk=idea.current_budget_pk,
            smederij=idea.smederij,
            year=timezone.localdate().year,
            available=idea.current_budget_available,
            is_closed=idea.current_budget_is_closed,
        )
    return (
        Budget.objects.select_related("smederij")
        .filter(smederij_id=idea.smederij_id, year=timezone.localdate().year)
        .first()
    )


@dataclass
class AccountingSummary:
    """The verantwoording with the money around it, as the review and confirm pages show it."""

    accounting: Accounting | None
    grant: Grant | None
    receipts: list
    photos: list
    booked: object = None  # what signing off with the reported costs books as spent
    goes_back: object = None  # ... and what goes back to the bewonersbudget then
    paid_more: bool = False  # more was paid already than the reported costs
    went_back: object = None  # after the sign-off: what went back


def _accounting_summary(idea, files=()) -> AccountingSummary:
    accounting = (
        Accounting.objects.select_related("signed_off_by").filter(idea=idea).first()
        if idea.status in (Status.GEREALISEERD, Status.AFGEROND)
        else None
    )
    grant = (
        Grant.objects.select_related("budget__smederij").filter(idea=idea).first()
        if idea.status in (Status.GEREALISEERD, Status.AFGEROND)
        else None
    )
    summary = AccountingSummary(
        accounting=accounting,
        grant=grant,
        receipts=[f for f in files if f.purpose == Attachment.Purpose.RECEIPT],
        photos=[f for f in files if f.purpose == Attachment.Purpose.RESULT],
    )
    if grant is None or accounting is None:
        return summary
    if grant.state == Grant.State.ACTIVE and accounting.actual_cost is not None:
        # As services.sign_off_accounting does it: the grant pays at most what was granted.
        spend = min(accounting.actual_cost, grant.amount)
        summary.paid_more = spend < grant.spent
        summary.booked = max(spend - grant.spent, 0)
        summary.goes_back = grant.amount - max(spend, grant.spent)
    elif grant.state == Grant.State.SETTLED:
        summary.went_back = (
            BudgetEntry.objects.filter(grant=grant, kind=EntryKind.RETURN).aggregate(
                total=Sum("amount")
            )["total"]
            or 0
        )
    return summary


def _review_idea(request, public_id, *, for_page=False) -> Idea:
    """The idea, for the staff of its own area only; anyone else: not found."""
    idea = get_object_or_404(
        Idea.objects.submitted()
        .select_related("smederij", "submitted_by")
        .annotate(accounting_state=F("accounting__state"), **_page_annotations(for_page)),
        public_id=public_id,
    )
    if not permissions.may_act_as(request.user, workflow.TEAM, idea):
        raise Http404
    if for_page:
        prefetch_related_objects(
            [idea],
            "budget_lines",
            # The idea's own files, and the receipts and photos of its verantwoording.
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(
                    purpose__in=[Attachment.Purpose.IDEA, *services.ACCOUNTING_FILE_PURPOSES]
                ),
                to_attr="all_files",
            ),
        )
        idea.idea_files = [f for f in idea.all_files if f.purpose == Attachment.Purpose.IDEA]
        idea.accounting_files = [f for f in idea.all_files if f.purpose != Attachment.Purpose.IDEA]
        _read_timeline(idea)
    return idea


TIMELINE_COLUMNS = ("what", "pk", "when", "a", "b", "t", "n", "m", "who", "first", "last", "email")


def _timeline_rows(queryset, what: str, person: str, when: str, **columns):
    """One part of the timeline query: the same columns from each of the three tables."""
    empty = {"a": Value(""), "b": Value(""), "n": Value(""), "m": Value(False)}
    return (
        queryset.order_by()
        .annotate(
            what=Value(what),
            when=F(when),
            **{**empty, **columns},
            who=F(person),
            first=F(f"{person}__first_name"),
            last=F(f"{person}__last_name"),
            email=F(f"{person}__email"),
        )
        .values_list(*TIMELINE_COLUMNS)
    )


def _read_timeline(idea) -> None:
    """The idea's history, the wijkteam's notes and the initiatiefgroep's remarks: one query (a
    union of the three tables), given to the page as ``idea.review_history`` and as the
    prefetched ``idea.review_notes`` and ``idea.inventory_remarks``."""
    rows = _timeline_rows(
        StatusChange.objects.filter(idea=idea),
        "change",
        "actor",
        "at",
        a=F("from_status"),
        b=F("to_status"),
        t=F("public_text"),
        n=F("internal_note"),
        m=F("mail_queued"),
    ).union(
        _timeline_rows(
            ReviewNote.objects.filter(idea=idea), "note", "author", "created_at", t=F("text")
        ),
        _timeline_rows(
            InventoryRemark.objects.filter(idea=idea), "remark", "author", "created_at", t=F("text")
        ),
        all=True,
    )
    User = get_user_model()
    parts = {"change": [], "note": [], "remark": []}
    # Each part oldest first, as the models' own ordering: (moment, pk).
    for what, pk, when, a, b, t, n, m, who, first, last, email in sorted(
        rows, key=lambda row: (row[2], row[1])
    ):
        person = User(pk=who, first_name=first, last_name=last, email=email) if who else None
        if what == "change":
            item = StatusChange(
                pk=pk,
                idea=idea,
                from_status=a,
                to_status=b,
                at=when,
                public_text=t,
                internal_note=n,
                mail_queued=m,
                actor=person,
            )
        elif what == "note":
            item = ReviewNote(pk=pk, idea=idea, author=person, text=t, created_at=when)
        else:
            item = InventoryRemark(pk=pk, idea=idea, author=person, text=t, created_at=when)
        parts[what].append(item)
    idea.review_history = parts["change"]
    for name, model, items in (
        ("review_notes", ReviewNote, parts["note"]),
        ("inventory_remarks", InventoryRemark, parts["remark"]),
    ):
        prefetched = model.objects.all()  # as prefetch_related leaves it: evaluated already
        prefetched._result_cache, prefetched._prefetch_done = items, True
        idea._prefetched_objects_cache = getattr(idea, "_prefetched_objects_cache", {})
        idea._prefetched_objects_cache[name] = prefetched


def _conditions_and_checks(idea, year) -> tuple[list, list]:
    """This year's conditions for the idea's kind, each with the idea's check of it, if any: one
    query (the check is joined, not read apart)."""
    check = "this_check__"
    rows = list(
        Condition.objects.for_year(year, idea.kind or None).annotate(
            this_check=FilteredRelation("checks", condition=Q(checks__idea=idea)),
            check_pk=F(check + "pk"),
            check_verdict=F(check + "verdict"),
            check_remark=F(check + "remark"),
            check_at=F(check + "checked_at"),
            check_by_pk=F(check + "checked_by"),
            check_by_first_name=F(check + "checked_by__first_name"),
            check_by_last_name=F(check + "checked_by__last_name"),
        )
    )
    checks = [
        ConditionCheck(
            pk=row.check_pk,
            idea=idea,
            condition=row,
            verdict=row.check_verdict,
            remark=row.check_remark,
            checked_at=row.check_at,
            checked_by=get_user_model()(
                pk=row.check_by_pk,
                first_name=row.check_by_first_name,
                last_name=row.check_by_last_name,
            )
            if row.check_by_pk
            else None,
        )
        for row in rows
        if row.check_pk is not None
    ]
    return rows, checks


def _page_annotations(for_page: bool) -> dict:
    """Read with the idea itself for the review page: the paper signatures, and the id of this
    year's bewonersbudget of its area (a korte-klap grant comes from it)."""
    if not for_page:
        return {}
    this_years_budget = Budget.objects.filter(
        smederij_id=OuterRef("smederij_id"), year=timezone.localdate().year
    )
    return {
        "paper_total": Coalesce(
            Subquery(
                PaperSupportList.objects.filter(idea=OuterRef("pk"))
                .values("idea")
                .annotate(total=Sum("count"))
                .values("total")
            ),
            0,
        ),
        **{
            f"current_budget_{field}": Subquery(this_years_budget.values(field)[:1])
            for field in ("pk", "available", "is_closed")
        },
    }


def _review_url(idea, anchor: str = "") -> str:
    url = reverse("ideas:review", kwargs={"public_id": idea.public_id})
    return f"{url}#{anchor}" if anchor else url


# The werkvoorraad --------------------------------------------------------------------------------


@login_required
@for_this_session
def review_queue(request):
    areas = team_permissions.area_ids(request.user)
    if not areas:
        raise PermissionDenied
    today = timezone.localdate()
    filters = QueueFilterForm(
        request.GET or None, areas=team_permissions.areas_for(request.user).order_by("name")
    )
    base = Idea.objects.filter(smederij_id__in=areas)
    if filters.is_valid():
        if filters.cleaned_data["kind"]:
            base = base.filter(kind=filters.cleaned_data["kind"])
        if filters.cleaned_data["smederij"]:
            base = base.filter(smederij=filters.cleaned_data["smederij"])
    # Every count of the page in one query.
    counts = base.aggregate(
        **{s.value: Count("pk", filter=Q(status=s)) for s in OPEN_STATUSES},
        overdue=Count("pk", filter=Q(status__in=DECISION_STATUSES, decision_due__lt=today)),
        accounting_sent=Count("pk", filter=accounting_sent_q()),
    )
    ideas = (
        base.filter(filters.status_filter())
        .select_related("smederij")
        .annotate(accounting_state=F("accounting__state"))
        .order_by("submitted_at", "pk")
    )
    page = Paginator(ideas, PER_PAGE).get_page(request.GET.get("pagina"))
    for idea in page.object_list:
        _age_and_overdue(idea, today)
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
            "filters": filters,
            "query": query.urlencode(),
            "is_filtered": any(query.get(name) for name in ("status", "kind", "smederij")),
            "status_counts": status_counts,
            "queue_total": sum(counts[s.value] for s in QUEUE_STATUSES),
            "overdue": counts["overdue"],
            "accounting_sent": counts["accounting_sent"],
            "today": today,
        },
    )


# The review page ---------------------------------------------------------------------------------


@login_required
@for_this_session
def review_detail(request, public_id):
    idea = _review_idea(request, public_id, for_page=True)
    year = idea.year or timezone.localdate().year
    conditions, checks = _conditions_and_checks(idea, year)
    checklist = ChecklistForm(conditions=conditions, checks=checks)
    note_form = NoteForm()
    milestone_forms = _milestone_forms(idea)
    if request.method == "POST":
        if "save_checklist" in request.POST:
            checklist = ChecklistForm(request.POST, conditions=conditions, checks=checks)
            if checklist.is_valid():
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
                return redirect(_review_url(idea, "checklist-title"))
        elif "add_note" in request.POST:
            note_form = NoteForm(request.POST)
            if note_form.is_valid():
                try:
                    services.add_review_note(
                        idea, actor=request.user, text=note_form.cleaned_data["note"]
                    )
                except ValidationError as error:
                    note_form.add_error("note", error)
                else:
                    messages.success(request, _("Your internal note is saved."))
                    return redirect(_review_url(idea, "notes-title"))
        elif "add_milestone" in request.POST or "reach_milestone" in request.POST:
            done = _milestone_post(request, idea, milestone_forms)
            if done:
                return redirect(_review_url(idea, "milestones-title"))
        elif request.POST.get("publish") in ("0", "1"):
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
            return redirect(_review_url(idea))
        else:
            return redirect(_review_url(idea))
    audit.record_view(request, idea, "contact_details")
    today = timezone.localdate()
    _age_and_overdue(idea, today)
    budget = _current_budget(idea) if idea.kind == Kind.KORTE_KLAP else None
    return render(
        request,
        "ideas/review/review.html",
        {
            "idea": idea,
            "accounting": _accounting_summary(idea, idea.accounting_files),
            "actions": available_actions(request.user, idea),
            "checklist": checklist,
            "conditions_year": year,
            "note_form": note_form,
            "support": services.support_make_up(idea),
            "budget": budget,
            "budget_year": today.year,
            "budget_link": budget is not None and may_see_budget(request.user, idea.smederij),
            "milestones": milestone_forms,
            "form_errors": bool(
                checklist.errors or note_form.errors or milestone_forms.get("has_errors")
            ),
        },
    )


# The milestones of a lange-klap plan -------------------------------------------------------------


def _milestone_forms(idea) -> dict:
    """The plan's milestones with a "reached" form for each open one, and the form to add one.
    Empty for other ideas (no query)."""
    if idea.kind != Kind.LANGE_KLAP or idea.status not in (
        *workflow.MILESTONE_STATUSES,
        Status.AFGEROND,
    ):
        return {}
    may_change = idea.status in workflow.MILESTONE_STATUSES
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


def _milestone_post(request, idea, milestone_forms: dict) -> bool:
    """Add a milestone or mark one reached through the services. True when it is done; else the
    form with its errors (and what was typed) is in ``milestone_forms`` for the page."""
    if not milestone_forms.get("add_form"):
        messages.error(request, _("Milestones are for plans that are funded or being carried out."))
        return True
    # The form exists only in a milestone status, so a refusal is about the typed field.
    if "add_milestone" in request.POST:
        form = MilestoneForm(request.POST)
        milestone_forms["add_form"] = form
        if form.is_valid():
            try:
                services.add_milestone(idea, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("title", error)
            except PermissionDenied:
                form.add_error(None, _("You may not take this step for this idea."))
            else:
                messages.success(request, _("The milestone is added. It is shown on the website."))
                return True
    else:
        milestone = next(
            (
                m
                for m in milestone_forms["list"]
                if str(m.pk) == request.POST["reach_milestone"] and m.done_on is None
            ),
            None,
        )
        if milestone is None:
            messages.error(request, _("This milestone is reached already."))
            return True
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
                return True
    milestone_forms["has_errors"] = True
    return False


# The actions' confirm pages ----------------------------------------------------------------------


@login_required
def review_action(request, public_id, action):
    idea = _review_idea(request, public_id)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    if not action_allowed(action, request.user, idea):
        if request.method == "POST":
            if action in ACCOUNTING_ACTIONS and idea.status == Status.GEREALISEERD:
                message = _(
                    "This step is not possible (any more): the verantwoording does not wait "
                    "for the wijkteam."
                )
            else:
                message = _(
                    "This step is not possible (any more): the idea has the status ‘%(status)s’."
                ) % {"status": idea.get_status_display()}
            messages.error(request, message)
            return redirect(_review_url(idea))
        raise Http404
    budget = _current_budget(idea) if action == "toekennen" else None
    form_kwargs = {"idea": idea, "budget": budget}
    accounting = None
    if action in ACCOUNTING_ACTIONS:
        accounting = _accounting_summary(idea)
    if action == "afronden":
        form_kwargs.update(accounting=accounting.accounting, grant=accounting.grant)
    chooser = None
    if spec.standard_texts and spec.form_class.text_field:
        chooser = StandardTextChoiceForm(
            request.GET if request.method == "GET" and "tekst" in request.GET else None,
            use=spec.standard_texts,
        )
        if not chooser.fields["tekst"].queryset.exists():
            chooser = None
    if request.method == "POST":
        form = spec.form_class(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                with transaction.atomic():  # a step of two transitions happens whole or not
                    perform(action, idea, request.user, form)
            except ValidationError as error:
                form.add_error(spec.error_field, error)
            except PermissionDenied:
                form.add_error(None, _("You may not take this step for this idea."))
            else:
                messages.success(request, spec.done)
                return redirect(_review_url(idea))
    else:
        initial = {}
        if chooser is not None and chooser.is_bound and chooser.is_valid():
            initial[spec.form_class.text_field] = chooser.cleaned_data["tekst"].text
        form = spec.form_class(initial=initial, **form_kwargs)
    return render(
        request,
        "ideas/review/action.html",
        {
            "idea": idea,
            "action": spec,
            "form": form,
            "chooser": chooser,
            "budget": budget,
            "accounting": accounting,
            "text_field_id": form[spec.form_class.text_field].auto_id
            if spec.form_class.text_field
            else "",
        },
    )
