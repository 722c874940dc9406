"""Who may see and do what with an idea.

A visitor who is not signed in owns the concept they started in this browser: its id is kept in
their session (``SESSION_KEY``) until they confirm their e-mail address and the concept becomes
part of their account.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from budgets import services as budget_services
from ideas.workflow import (
    EDITABLE_BY_SUBMITTER,
    OPEN_BEFORE_DECISION,
    STOPPED,
    STUURGROEP,
    SUBMITTER,
    TEAM,
    Status,
)
from smederijen.templatetags.money import format_euro
from teams import permissions as team_permissions
from teams.models import Membership

from .models import Accounting, Attachment, Idea, Kind

SESSION_KEY = "smederijen_concepts"


def session_concepts(session) -> list[str]:
    return list(session.get(SESSION_KEY, []))


def owns_idea(user, idea, session=None) -> bool:
    """The submitter: the account it belongs to, or the browser that started the concept."""
    if idea.submitted_by_id is not None:
        return user.is_authenticated and idea.submitted_by_id == user.pk
    return session is not None and str(idea.public_id) in session_concepts(session)


def can_edit_idea(user, idea, session=None) -> bool:
    return idea.status in EDITABLE_BY_SUBMITTER and owns_idea(user, idea, session)


def is_area_staff(user, idea) -> bool:
    """The wijkteam of the idea's area, its gebiedsregisseur, and support staff (every area)."""
    return team_permissions.may_see_area(user, idea.smederij_id)


def initiatiefgroep_area_ids(user) -> frozenset[int]:
    """The areas of the active initiatiefgroepen this user is a member of (read once a request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_smederijen_group_areas", None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user=user, initiatiefgroep__is_active=True).values_list(
                "initiatiefgroep__smederij_id", flat=True
            )
        )
        user._smederijen_group_areas = cached
    return cached


def is_initiatiefgroep_member(user, smederij_id) -> bool:
    if smederij_id is None:
        return False
    return smederij_id in initiatiefgroep_area_ids(user)


def can_see_inventory(user, idea) -> bool:
    """The initiatiefgroep's remarks: for its members and the area's staff, never public."""
    if idea.status == Status.CONCEPT:
        return False
    return is_initiatiefgroep_member(user, idea.smederij_id) or is_area_staff(user, idea)


def can_add_inventory_remark(user, idea) -> bool:
    return idea.status != Status.CONCEPT and is_initiatiefgroep_member(user, idea.smederij_id)


def can_see_contact_details(user, idea, session=None) -> bool:
    """Contact details: for the submitter and the area's staff; never public, not the group."""
    return owns_idea(user, idea, session) or (
        idea.status != Status.CONCEPT and is_area_staff(user, idea)
    )


def can_see_attachment(user, attachment, session=None) -> bool:
    idea = attachment.idea
    if attachment.purpose == Attachment.Purpose.RECEIPT:
        # Receipts and invoices may carry names, addresses or bank details: for the submitter and
        # the area's staff only, never public (whatever ``is_public`` says), not the group.
        return owns_idea(user, idea, session) or (
            idea.status != Status.CONCEPT and is_area_staff(user, idea)
        )
    if (
        attachment.is_public
        and idea.is_published
        and idea.status != Status.CONCEPT
        # A photo of the result is public once the wijkteam signed off the verantwoording.
        and (attachment.purpose != Attachment.Purpose.RESULT or idea.status == Status.AFGEROND)
    ):
        return True
    return owns_idea(user, idea, session) or (
        idea.status != Status.CONCEPT
        and (is_area_staff(user, idea) or is_initiatiefgroep_member(user, idea.smederij_id))
    )


def can_publish(user, idea) -> bool:
    return idea.status != Status.CONCEPT and is_area_staff(user, idea)


def may_reclassify(user, idea) -> bool:
    """Korte klap or lange klap may be changed by the area's staff: asked by the service
    (``services.reclassify_idea``) and by admin's form before anything is saved."""
    return is_area_staff(user, idea)


def may_open_queue(user) -> bool:
    """The werkvoorraad: for whoever acts for an area (its wijkteam, its gebiedsregisseur)."""
    return bool(team_permissions.area_ids(user))


def may_handle(user, idea) -> bool:
    """A behandelaar of an idea is one of the people who act for its area (its wijkteam, its
    gebiedsregisseur); ``team_permissions.people_acting_for`` lists them."""
    return (
        user is not None and user.is_active and idea.smederij_id in team_permissions.area_ids(user)
    )


def may_act_as(user, actor: str, idea: Idea) -> bool:
    """Whether ``user`` may take a step of the workflow that ``actor`` (a kind in ``TRANSITIONS``)
    takes on this idea."""
    if user is None or not user.is_authenticated:
        return False
    if actor == SUBMITTER:
        return idea.submitted_by_id == user.pk
    if actor == TEAM:
        return idea.smederij_id in team_permissions.area_ids(user)
    if actor == STUURGROEP:
        return team_permissions.has_role(user, team_permissions.STUURGROEPLID) or (
            idea.smederij_id in team_permissions.area_ids(user)
            and team_permissions.has_role(user, team_permissions.GEBIEDSREGISSEUR)
        )
    return False


def may_start(idea: Idea) -> tuple[bool, str]:
    """May the plan start? Only once committed money covers the whole begroting (its funding
    sources, summed in budgets); the text says why not, or that it may."""
    if idea.status in STOPPED:
        return False, _("The plan has been stopped.")
    funding = budget_services.funding_of(idea)
    if funding.needed <= 0:
        return False, _("The plan has no budget lines yet.")
    if not funding.fully_funded:
        return False, _("%(missing)s is not yet promised. The plan can start when it is.") % {
            "missing": format_euro(funding.missing)
        }
    return True, _("The plan is fully funded.")


# What a step needs besides the ``TRANSITIONS`` table: the services refuse the step without it, and
# the review page offers the step only with it.

# The wijkteam approves a korte-klap idea; a lange-klap plan goes to the stuurgroep instead.
KIND_OF_STEP = {Status.GOEDGEKEURD: Kind.KORTE_KLAP, Status.BIJ_STUURGROEP: Kind.LANGE_KLAP}


def kind_fits_step(idea: Idea, to_status: str) -> bool:
    return KIND_OF_STEP.get(to_status, idea.kind) == idea.kind


def kind_may_change(idea: Idea) -> bool:
    """Korte klap or lange klap: it can change until the wijkteam decides."""
    return idea.status in (*OPEN_BEFORE_DECISION, Status.CONCEPT)


def accounting_waits_for_team(idea: Idea, accounting_state: str | None) -> bool:
    """The submitter sent the verantwoording of the realised idea: the wijkteam signs it off or
    sends it back. ``accounting_waits_for_team_q`` is the same rule for a query."""
    return idea.status == Status.GEREALISEERD and accounting_state == Accounting.State.SENT


def accounting_waits_for_team_q() -> Q:
    """``accounting_waits_for_team`` as a filter of ideas."""
    return Q(status=Status.GEREALISEERD, accounting__state=Accounting.State.SENT)


# Het wijkoverleg ---------------------------------------------------------------------------------


def may_plan_overleg(user) -> bool:
    """Who acts for an area (its team, its gebiedsregisseur) plans a wijkoverleg for it."""
    return bool(team_permissions.area_ids(user))


def runs_overleg(user, area_ids) -> bool:
    """Changes, cancels and records an overleg: who acts for one of its areas."""
    return bool(team_permissions.area_ids(user) & frozenset(area_ids))


def may_see_overleg(user, area_ids, *, invited: bool) -> bool:
    """The overleg's page and agenda: the invited, the area's staff, support staff and the members
    of the areas' initiatiefgroepen (anyone may join one to take part). Never a submitter's
    contact details."""
    return (
        invited
        or runs_overleg(user, area_ids)
        or team_permissions.sees_every_area(user)
        or bool(initiatiefgroep_area_ids(user) & frozenset(area_ids))
    )


def may_prepare_item(user, item, overleg) -> bool:
    """An initiatiefgroep member of the idea's area adds a remark or advice before the overleg."""
    return (
        item.idea_id is not None
        and overleg.state == overleg.State.GEPLAND
        and is_initiatiefgroep_member(user, item.idea.smederij_id)
    )


def takes_answers(overleg, now) -> bool:
    """The invited say whether they come until the overleg begins (not once it is cancelled)."""
    return overleg.state == overleg.State.GEPLAND and overleg.starts_at > now


def minutes_may_start(overleg, now) -> bool:
    """The minutes start once the overleg has begun."""
    return overleg.state == overleg.State.GEPLAND and overleg.starts_at <= now


def closes_minutes(user, overleg) -> bool:
    """The chair makes the minutes final (the area's staff, when the overleg has no chair)."""
    return overleg.chair_id is None or overleg.chair_id == user.pk
