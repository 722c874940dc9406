"""The werkvoorraad as a file (CSV, Excel) and on paper, and the review page's print view: the
dossier of one idea for a meeting. Without anyone's contact details and without the team's
internal notes, so it may lie on the table; the downloads are rows of the audit trail."""

import tablib
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets import services as budget_services
from ideas.workflow import DECISION_STATUSES
from smederijen import audit
from smederijen.exports import EXPORT_TYPES, file_response

from . import services
from .models import Kind
from .review_reads import age_and_overdue, conditions_and_checks, read_timeline, review_idea
from .review_views import queue_selection

PRINTED_AT_MOST = 500  # rows of the printed werkvoorraad; more: choose filters first


def _name(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def queue_dataset(ideas, today) -> tablib.Dataset:
    """One row per idea with typed values (dates as dates, amounts in euro as Decimal)."""
    ideas = list(ideas)
    money = budget_services.money_by_idea(ideas)
    data = tablib.Dataset(
        headers=[
            _("Reference"),
            _("Title"),
            _("Smederij"),
            _("Kind"),
            _("Status"),
            _("Submitted"),
            _("Days since sent in"),
            _("Decision due"),
            _("Overdue"),
            _("Handled by"),
            _("Asked (euro)"),
            _("Granted (euro)"),
            _("Paid (euro)"),
            _("Returned (euro)"),
        ],
        title=_("Werkvoorraad"),
    )
    for idea in ideas:
        age_and_overdue(idea, today)
        got = money.get(idea.pk)
        data.append(
            [
                idea.reference,
                idea.title,
                idea.smederij.name,
                idea.get_kind_display(),
                idea.get_status_display(),
                timezone.localdate(idea.submitted_at) if idea.submitted_at else None,
                idea.age_days,
                idea.decision_due if idea.status in DECISION_STATUSES else None,
                _("yes") if idea.is_overdue else _("no"),
                _name(idea.behandelaar),
                idea.amount_requested,
                got.granted if got else None,
                got.paid if got else None,
                got.returned if got else None,
            ]
        )
    return data


@login_required
def queue_export(request, fmt):
    if fmt not in EXPORT_TYPES:
        raise Http404
    _filters, ideas = queue_selection(request)
    dataset = queue_dataset(ideas, timezone.localdate())
    audit.record_export(request, "export.ideas", count=len(dataset))
    return file_response(dataset, fmt, _("werkvoorraad-%(day)s") % {"day": timezone.localdate()})


@login_required
def queue_print(request):
    filters, ideas = queue_selection(request)
    today = timezone.localdate()
    rows = list(ideas[: PRINTED_AT_MOST + 1])
    for idea in rows:
        age_and_overdue(idea, today)
    chosen = [
        (field.label, dict(field.field.choices).get(field.value(), field.value()))
        for field in filters
        if filters.is_bound and field.value()
    ]
    return render(
        request,
        "ideas/review/queue_print.html",
        {
            "ideas": rows[:PRINTED_AT_MOST],
            "more": len(rows) > PRINTED_AT_MOST,
            "at_most": PRINTED_AT_MOST,
            "chosen": chosen,
            "today": today,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def review_print(request, public_id):
    """The dossier of one idea for a meeting: what it is, the money, the support, the voorwaarden
    as the team checked them, the initiatiefgroep's remarks and the public history."""
    idea = review_idea(request, public_id, for_page=True)
    age_and_overdue(idea, timezone.localdate())
    year = idea.year or timezone.localdate().year
    conditions, checks = conditions_and_checks(idea, year)
    verdicts = {check.condition_id: check for check in checks}
    timeline = read_timeline(idea)
    return render(
        request,
        "ideas/review/review_print.html",
        {
            "idea": idea,
            "conditions": [(c, verdicts.get(c.pk)) for c in conditions],
            "conditions_year": year,
            "timeline": timeline,
            "support": services.support_make_up(idea),
            "money": budget_services.money_by_idea([idea]).get(idea.pk),
            "funding": budget_services.funding_of(idea) if idea.kind == Kind.LANGE_KLAP else None,
            "printed_at": timezone.localtime(),
        },
    )
