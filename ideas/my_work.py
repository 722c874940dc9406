"""Mijn werk: what waits for one member of staff, read in a fixed number of queries.

Each list is a count with the first few rows, each row a link to the page where the work is done;
which lists a person gets follows from what they may open (``ideas.permissions``,
``teams.permissions``). Nothing here decides or changes anything.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ideas import permissions
from ideas.workflow import DECISION_STATUSES, QUEUE_STATUSES, Status
from teams import permissions as team_permissions

from .models import Assessment, Idea, Meeting, Overleg, StatusChange
from .review_forms import ACCOUNTING_SENT, ASSIGNED_TO_ME
from .review_reads import review_url

SHOWN = 5  # rows per list; the count says how many there are in all
DUE_SOON_DAYS = 7


@dataclass
class WorkList:
    key: str
    title: str
    empty: str
    count: int = 0
    rows: list = field(default_factory=list)  # of WorkRow
    more_url: str = ""
    more_label: str = ""


@dataclass
class WorkRow:
    url: str
    label: str
    detail: str = ""
    date: object = None  # a date shown after the label, when it matters
    overdue: bool = False


def _last_from_status():
    """The status an idea came from in its latest change (an answered question: from
    ``aanvulling_gevraagd`` back to ``in_behandeling``)."""
    return Subquery(
        StatusChange.objects.filter(idea=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("from_status")[:1]
    )


def _queue_url(**query) -> str:
    url = reverse("ideas:review-queue")
    return f"{url}?{urlencode(query)}" if query else url


def _idea_rows(ideas, today) -> list[WorkRow]:
    return [
        WorkRow(
            url=review_url(idea),
            label=f"{idea.reference} {idea.title}",
            detail=idea.smederij.name,
            date=idea.decision_due if idea.status in DECISION_STATUSES else None,
            overdue=bool(
                idea.status in DECISION_STATUSES and idea.decision_due and idea.decision_due < today
            ),
        )
        for idea in ideas
    ]


def area_work(user, today) -> list[WorkList]:
    """The wijkteam's work in the areas this person acts for: new ideas, decisions overdue or due
    within a week, questions the submitter answered, verantwoordingen to sign off. One query
    counts them all; one query per list reads its first rows."""
    ideas = (
        Idea.objects.filter(smederij_id__in=team_permissions.area_ids(user))
        .exclude(status=Status.CONCEPT)
        .annotate(last_from=_last_from_status())
    )
    soon = today + timedelta(days=DUE_SOON_DAYS)
    filters = {
        "mine": Q(behandelaar=user, status__in=QUEUE_STATUSES),
        "new": Q(status=Status.INGEDIEND),
        "overdue": Q(status__in=DECISION_STATUSES, decision_due__lt=today),
        "due_soon": Q(
            status__in=DECISION_STATUSES, decision_due__gte=today, decision_due__lte=soon
        ),
        "answered": Q(status=Status.IN_BEHANDELING, last_from=Status.AANVULLING_GEVRAAGD),
        "accounting": permissions.accounting_waits_for_team_q(),
    }
    counts = ideas.aggregate(**{k: Count("pk", filter=q) for k, q in filters.items()})
    lists = [
        WorkList(
            "mine",
            _("Assigned to you"),
            _("No idea is assigned to you."),
            more_url=_queue_url(behandelaar=ASSIGNED_TO_ME),
        ),
        WorkList(
            "new",
            _("New ideas"),
            _("No new ideas wait to be taken up."),
            more_url=_queue_url(status=Status.INGEDIEND),
        ),
        WorkList(
            "overdue",
            _("Decisions that are overdue"),
            _("No decision is overdue."),
            more_url=_queue_url(),
        ),
        WorkList(
            "due_soon",
            _("Decisions due within a week"),
            _("No decision is due within a week."),
            more_url=_queue_url(),
        ),
        WorkList(
            "answered",
            _("Questions the submitter answered"),
            _("No submitter answered a question."),
            more_url=_queue_url(status=Status.IN_BEHANDELING),
        ),
        WorkList(
            "accounting",
            _("Verantwoordingen to sign off"),
            _("No verantwoording waits for you."),
            more_url=_queue_url(status=ACCOUNTING_SENT),
        ),
    ]
    order = {
        "mine": ("decision_due", "submitted_at", "pk"),
        "new": ("submitted_at", "pk"),
        "overdue": ("decision_due", "submitted_at", "pk"),
        "due_soon": ("decision_due", "submitted_at", "pk"),
        "answered": ("submitted_at", "pk"),
        "accounting": ("submitted_at", "pk"),
    }
    for work in lists:
        work.count = counts[work.key]
        work.more_label = _("All in the werkvoorraad")
        if work.count:
            work.rows = _idea_rows(
                ideas.filter(filters[work.key])
                .select_related("smederij")
                .order_by(*order[work.key])[:SHOWN],
                today,
            )
    return lists


def stuurgroep_work(user, now) -> list[WorkList]:
    """Dossiers this member has not assessed yet (a secretary: the plans of his areas with the
    stuurgroep) and the meetings to come."""
    member = team_permissions.seated_member(user)
    plans = Idea.objects.filter(status=Status.BIJ_STUURGROEP).select_related("smederij")
    if member is not None:
        plans = plans.exclude(Exists(Assessment.objects.filter(idea=OuterRef("pk"), member=member)))
        dossiers = WorkList(
            "dossiers",
            _("Dossiers to assess"),
            _("You have assessed every plan with the stuurgroep."),
        )
    else:
        plans = plans.filter(smederij_id__in=team_permissions.area_ids(user))
        dossiers = WorkList(
            "dossiers",
            _("Plans of your areas with the stuurgroep"),
            _("No plan of your areas is with the stuurgroep."),
        )
    dossiers.more_url = reverse("ideas:dossier-list")
    dossiers.more_label = _("All dossiers")
    dossiers.count = plans.count()
    dossiers.rows = [
        WorkRow(
            url=reverse("ideas:dossier", kwargs={"public_id": idea.public_id}),
            label=f"{idea.reference} {idea.title}",
            detail=idea.smederij.name,
        )
        for idea in plans.order_by("submitted_at", "pk")[:SHOWN]
    ]
    meetings = WorkList(
        "meetings",
        _("Meetings to come"),
        _("No meeting has been planned."),
        more_url=reverse("ideas:meeting-list"),
        more_label=_("All meetings"),
    )
    coming = Meeting.objects.filter(starts_at__gte=now)
    meetings.count = coming.count()
    meetings.rows = [
        WorkRow(
            url=reverse("ideas:meeting", kwargs={"pk": meeting.pk}),
            label=meeting.place,
            date=timezone.localtime(meeting.starts_at),
            detail=ngettext(
                "%(count)s plan on the agenda", "%(count)s plans on the agenda", meeting.plan_count
            )
            % {"count": meeting.plan_count},
        )
        for meeting in coming.annotate(plan_count=Count("items")).order_by("starts_at")[:SHOWN]
    ]
    return [dossiers, meetings]


def overleg_work(user, now) -> list[WorkList]:
    """The wijkoverleggen of this person's areas still to come, and those whose minutes wait to be
    made final (two queries)."""
    overleggen = (
        Overleg.objects.filter(smederijen__in=team_permissions.area_ids(user))
        .filter(
            Q(state=Overleg.State.GEPLAND, ends_at__gte=now - timedelta(days=1))
            | Q(state=Overleg.State.VERSLAG)
        )
        .distinct()
    )
    work = WorkList(
        "overleggen",
        _("Wijkoverleg: to come, or minutes to make final"),
        _("No wijkoverleg has been planned."),
        more_url=reverse("ideas:overleg-list"),
        more_label=_("All wijkoverleggen"),
    )
    work.count = overleggen.count()
    rows = overleggen.prefetch_related("smederijen").annotate(points=Count("items", distinct=True))
    for overleg in rows.order_by("starts_at", "pk")[:SHOWN]:
        points = ngettext("%(count)s point", "%(count)s points", overleg.points) % {
            "count": overleg.points
        }
        minutes = _("minutes to make final") if overleg.state == Overleg.State.VERSLAG else ""
        work.rows.append(
            WorkRow(
                url=reverse("ideas:overleg", kwargs={"public_id": overleg.public_id}),
                label=", ".join(area.name for area in overleg.smederijen.all()),
                detail=f"{points} · {minutes}" if minutes else points,
                date=timezone.localtime(overleg.starts_at),
            )
        )
    return [work]
