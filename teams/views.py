from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smederijen import parts
from smederijen.models import Smederij
from smederijen.pagecache import for_visitors, no_ideas

from . import permissions, services
from .forms import MyDetailsForm
from .models import (
    Initiatiefgroep,
    KernRole,
    Membership,
    Stuurgroep,
    StuurgroepMember,
    Team,
    TeamMember,
    User,
)

KERN_ORDER = [KernRole.OPBOUWWERKER, KernRole.WIJKBEHEERDER, KernRole.WIJKAGENT]


def _active_areas():
    return Prefetch("smederijen", queryset=Smederij.objects.active().order_by("name"))


def _split_members(members):
    """The kernteam in its fixed order, then the other members grouped by organisation."""
    kern = sorted((m for m in members if m.kern_role), key=lambda m: KERN_ORDER.index(m.kern_role))
    by_organisation: dict = {}
    for member in members:
        if not member.kern_role:
            by_organisation.setdefault(member.organisation, []).append(member)
    others = sorted(by_organisation.items(), key=lambda item: item[0].name)
    return kern, others


@for_visitors(scopes=no_ideas)
def team_list(request):
    teams = list(
        Team.objects.filter(is_active=True).prefetch_related(
            _active_areas(),
            Prefetch(
                "members",
                queryset=TeamMember.objects.exclude(kern_role="").select_related("organisation"),
                to_attr="kern_members",
            ),
        )
    )
    for team in teams:
        team.kern, _others = _split_members(team.kern_members)
    return render(request, "teams/team_list.html", {"teams": teams})


def _team(slug) -> dict | None:
    team = (
        Team.objects.filter(is_active=True, slug=slug)
        .prefetch_related(
            _active_areas(),
            Prefetch("members", queryset=TeamMember.objects.select_related("organisation")),
        )
        .first()
    )
    if team is None:
        return None
    kern, others = _split_members(list(team.members.all()))
    return {"team": team, "kern": kern, "others": others}


@for_visitors(scopes=no_ideas)
def team_detail(request, slug):
    # A team, its areas and members change only with the site: read once per version (parts.py).
    shown = parts.by_version(request, f"team:{slug}", [], lambda: _team(slug))
    if shown is None:
        raise Http404
    return render(request, "teams/team_detail.html", shown)


def gebiedsregisseur_list(request):
    regisseurs = (
        User.objects.filter(regie_smederijen__is_active=True)
        .distinct()
        .order_by("first_name", "last_name")
        .prefetch_related(
            Prefetch(
                "regie_smederijen",
                queryset=Smederij.objects.active().order_by("name"),
                to_attr="areas",
            )
        )
    )
    return render(request, "teams/gebiedsregisseur_list.html", {"regisseurs": regisseurs})


def stuurgroep_detail(request):
    stuurgroep = Stuurgroep.objects.order_by("pk").first()
    members = []
    if stuurgroep is not None:
        members = list(
            StuurgroepMember.objects.seated()
            .filter(stuurgroep=stuurgroep)
            .select_related("organisation", "smederij")
        )
    seats = services.seat_overview(stuurgroep, members) if stuurgroep else []
    vacant = [seat for seat in seats if seat["member"] is None]
    return render(
        request,
        "teams/stuurgroep_detail.html",
        {
            "stuurgroep": stuurgroep,
            "seats": seats,
            "vacant": vacant,
            "show_vacancies": permissions.can_see_stuurgroep_vacancies(request.user),
        },
    )


def _groups_with_counts():
    return Initiatiefgroep.objects.filter(is_active=True, smederij__is_active=True).annotate(
        member_count=Count("memberships")
    )


@for_visitors(scopes=no_ideas)
def initiatiefgroep_list(request):
    groups = _groups_with_counts().select_related("smederij").order_by("smederij__name", "name")
    return render(request, "teams/initiatiefgroep_list.html", {"groups": groups})


def initiatiefgroep_detail(request, slug):
    group = get_object_or_404(_groups_with_counts().select_related("smederij"), slug=slug)
    user = request.user
    is_member = (
        user.is_authenticated
        and Membership.objects.filter(initiatiefgroep=group, user=user).exists()
    )
    members = None
    if permissions.can_see_initiatiefgroep_members(user, group, is_member=is_member):
        members = list(
            User.objects.filter(memberships__initiatiefgroep=group).order_by(
                "first_name", "last_name", "email"
            )
        )
    return render(
        request,
        "teams/initiatiefgroep_detail.html",
        {"group": group, "is_member": is_member, "members": members},
    )


@require_POST
@login_required
def initiatiefgroep_join(request, slug):
    group = get_object_or_404(Initiatiefgroep.objects.filter(is_active=True), slug=slug)
    if services.join_initiatiefgroep(group, request.user):
        messages.success(request, _("You are now a member of %(group)s.") % {"group": group})
    return redirect(group)


@require_POST
@login_required
def initiatiefgroep_leave(request, slug):
    group = get_object_or_404(Initiatiefgroep, slug=slug)
    if services.leave_initiatiefgroep(group, request.user):
        messages.success(request, _("You are no longer a member of %(group)s.") % {"group": group})
    return redirect(group)


@login_required
def my_details(request):
    form = MyDetailsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your name has been saved."))
        return redirect("teams:my-details")
    groups = Initiatiefgroep.objects.filter(memberships__user=request.user).select_related(
        "smederij"
    )
    return render(request, "teams/my_details.html", {"form": form, "groups": groups})


def smederij_detail(request, slug):
    """A Smederij's own page: what it is, its team, gebiedsregisseur and initiatiefgroepen."""
    smederij = get_object_or_404(
        Smederij.objects.active().select_related("gebiedsregisseur"), slug=slug
    )
    return render(
        request,
        "smederijen/smederij_detail.html",
        {"smederij": smederij, **smederij_people(smederij)},
    )


def smederij_people(smederij: Smederij) -> dict:
    """For a Smederij's own page: its team, gebiedsregisseur and initiatiefgroepen (2 queries)."""
    team = (
        Team.objects.filter(is_active=True, areas__smederij=smederij)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=TeamMember.objects.filter(~Q(kern_role="")).select_related("organisation"),
                to_attr="kern_members",
            )
        )
        .first()
    )
    kern = _split_members(team.kern_members)[0] if team else []
    groups = list(_groups_with_counts().filter(smederij=smederij).order_by("name"))
    return {"team": team, "kern": kern, "initiatiefgroepen": groups}
