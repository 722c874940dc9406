"""What the wijkteam's review pages read, in few queries whatever the number of rows: the idea for
the staff of its own area, its history with the notes and remarks (one query), the conditions with
the idea's checks (one query), this year's budget and the verantwoording with its money.

Nothing here decides or changes anything: the rules are in ``ideas.permissions`` and
``ideas.services``, the money's sums in ``budgets/services/sums.py``.
"""

import functools
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets import services as budget_services
from budgets.models import Budget, Grant
from ideas import permissions
from ideas.workflow import DECISION_STATUSES, TEAM, WITH_ACCOUNTING
from smederijen.prepared import Prepared

from . import services
from .models import (
    Accounting,
    Assignment,
    Attachment,
    BudgetLine,
    Condition,
    ConditionCheck,
    Idea,
    InventoryRemark,
    ItemRemark,
    Overleg,
    OverlegItem,
    PaperSupportList,
    Recommendation,
    ReviewNote,
    StatusChange,
)


def review_url(idea, anchor: str = "") -> str:
    url = reverse("ideas:review", kwargs={"public_id": idea.public_id})
    return f"{url}#{anchor}" if anchor else url


# The idea ----------------------------------------------------------------------------------------


def review_idea(request, public_id, *, for_page=False) -> Idea:
    """The idea, for the staff of its own area only; anyone else: not found. ``for_page``: with
    what the review page shows of it (its paper signatures, this year's budget); its budget
    lines and files come with its timeline (``read_timeline``)."""
    year = timezone.localdate().year
    if connection.vendor == "postgresql":
        marks = {"public_id": public_id, **({"year": year} if for_page else {})}
        found = _review_query(for_page).objects(**marks)
    else:
        found = _review_ideas(for_page, year).filter(public_id=public_id)
    idea = next(iter(found), None)
    if idea is None or not permissions.may_act_as(request.user, TEAM, idea):
        raise Http404
    return idea


def _review_ideas(for_page: bool, year: int):
    return (
        Idea.objects.submitted()
        .select_related("smederij", "submitted_by")
        .annotate(accounting_state=F("accounting__state"), **_page_annotations(for_page, year))
    )


@functools.cache
def _review_query(for_page: bool) -> Prepared:
    """``_review_ideas`` for one idea as SQL built once per worker (building it took a seventh
    of the review page's time)."""
    no_idea, no_year = uuid.UUID(int=0), 32000  # marks: no idea and no budget has them
    return Prepared(
        _review_ideas(for_page, no_year).filter(public_id=no_idea),
        public_id=no_idea,
        **({"year": no_year} if for_page else {}),
    )


def _page_annotations(for_page: bool, year: int) -> dict:
    """Read with the idea itself for the review page: the paper signatures, and the id of this
    year's bewonersbudget of its area (a korte-klap grant comes from it)."""
    if not for_page:
        return {}
    this_years_budget = Budget.objects.filter(smederij_id=OuterRef("smederij_id"), year=year)
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
            f"current_budget_{field}": Subquery(this_years_budget.order_by().values(field)[:1])
            for field in ("pk", "available", "is_closed")
        },
    }


def accounting_state(idea) -> str | None:
    """The state of the idea's verantwoording (None: there is none). The review pages read it
    with the idea (``review_idea`` annotates it); elsewhere it costs one query."""
    if not hasattr(idea, "accounting_state"):
        idea.accounting_state = (
            Accounting.objects.filter(idea=idea).values_list("state", flat=True).first()
        )
    return idea.accounting_state


def age_and_overdue(idea, today) -> None:
    idea.age_days = (
        (today - timezone.localdate(idea.submitted_at)).days if idea.submitted_at else None
    )
    idea.is_overdue = bool(
        idea.decision_due and idea.decision_due < today and idea.status in DECISION_STATUSES
    )


def current_budget(idea):
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


# The history, the notes and the remarks ----------------------------------------------------------


@dataclass
class Timeline:
    """The idea's history, the wijkteam's notes, the initiatiefgroep's remarks and who handled
    the idea (and who chose them), each oldest first (as the models' own ordering: moment, pk);
    and the rows the review page lists with the idea: its files and its budget lines."""

    history: list
    notes: list
    remarks: list
    assignments: list
    advices: list  # the wijkoverleg's advice on the idea (final minutes only), oldest first
    # The wijkoverleggen still to come with the idea on their agenda: (moment, public id).
    on_agenda: list = field(default_factory=list)
    idea_files: list = field(default_factory=list)  # sent with the idea
    accounting_files: list = field(default_factory=list)  # receipts, photos of the result
    # The idea itself, its budget lines read with the rest: ``idea.budget_lines.all`` (and the
    # total) asks nothing more.
    idea: Idea | None = None


TIMELINE_COLUMNS = ("what", "pk", "when", "a", "b", "t", "n", "m", "who", "first", "last", "email")


def _timeline_rows(queryset, what: str, person: str | None, when: str | None, **columns):
    """One part of the timeline query: the same columns from each of the tables (``person``:
    who wrote or did it; None: nobody, ``when`` None: no moment)."""
    empty = {"a": Value(""), "b": Value(""), "t": Value(""), "n": Value(""), "m": Value(False)}
    people = (
        {
            "who": F(person),
            "first": F(f"{person}__first_name"),
            "last": F(f"{person}__last_name"),
            "email": F(f"{person}__email"),
        }
        if person
        else {
            "who": Value(None, output_field=IntegerField()),
            **{name: Value("") for name in ("first", "last", "email")},
        }
    )
    return (
        queryset.order_by()
        .annotate(
            what=Value(what),
            when=F(when) if when else Value(None, output_field=DateTimeField()),
            **{**empty, **columns},
            **people,
        )
        .values_list(*TIMELINE_COLUMNS)
    )


def _timeline_union(idea):
    """The rows of the idea's timeline from each table, as one union (``TIMELINE_COLUMNS``)."""
    return _timeline_rows(
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
        # Two people: who chose (the usual columns) and who was chosen (a, b, t; m: anybody).
        _timeline_rows(
            Assignment.objects.filter(idea=idea),
            "assign",
            "assigned_by",
            "at",
            a=F("behandelaar__first_name"),
            b=F("behandelaar__last_name"),
            t=F("behandelaar__email"),
            m=ExpressionWrapper(Q(behandelaar__isnull=False), output_field=BooleanField()),
        ),
        # The wijkoverleg's advice: when it met, the advice (a), its reason (t), the public
        # summary (n), and its chair.
        _timeline_rows(
            OverlegItem.objects.filter(idea=idea, overleg__state=Overleg.State.AFGESLOTEN).exclude(
                advice=""
            ),
            "advice",
            "overleg__chair",
            "overleg__starts_at",
            a=F("advice"),
            t=F("advice_reason"),
            n=F("public_summary"),
        ),
        # A remark before a wijkoverleg: its advice (a) and text (t), with the remarks.
        _timeline_rows(
            ItemRemark.objects.filter(item__idea=idea),
            "prepared",
            "author",
            "written_at",
            a=F("advice"),
            t=F("text"),
        ),
        # On the agenda of a wijkoverleg still to come: when, and its public id (t).
        _timeline_rows(
            OverlegItem.objects.filter(idea=idea, overleg__state=Overleg.State.GEPLAND),
            "agenda",
            "overleg__chair",
            "overleg__starts_at",
            t=Cast("overleg__public_id", output_field=CharField()),
        ),
        # The idea's files and its verantwoording's: purpose (a), kind (b), name (t), public id
        # (n), shown on the public page (m).
        _timeline_rows(
            Attachment.objects.filter(
                idea=idea,
                purpose__in=[Attachment.Purpose.IDEA, *services.ACCOUNTING_FILE_PURPOSES],
            ),
            "file",
            None,
            "uploaded_at",
            a=F("purpose"),
            b=F("file_kind"),
            t=F("original_name"),
            n=Cast("public_id", output_field=CharField()),
            m=F("is_public"),
        ),
        # The begroting's lines: what (t), the amount (n) and the position (a), as text.
        _timeline_rows(
            BudgetLine.objects.filter(idea=idea),
            "line",
            None,
            None,
            a=Cast("position", output_field=CharField()),
            t=F("item"),
            n=Cast("amount", output_field=CharField()),
        ),
        all=True,
    )


@functools.cache
def _timeline_query() -> Prepared:
    """``_timeline_union`` as SQL built once per worker (building the union of seven tables took
    a tenth of the review page's time)."""
    mark = -1  # no idea has this key
    return Prepared(_timeline_union(Idea(pk=mark)), idea=mark)


def _timeline_of(idea) -> list:
    """The rows of the idea's timeline (``TIMELINE_COLUMNS``)."""
    if connection.vendor != "postgresql":
        return list(_timeline_union(idea))
    return _timeline_query().rows(idea=idea.pk)


def read_timeline(idea) -> Timeline:
    """The lists in one query: a union of the tables (the initiatiefgroep's remarks before a
    wijkoverleg join its inventory remarks), with the idea's files and budget lines."""
    User = get_user_model()
    timeline = Timeline(history=[], notes=[], remarks=[], assignments=[], advices=[], idea=idea)
    lines = []
    # Moments in order (then keys); the budget lines have none.
    for what, pk, when, a, b, t, n, m, who, first, last, email in sorted(
        _timeline_of(idea), key=lambda row: (row[2] is not None, row[2] or 0, row[1])
    ):
        person = User(pk=who, first_name=first, last_name=last, email=email) if who else None
        if what == "line":
            lines.append(BudgetLine(pk=pk, idea=idea, item=t, amount=Decimal(n), position=int(a)))
            continue
        if what == "file":
            file = Attachment(
                pk=pk,
                idea=idea,
                purpose=a,
                file_kind=b,
                original_name=t,
                public_id=uuid.UUID(n),
                is_public=m,
                uploaded_at=when,
            )
            if a == Attachment.Purpose.IDEA:
                timeline.idea_files.append(file)
            else:
                timeline.accounting_files.append(file)
            continue
        if what == "change":
            timeline.history.append(
                StatusChange(
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
            )
        elif what == "prepared":
            advice = Recommendation(a).label if a else ""
            text = (
                _("Before the wijkoverleg (advice: %(advice)s): %(text)s")
                % {"advice": advice, "text": t}
                if advice
                else _("Before the wijkoverleg: %(text)s") % {"text": t}
            )
            timeline.remarks.append(
                InventoryRemark(pk=pk, idea=idea, author=person, text=text, created_at=when)
            )
        elif what == "agenda":
            timeline.on_agenda.append((when, uuid.UUID(t)))
        elif what == "advice":
            timeline.advices.append(
                OverlegItem(
                    pk=pk,
                    idea=idea,
                    advice=a,
                    advice_reason=t,
                    public_summary=n,
                    overleg=Overleg(starts_at=when, chair=person),
                )
            )
        elif what == "assign":
            chosen = User(first_name=a or "", last_name=b or "", email=t or "") if m else None
            timeline.assignments.append(
                Assignment(pk=pk, idea=idea, behandelaar=chosen, assigned_by=person, at=when)
            )
        elif what == "note":
            timeline.notes.append(
                ReviewNote(pk=pk, idea=idea, author=person, text=t, created_at=when)
            )
        else:
            timeline.remarks.append(
                InventoryRemark(pk=pk, idea=idea, author=person, text=t, created_at=when)
            )
    lines.sort(key=lambda line: (line.position, line.pk))
    _as_prefetched(idea, "budget_lines", lines)
    return timeline


def _as_prefetched(instance, name: str, rows: list) -> None:
    """``instance.<name>.all()`` gives ``rows`` without a query, as after ``prefetch_related``."""
    queryset = getattr(instance, name).all()
    queryset._result_cache, queryset._prefetch_done = rows, True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


# The conditions ----------------------------------------------------------------------------------


def conditions_and_checks(idea, year) -> tuple[list, list]:
    """This year's conditions for the idea's kind, each with the idea's check of it, if any: one
    query (the check is joined, not read apart)."""
    if connection.vendor == "postgresql":
        kinds = {"kind": idea.kind} if idea.kind else {}
        rows = _conditions_query(bool(idea.kind)).objects(year=year, idea=idea.pk, **kinds)
    else:
        rows = list(_conditions_with_check(year, idea.kind or None, idea.pk))
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


def _conditions_with_check(year, kind, idea_pk):
    check = "this_check__"
    return Condition.objects.for_year(year, kind).annotate(
        this_check=FilteredRelation("checks", condition=Q(checks__idea_id=idea_pk)),
        check_pk=F(check + "pk"),
        check_verdict=F(check + "verdict"),
        check_remark=F(check + "remark"),
        check_at=F(check + "checked_at"),
        check_by_pk=F(check + "checked_by"),
        check_by_first_name=F(check + "checked_by__first_name"),
        check_by_last_name=F(check + "checked_by__last_name"),
    )


@functools.cache
def _conditions_query(of_a_kind: bool) -> Prepared:
    """``_conditions_with_check`` as SQL built once per worker (for an idea with a kind, and for
    one without)."""
    marks = {"year": 32000, "idea": -1, **({"kind": "(no kind)"} if of_a_kind else {})}
    return Prepared(
        _conditions_with_check(marks["year"], marks.get("kind"), marks["idea"]), **marks
    )


# The verantwoording ------------------------------------------------------------------------------


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


def accounting_summary(idea, files=()) -> AccountingSummary:
    """What signing off would book and return is ``budgets.services.settlement_of``, as the sign-off
    itself (``services.sign_off_accounting``) books it."""
    with_accounting = idea.status in WITH_ACCOUNTING
    summary = AccountingSummary(
        accounting=Accounting.objects.select_related("signed_off_by").filter(idea=idea).first()
        if with_accounting
        else None,
        grant=Grant.objects.select_related("budget__smederij").filter(idea=idea).first()
        if with_accounting
        else None,
        receipts=[f for f in files if f.purpose == Attachment.Purpose.RECEIPT],
        photos=[f for f in files if f.purpose == Attachment.Purpose.RESULT],
    )
    accounting, grant = summary.accounting, summary.grant
    if grant is None or accounting is None:
        return summary
    if grant.state == Grant.State.ACTIVE and accounting.actual_cost is not None:
        settled = budget_services.settlement_of(grant, accounting.actual_cost)
        summary.booked, summary.goes_back = settled.to_book, settled.goes_back
        summary.paid_more = settled.paid_more
    elif grant.state == Grant.State.SETTLED:
        summary.went_back = budget_services.grant_money(grant).returned
    return summary
