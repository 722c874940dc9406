"""Mijn ideeën: the submitter's own ideas, where each stands, and withdrawing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas.workflow import Status
from teams import permissions as team_permissions

from . import permissions, services
from .accounting_views import open_question
from .form_views import resume_step
from .forms import WithdrawForm
from .models import Attachment, Idea
from .my_work import area_work, overleg_work, stuurgroep_work
from .public_views import public_history
from .staff_menu import staff_pages


@login_required
def my_ideas(request):
    ideas = list(
        Idea.objects.filter(submitted_by=request.user)
        .select_related("smederij")
        .prefetch_related("budget_lines")
        .order_by("-updated_at")
    )
    for idea in ideas:
        if idea.status == Status.CONCEPT:
            idea.resume_step = resume_step(idea)
    return render(request, "ideas/my_ideas.html", {"ideas": ideas})


@login_required
def my_idea(request, public_id):
    idea = get_object_or_404(
        Idea.objects.select_related("smederij", "accounting").prefetch_related(
            "budget_lines", "attachments", public_history()
        ),
        public_id=public_id,
        submitted_by=request.user,
    )
    question = None
    if idea.status == Status.AANVULLING_GEVRAAGD:
        asked = [h for h in idea.public_history if h.to_status == Status.AANVULLING_GEVRAAGD]
        question = asked[-1] if asked else None
    accounting = getattr(idea, "accounting", None)
    files = list(idea.attachments.all())
    return render(
        request,
        "ideas/my_idea.html",
        {
            "idea": idea,
            "question": question,
            "support_total": services.support_count(idea),
            # The idea's own files apart from the verantwoording's receipts and photos.
            "idea_files": [a for a in files if a.purpose == Attachment.Purpose.IDEA],
            "receipts": [a for a in files if a.purpose == Attachment.Purpose.RECEIPT],
            "result_photos": [a for a in files if a.purpose == Attachment.Purpose.RESULT],
            "accounting": accounting,
            "accounting_question": open_question(idea, accounting, idea.public_history),
        },
    )


@login_required
def idea_withdraw(request, public_id):
    idea = get_object_or_404(Idea, public_id=public_id, submitted_by=request.user)
    if not idea.can_be_withdrawn:
        messages.error(request, _("This idea can no longer be withdrawn."))
        return redirect("ideas:my-idea", public_id=idea.public_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.withdraw_idea(idea, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("Your idea %(reference)s is withdrawn.") % {"reference": idea.reference}
        )
        return redirect("ideas:my-idea", public_id=idea.public_id)
    return render(request, "ideas/idea_withdraw.html", {"idea": idea, "form": form})


@login_required
def my_work(request):
    """Mijn werk: the start page of staff after signing in."""
    user = request.user
    if not team_permissions.is_staff_member(user):
        raise PermissionDenied
    sections = []
    if permissions.may_open_queue(user):
        sections.append(
            {
                "key": "areas",
                "title": _("Ideas of your areas"),
                "lists": area_work(user, timezone.localdate()),
            }
        )
    if permissions.may_plan_overleg(user):
        sections.append(
            {
                "key": "overleg",
                "title": _("Wijkoverleg"),
                "lists": overleg_work(user, timezone.now()),
            }
        )
    if team_permissions.may_read_dossiers(user):
        sections.append(
            {
                "key": "stuurgroep",
                "title": _("Stuurgroep"),
                "lists": stuurgroep_work(user, timezone.now()),
            }
        )
    pages = [page for page in staff_pages(user) if page["url"] != request.path]
    return render(request, "ideas/my_work.html", {"sections": sections, "pages": pages})
