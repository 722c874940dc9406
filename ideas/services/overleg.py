"""Het wijkoverleg: plan it with an agenda proposed from the inventory, invite the initiatiefgroep
and the wijkteam (a mail with a calendar file each, and a link to answer), change or cancel it
(mailed too), order its agenda, and the initiatiefgroep's remarks beforehand; afterwards the
minutes (per point what was discussed, the advice, the next step; who was there), sent as a draft
and made final by the chair, which puts the discussion in each idea's history.

Who may do what is answered in ``ideas.permissions`` (``may_plan_overleg``, ``runs_overleg``,
``may_prepare_item``); mail goes after the commit (``.mail``).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ideas import permissions
from ideas.workflow import DECIDES, FOLLOWS_POSITIVE, TO_DISCUSS
from smederijen.audit import audited
from smederijen.models import Smederij
from teams import permissions as team_permissions
from teams.models import Membership, Team

from ..models import (
    Idea,
    Invitation,
    ItemRemark,
    Overleg,
    OverlegItem,
    Recommendation,
    StatusChange,
)
from .mail import _mail_minutes, _mail_overleg, _mail_status_change

# What a changed or cancelled overleg tells the invited (the mail's kind).
INVITED, CHANGED, CANCELLED = "invited", "changed", "cancelled"


def ideas_to_discuss(area_ids) -> list:
    """The ideas of these areas that wait to be discussed, oldest first: submitted, no decision
    of the wijkteam yet, and not on the agenda of another overleg that is still to come."""
    return list(
        Idea.objects.filter(smederij_id__in=area_ids, status__in=TO_DISCUSS)
        .exclude(overleg_items__overleg__state=Overleg.State.GEPLAND)
        .select_related("smederij")
        .order_by("submitted_at", "pk")
    )


def on_coming_agendas(area_ids) -> list:
    """The agenda points of overleggen still to come that hold waiting ideas of these areas (the
    plan page says where those ideas are), soonest first."""
    return list(
        OverlegItem.objects.filter(
            idea__smederij_id__in=area_ids,
            idea__status__in=TO_DISCUSS,
            overleg__state=Overleg.State.GEPLAND,
        )
        .select_related("idea", "overleg")
        .order_by("overleg__starts_at", "position")
    )


def invitees(area_ids) -> list[tuple]:
    """(account, role) of everyone the overleg is for: the members of the areas' active
    initiatiefgroepen, and who acts for the areas (team members and the gebiedsregisseur).
    Someone in both is invited once, as a member of the team."""
    people = {}
    for member in Membership.objects.filter(
        initiatiefgroep__smederij_id__in=area_ids,
        initiatiefgroep__is_active=True,
        user__is_active=True,
    ).select_related("user"):
        people[member.user_id] = (member.user, Invitation.Role.INITIATIEFGROEP)
    for user in team_permissions.people_acting_for(area_ids):
        people[user.pk] = (user, Invitation.Role.TEAM)
    return list(people.values())


def _check_times(starts_at, ends_at) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("The overleg must end after it starts."))


def _refuse_unless_runs(actor, overleg) -> None:
    areas = [area.pk for area in overleg.smederijen.all()]
    if not permissions.runs_overleg(actor, areas):
        raise PermissionDenied(_("Only the team and the gebiedsregisseur of its area do this."))


def _refuse_unless_planned(overleg) -> None:
    if overleg.state != Overleg.State.GEPLAND:
        raise ValidationError(
            _("This overleg can no longer be changed: it is ‘%(state)s’.")
            % {"state": overleg.get_state_display()}
        )


def _locked(overleg) -> Overleg:
    return Overleg.objects.select_for_update().get(pk=overleg.pk)


@audited("overleg.plan", target=None)
@transaction.atomic
def plan_overleg(
    *, actor, smederijen, starts_at, ends_at, place: str, online_link: str = "", ideas=(), points=()
):
    """Plan an overleg for areas the actor acts for, with the ideas (in this order) and free
    points on its agenda; everyone it is for gets an invitation by mail after the commit."""
    area_ids = [area.pk for area in smederijen]
    if not area_ids:
        raise ValidationError(_("Choose the area of the overleg."))
    if not all(team_permissions.acts_for_area(actor, area) for area in smederijen):
        raise PermissionDenied(_("You plan an overleg only for the areas you work for."))
    _check_times(starts_at, ends_at)
    if not place.strip():
        raise ValidationError(_("Fill in where the overleg is."))
    overleg = Overleg.objects.create(
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_link=online_link.strip(),
        chair=actor,
        planned_by=actor,
    )
    overleg.smederijen.set(area_ids)
    position = 0
    for idea in ideas:
        if idea.smederij_id not in area_ids or idea.status not in TO_DISCUSS:
            raise ValidationError(
                _("Idea %(reference)s cannot be discussed in this overleg.")
                % {"reference": idea.reference}
            )
        OverlegItem.objects.create(overleg=overleg, idea=idea, position=position)
        position += 1
    for title in points:
        if title.strip():
            OverlegItem.objects.create(overleg=overleg, title=title.strip(), position=position)
            position += 1
    Invitation.objects.bulk_create(
        Invitation(overleg=overleg, user=user, role=role) for user, role in invitees(area_ids)
    )
    transaction.on_commit(lambda: _mail_overleg(overleg.pk, INVITED))
    return overleg


@audited("overleg.change", target="overleg")
@transaction.atomic
def change_overleg(overleg, *, actor, starts_at, ends_at, place: str, online_link: str = ""):
    """A new time or place: the invited get the changed appointment (same calendar entry)."""
    overleg = _locked(overleg)
    _refuse_unless_runs(actor, overleg)
    _refuse_unless_planned(overleg)
    _check_times(starts_at, ends_at)
    if not place.strip():
        raise ValidationError(_("Fill in where the overleg is."))
    changed = (
        overleg.starts_at != starts_at
        or overleg.ends_at != ends_at
        or overleg.place != place.strip()
        or overleg.online_link != online_link.strip()
    )
    if not changed:
        return overleg
    overleg.starts_at, overleg.ends_at = starts_at, ends_at
    overleg.place, overleg.online_link = place.strip(), online_link.strip()
    overleg.sequence += 1
    overleg.save(update_fields=["starts_at", "ends_at", "place", "online_link", "sequence"])
    transaction.on_commit(lambda: _mail_overleg(overleg.pk, CHANGED))
    return overleg


@audited("overleg.cancel", target="overleg")
@transaction.atomic
def cancel_overleg(overleg, *, actor):
    """Cancel it: the invited get the cancellation, which takes it out of their calendar. Its
    ideas are free for the agenda of another overleg."""
    overleg = _locked(overleg)
    _refuse_unless_runs(actor, overleg)
    _refuse_unless_planned(overleg)
    overleg.state = Overleg.State.AFGELAST
    overleg.sequence += 1
    overleg.save(update_fields=["state", "sequence"])
    transaction.on_commit(lambda: _mail_overleg(overleg.pk, CANCELLED))
    return overleg


@audited("overleg.add_point", target="overleg")
@transaction.atomic
def add_point(overleg, *, actor, title: str = "", idea=None):
    """A free point, or another idea of its areas that waits to be discussed, at the end."""
    overleg = _locked(overleg)
    _refuse_unless_runs(actor, overleg)
    _refuse_unless_planned(overleg)
    if idea is not None:
        area_ids = {area.pk for area in overleg.smederijen.all()}
        if idea.smederij_id not in area_ids or idea.status not in TO_DISCUSS:
            raise ValidationError(_("This idea cannot be discussed in this overleg."))
        if overleg.items.filter(idea=idea).exists():
            raise ValidationError(_("This idea is on the agenda already."))
    elif not title.strip():
        raise ValidationError(_("Fill in the topic."))
    last = overleg.items.aggregate(last=Max("position"))["last"]
    return OverlegItem.objects.create(
        overleg=overleg,
        idea=idea,
        title="" if idea is not None else title.strip(),
        position=0 if last is None else last + 1,
    )


@audited("overleg.move_point", target="item")
@transaction.atomic
def move_point(item, *, actor, up: bool) -> None:
    """One place up or down on the agenda (swapped with its neighbour)."""
    overleg = _locked(item.overleg)
    _refuse_unless_runs(actor, overleg)
    _refuse_unless_planned(overleg)
    items = list(overleg.items.select_for_update().order_by("position", "pk"))
    index = next(i for i, row in enumerate(items) if row.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, row in enumerate(items):
        row.position = position
    OverlegItem.objects.bulk_update(items, ["position"])


@audited("overleg.remove_point", target="item")
@transaction.atomic
def remove_point(item, *, actor) -> None:
    overleg = _locked(item.overleg)
    _refuse_unless_runs(actor, overleg)
    _refuse_unless_planned(overleg)
    OverlegItem.objects.filter(pk=item.pk).delete()


def answer_invitation(invitation, *, comes: bool) -> Invitation:
    """The invited person's answer through the link in their mail (no account needed: the link
    is theirs). Until the overleg has started; a cancelled overleg takes no answers."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("overleg").get(pk=invitation.pk)
        )
        if invitation.overleg.state == Overleg.State.AFGELAST:
            raise ValidationError(_("This overleg has been cancelled: no answer is needed."))
        if not permissions.takes_answers(invitation.overleg, timezone.now()):
            raise ValidationError(_("This overleg has started already."))
        invitation.answer = Invitation.Answer.JA if comes else Invitation.Answer.NEE
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answer", "answered_at"])
    return invitation


@audited("overleg.prepare", target="item")
@transaction.atomic
def prepare_item(item, *, actor, text: str, advice: str = "") -> ItemRemark:
    """An initiatiefgroep member's remark (and advice) on an idea on the agenda, beforehand;
    written again, it replaces their earlier one."""
    item = OverlegItem.objects.select_related("overleg", "idea").get(pk=item.pk)
    if not permissions.may_prepare_item(actor, item, item.overleg):
        raise PermissionDenied(_("Only the initiatiefgroep of the idea's area adds remarks."))
    if not text.strip():
        raise ValidationError(_("Write your remark."))
    if advice and advice not in Recommendation.values:
        raise ValidationError(_("Choose an advice from the list."))
    remark, _created = ItemRemark.objects.update_or_create(
        item=item,
        author=actor,
        defaults={"text": text.strip(), "advice": advice, "written_at": timezone.now()},
    )
    return remark


def places_to_plan_for(user) -> dict[str, tuple[str, list]]:
    """Where this user may plan an overleg, by the value the form sends: each area they act for
    (its slug), and each team that serves two or more of those areas ("team-<slug>": all its
    areas together). Two queries."""
    area_ids = team_permissions.area_ids(user)
    areas = list(Smederij.objects.filter(pk__in=area_ids).order_by("name"))
    options = {area.slug: (area.name, [area]) for area in areas}
    for team in (
        Team.objects.filter(smederijen__in=area_ids, is_active=True)
        .distinct()
        .prefetch_related("smederijen")
        .order_by("name")
    ):
        served = sorted(team.smederijen.all(), key=lambda area: area.name)
        if len(served) > 1 and all(area.pk in area_ids for area in served):
            label = _("%(team)s: %(areas)s") % {
                "team": team.name,
                "areas": ", ".join(area.name for area in served),
            }
            options[f"team-{team.slug}"] = (label, served)
    return options


# The minutes ------------------------------------------------------------------------------------


def _refuse_unless_recording(overleg) -> None:
    if overleg.state != Overleg.State.VERSLAG:
        raise ValidationError(_("Start the minutes first: the overleg must have begun."))


@audited("overleg.start_minutes", target="overleg")
@transaction.atomic
def start_minutes(overleg, *, actor):
    """Once the overleg has begun, its chair (or the area's staff) records the minutes."""
    overleg = _locked(overleg)
    _refuse_unless_runs(actor, overleg)
    _refuse_unless_planned(overleg)
    if not permissions.minutes_may_start(overleg, timezone.now()):
        raise ValidationError(_("The minutes start when the overleg has begun."))
    overleg.state = Overleg.State.VERSLAG
    overleg.save(update_fields=["state"])
    return overleg


@audited("overleg.record_item", target="item")
@transaction.atomic
def record_item(
    item,
    *,
    actor,
    discussion: str = "",
    public_summary: str = "",
    advice: str = "",
    advice_reason: str = "",
    next_step_who: str = "",
    next_step_what: str = "",
    next_step_by=None,
):
    """What was discussed on one point, the initiatiefgroep's advice with its reason, and the
    next step (who, what, by when). The public summary goes into the idea's history when the
    chair closes the minutes."""
    overleg = _locked(item.overleg)
    _refuse_unless_runs(actor, overleg)
    _refuse_unless_recording(overleg)
    if advice and advice not in Recommendation.values:
        raise ValidationError(_("Choose an advice from the list."))
    if advice and item.idea_id is None:
        raise ValidationError(_("A topic without an idea gets no advice."))
    if advice and not advice_reason.strip():
        raise ValidationError(_("Write the reason for the advice."))
    if (next_step_who.strip() or next_step_by) and not next_step_what.strip():
        raise ValidationError(_("Write what the next step is."))
    item = OverlegItem.objects.get(pk=item.pk)
    item.discussion = discussion.strip()
    item.public_summary = public_summary.strip()
    item.advice = advice
    item.advice_reason = advice_reason.strip() if advice else ""
    item.next_step_who = next_step_who.strip()
    item.next_step_what = next_step_what.strip()
    item.next_step_by = next_step_by
    item.save()
    return item


@audited("overleg.record_presence", target="overleg")
@transaction.atomic
def record_presence(overleg, *, actor, present_user_ids) -> None:
    """Who was there: the invited in ``present_user_ids`` present, the others not."""
    overleg = _locked(overleg)
    _refuse_unless_runs(actor, overleg)
    _refuse_unless_recording(overleg)
    present = set(present_user_ids)
    rows = list(Invitation.objects.select_for_update().filter(overleg=overleg))
    for row in rows:
        row.present = row.user_id in present
    Invitation.objects.bulk_update(rows, ["present"])


@audited("overleg.send_draft", target="overleg")
def send_draft_minutes(overleg, *, actor) -> int:
    """The draft minutes to everyone who was there, to check before the chair closes them."""
    with transaction.atomic():
        overleg = _locked(overleg)
        _refuse_unless_runs(actor, overleg)
        _refuse_unless_recording(overleg)
        count = Invitation.objects.filter(overleg=overleg, present=True).count()
        if not count:
            raise ValidationError(_("Tick who was there first: the draft goes to them."))
        transaction.on_commit(lambda: _mail_minutes(overleg.pk, final=False))
    return count


def advice_text(item) -> str:
    return item.get_advice_display() if item.advice else ""


@audited("overleg.close_minutes", target="overleg")
@transaction.atomic
def close_minutes(overleg, *, actor):
    """The chair makes the minutes final. Each idea on the agenda gets a line in its history
    ("besproken in het wijkoverleg van 12 januari" with the public summary), and its submitter
    a mail with that part only; the attendees get the final minutes."""
    overleg = _locked(overleg)
    _refuse_unless_runs(actor, overleg)
    _refuse_unless_recording(overleg)
    if not permissions.closes_minutes(actor, overleg):
        raise PermissionDenied(_("The chair of the overleg closes the minutes."))
    items = list(overleg.items.select_related("idea"))
    missing = [item for item in items if item.idea_id and not item.public_summary]
    if missing:
        raise ValidationError(
            _("Write the public summary of every idea first. Missing: %(ideas)s.")
            % {"ideas": ", ".join(item.idea.reference for item in missing)}
        )
    overleg.state = Overleg.State.AFGESLOTEN
    overleg.closed_at = timezone.now()
    overleg.save(update_fields=["state", "closed_at"])
    with translation.override(settings.LANGUAGE_CODE):  # stored and mailed in Dutch
        when = date_format(timezone.localtime(overleg.starts_at), "j F Y")
        for item in items:
            if item.idea_id is None:
                continue
            idea = Idea.objects.select_for_update().get(pk=item.idea_id)
            change = StatusChange.objects.create(
                idea=idea,
                from_status=idea.status,
                to_status=idea.status,
                actor=actor,
                public_text=_("Discussed in the wijkoverleg of %(date)s. %(summary)s")
                % {"date": when, "summary": item.public_summary},
            )
            transaction.on_commit(lambda pk=change.pk: _mail_status_change(pk))
    transaction.on_commit(lambda: _mail_minutes(overleg.pk, final=True))
    return overleg


def latest_advice(idea):
    """The advice of the last wijkoverleg whose minutes are final and that advised on the idea,
    or None."""
    return (
        OverlegItem.objects.filter(idea=idea, overleg__state=Overleg.State.AFGESLOTEN)
        .exclude(advice="")
        .select_related("overleg")
        .order_by("-overleg__starts_at", "-pk")
        .first()
    )


def goes_against(advice: str, to_status: str) -> bool:
    """Does deciding ``to_status`` go against this advice? A positive advice is followed by
    approving or sending on, a negative one by rejecting; holding over by no decision yet."""
    if to_status not in DECIDES:
        return False
    if advice == Recommendation.AANHOUDEN:
        return True
    if advice == Recommendation.POSITIEF:
        return to_status not in FOLLOWS_POSITIVE
    return advice == Recommendation.NEGATIEF and to_status in FOLLOWS_POSITIVE


def discussed_annotations(idea: str = "pk") -> dict:
    """For a list of ideas (the werkvoorraad): when each was last discussed in a wijkoverleg
    whose minutes are final (``discussed_on``), and the advice then (``discussed_advice``), read
    in the list's own query."""
    last = OverlegItem.objects.filter(
        idea=OuterRef(idea), overleg__state=Overleg.State.AFGESLOTEN
    ).order_by("-overleg__starts_at", "-pk")
    return {
        "discussed_on": Subquery(last.values("overleg__starts_at")[:1]),
        "discussed_advice": Subquery(last.values("advice")[:1]),
    }
