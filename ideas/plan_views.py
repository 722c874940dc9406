"""The lange-klap plans in public: the overview of running plans per Smederij, the progress of a
plan along its milestones, and the two small milestone forms of the review page.

Only what may be public is read here: the plan, its status and its milestones. Never contact
details, never the stuurgroep's votes.
"""

from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideas.workflow import MILESTONE_STATUSES, Status
from smederijen.fields import DateField
from smederijen.forms import PortalForm

from .forms import inline_helper
from .models import Idea, Kind, Milestone, StatusChange

# Running plans are those with milestones (workflow.MILESTONE_STATUSES: funded or being funded,
# carried out, realised); completed ones are shown for a year more.
COMPLETED_SHOWN_FOR = timedelta(days=365)


@dataclass(frozen=True)
class Progress:
    milestones: list
    done: int
    total: int
    next: Milestone | None


def progress_of(milestones) -> Progress:
    """Done / total and the next step, from milestones in their order (Milestone.Meta)."""
    milestones = list(milestones)
    done = sum(1 for m in milestones if m.done_on is not None)
    upcoming = next((m for m in milestones if m.done_on is None), None)
    return Progress(milestones=milestones, done=done, total=len(milestones), next=upcoming)


def running_plans():
    """The published lange-klap plans on their way, with their milestones (two queries)."""
    since = timezone.now() - COMPLETED_SHOWN_FOR
    completed_lately = Exists(
        StatusChange.objects.filter(idea=OuterRef("pk"), to_status=Status.AFGEROND, at__gte=since)
    )
    return (
        Idea.objects.published()
        .filter(kind=Kind.LANGE_KLAP)
        .filter(Q(status__in=MILESTONE_STATUSES) | Q(completed_lately, status=Status.AFGEROND))
        .select_related("smederij")
        .prefetch_related("milestones")
        .order_by("smederij__name", "title", "pk")
    )


def plan_overview(request):
    groups = []
    for plan in running_plans():
        plan.progress = progress_of(plan.milestones.all())
        if not groups or groups[-1]["smederij"] != plan.smederij:
            groups.append({"smederij": plan.smederij, "plans": []})
        groups[-1]["plans"].append(plan)
    return render(
        request,
        "ideas/plan_overview.html",
        {"groups": groups, "plan_total": sum(len(g["plans"]) for g in groups)},
    )


# The milestone forms of the review page ----------------------------------------------------------


class MilestoneForm(PortalForm):
    """A new step of the plan (ideas.services.add_milestone)."""

    title = forms.CharField(
        label=_("What is the step?"),
        max_length=150,
        help_text=_("For example: “Permit granted” or “Work starts”. Shown on the website."),
        error_messages={"required": _("Fill in what the milestone is.")},
    )
    planned_on = DateField(
        label=_("Planned date"),
        error_messages={"required": _("Fill in when the step is planned.")},
    )
    public_note = forms.CharField(
        label=_("Short note for the website"),
        max_length=300,
        required=False,
        help_text=_("Optional. Everyone can read it: no names or personal details."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "milestone")
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()
        for field in self.fields.values():
            field.error_messages.setdefault(
                "max_length", _("Use at most %(limit_value)d characters.")
            )


class MilestoneReachedForm(PortalForm):
    """A step is reached (ideas.services.complete_milestone); one form per open milestone."""

    done_on = DateField(
        label=_("Reached on"),
        error_messages={"required": _("Fill in the date the step was reached.")},
    )

    def __init__(self, *args, milestone, **kwargs):
        kwargs.setdefault("prefix", f"reached-{milestone.pk}")
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.milestone = milestone
        self.helper = inline_helper()
