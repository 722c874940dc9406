"""The stuurgroep's dossiers of lange-klap plans, each member's assessment and the positions of the
partner organisations.

Who may do what is answered in ``teams.permissions`` (the seats are the stuurgroep's own); every
change goes through ``ideas.services``. A dossier is readable by the seated members and by the
secretaries (the gebiedsregisseurs). The submitter's contact details are only for the
gebiedsregisseur of the plan's area, the internal notes only for the staff of that area. Of the
other members' assessments a member sees counts and averages, never who judged how.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from budgets.models import FundingSource
from budgets.services import funding_of
from ideas.workflow import Status
from smederijen import audit
from teams import permissions as team_permissions
from teams.models import Organisation, StuurgroepMember

from . import services
from .dossier_forms import AssessmentForm, PositionForm
from .models import (
    Assessment,
    Idea,
    InventoryRemark,
    OrganisationPosition,
    Recommendation,
    ReviewNote,
    StatusChange,
    StuurgroepDecision,
)

logger = logging.getLogger("smederijen.events")


def _through_the_stuurgroep():
    """Plans with the stuurgroep now, or on which it has decided."""
    decided = StuurgroepDecision.objects.filter(idea=OuterRef("pk"))
    return Q(status=Status.BIJ_STUURGROEP) | Q(Exists(decided))


def _refuse_unless_reader(user) -> None:
    if not team_permissions.may_read_dossiers(user):
        raise PermissionDenied


def _plan(public_id, *, with_the_stuurgroep_only=False) -> Idea:
    plans = Idea.objects.select_related("smederij")
    if with_the_stuurgroep_only:
        plans = plans.filter(status=Status.BIJ_STUURGROEP)
    else:
        plans = plans.filter(_through_the_stuurgroep())
    return get_object_or_404(plans, public_id=public_id)


def _dossier_url(idea, anchor: str = "") -> str:
    url = reverse("ideas:dossier", kwargs={"public_id": idea.public_id})
    return f"{url}#{anchor}" if anchor else url


# The list ----------------------------------------------------------------------------------------


@login_required
def dossier_list(request):
    _refuse_unless_reader(request.user)
    member = team_permissions.seated_member(request.user)
    plans = (
        Idea.objects.filter(status=Status.BIJ_STUURGROEP)
        .select_related("smederij")
        .order_by("submitted_at", "pk")
    )
    if member is not None:
        plans = plans.annotate(
            assessed=Exists(Assessment.objects.filter(idea=OuterRef("pk"), member=member))
        )
    decisions = StuurgroepDecision.objects.select_related("idea__smederij", "meeting").order_by(
        "-meeting__starts_at", "-recorded_at"
    )
    return render(
        request,
        "ideas/stuurgroep/dossiers/list.html",
        {"plans": plans, "decisions": decisions, "member": member},
    )


# The dossier -------------------------------------------------------------------------------------


@dataclass
class AssessmentSummary:
    """The assessments of a plan without names: counts and averages."""

    total: int = 0
    conflicts: int = 0
    judged: int = 0
    residents_average: float | None = None
    professionals_average: float | None = None
    recommendations: list = field(default_factory=list)  # (label, count)


def summarise(assessments) -> AssessmentSummary:
    judged = [a for a in assessments if not a.has_conflict]
    counts = Counter(a.recommendation for a in judged)
    summary = AssessmentSummary(
        total=len(assessments),
        conflicts=len(assessments) - len(judged),
        judged=len(judged),
        recommendations=[(label, counts.get(value, 0)) for value, label in Recommendation.choices],
    )
    if judged:
        summary.residents_average = sum(a.residents_support for a in judged) / len(judged)
        summary.professionals_average = sum(a.professionals_support for a in judged) / len(judged)
    return summary


def positions_per_organisation(idea) -> list[dict]:
    """Every partner organisation with its position on the plan, or None when it has none yet."""
    positions = {
        p.organisation_id: p
        for p in OrganisationPosition.objects.filter(idea=idea).select_related("recorded_by")
    }
    return [
        {"organisation": organisation, "position": positions.get(organisation.pk)}
        for organisation in Organisation.objects.order_by("name")
    ]


@login_required
def dossier(request, public_id):
    _refuse_unless_reader(request.user)
    idea = _plan(public_id)
    user = request.user
    member = team_permissions.seated_member(user)
    area_staff = team_permissions.acts_for_area(user, idea.smederij) if idea.smederij_id else False
    sees_contact = bool(idea.smederij_id) and idea.smederij.gebiedsregisseur_id == user.pk
    lookups = [
        "budget_lines",
        Prefetch(
            "history",
            queryset=StatusChange.objects.select_related("actor").order_by("at", "pk"),
            to_attr="dossier_history",
        ),
        Prefetch(
            "inventory_remarks",
            queryset=InventoryRemark.objects.select_related("author", "initiatiefgroep"),
        ),
        Prefetch("funding_sources", queryset=FundingSource.objects.order_by("pk")),
        Prefetch(
            "decisions",
            queryset=StuurgroepDecision.objects.select_related("meeting"),
            to_attr="dossier_decisions",
        ),
    ]
    if area_staff:
        lookups.append(
            Prefetch("review_notes", queryset=ReviewNote.objects.select_related("author"))
        )
    prefetch_related_objects([idea], *lookups)
    assessments = list(Assessment.objects.filter(idea=idea))
    own = next((a for a in assessments if member and a.member_id == member.pk), None)
    if sees_contact:
        audit.record_view(request, idea, "contact_details")
    return render(
        request,
        "ideas/stuurgroep/dossiers/dossier.html",
        {
            "idea": idea,
            "member": member,
            "own": own,
            "may_assess": member is not None and idea.status == Status.BIJ_STUURGROEP,
            "may_record_position": bool(team_permissions.organisation_ids(user))
            and idea.status == Status.BIJ_STUURGROEP,
            "summary": summarise(assessments),
            "seated": StuurgroepMember.objects.seated().count(),
            "area_staff": area_staff,
            "sees_contact": sees_contact,
            "support": services.support_make_up(idea),
            "funding": funding_of(idea),
            "positions": positions_per_organisation(idea),
        },
    )


# The assessment ----------------------------------------------------------------------------------


@login_required
def assessment(request, public_id):
    member = team_permissions.seated_member(request.user)
    if member is None:
        raise PermissionDenied
    idea = _plan(public_id)
    own = Assessment.objects.filter(idea=idea, member=member).first()
    if idea.status != Status.BIJ_STUURGROEP:
        # Decided: the assessment stays as it was.
        return render(
            request, "ideas/stuurgroep/dossiers/assessment_closed.html", {"idea": idea, "own": own}
        )
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.assess(
                    idea,
                    actor=request.user,
                    residents_support=data["residents_support"],
                    professionals_support=data["professionals_support"],
                    recommendation=data["recommendation"],
                    remark=data["remark"],
                    has_conflict=data["has_conflict"],
                    conflict_note=data["conflict_note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your conflict of interest is recorded. You do not vote on this plan.")
                    if data["has_conflict"]
                    else _("Your assessment is saved. You can change it until the decision."),
                )
                return redirect(_dossier_url(idea, "assessments-title"))
    else:
        form = AssessmentForm(initial=AssessmentForm.initial_from(own))
    return render(
        request,
        "ideas/stuurgroep/dossiers/assessment.html",
        {"idea": idea, "own": own, "form": form},
    )


# The position of an organisation -----------------------------------------------------------------


@login_required
def position(request, public_id):
    organisation_ids = team_permissions.organisation_ids(request.user)
    if not organisation_ids:
        raise PermissionDenied
    idea = _plan(public_id, with_the_stuurgroep_only=True)
    organisations = Organisation.objects.filter(pk__in=organisation_ids).order_by("name")
    current = list(
        OrganisationPosition.objects.filter(idea=idea, organisation__in=organisation_ids)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    if request.method == "POST":
        form = PositionForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_position(
                    idea,
                    data["organisation"],
                    actor=request.user,
                    stance=data["stance"],
                    explanation=data["explanation"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The position of %(organisation)s is saved.")
                    % {"organisation": data["organisation"].name},
                )
                if team_permissions.may_read_dossiers(request.user):
                    return redirect(_dossier_url(idea, "professionals-title"))
                return redirect(reverse("ideas:position", kwargs={"public_id": idea.public_id}))
    else:
        initial = {}
        if len(current) == 1 and len(organisation_ids) == 1:
            initial = {"stance": current[0].stance, "explanation": current[0].explanation}
        form = PositionForm(initial=initial, organisations=organisations)
    return render(
        request,
        "ideas/stuurgroep/dossiers/position.html",
        {
            "idea": idea,
            "form": form,
            "current": current,
            "reads_dossiers": team_permissions.may_read_dossiers(request.user),
        },
    )
