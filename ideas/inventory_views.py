"""The initiatiefgroep's inventory: the ideas of its area, with the remarks of its members.
Never public: for the group's members and the area's staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from teams.models import Initiatiefgroep

from . import permissions, services
from .forms import InventoryRemarkForm
from .models import Idea, InventoryRemark, Notion
from .public_views import PER_PAGE, public_history


def inventory_list(request, slug):
    group = get_object_or_404(Initiatiefgroep.objects.select_related("smederij"), slug=slug)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    if not (
        permissions.is_initiatiefgroep_member(request.user, group.smederij_id)
        or permissions.is_area_staff(request.user, Idea(smederij=group.smederij))
    ):
        raise PermissionDenied
    ideas = (
        Idea.objects.submitted()
        .filter(smederij=group.smederij)
        .annotate(remark_count=Count("inventory_remarks"))
        .order_by("-submitted_at")
    )
    page = Paginator(ideas, PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "ideas/inventory_list.html", {"group": group, "page": page})


@login_required
def inventory_detail(request, public_id):
    idea = get_object_or_404(
        Idea.objects.submitted()
        .select_related("smederij")
        .prefetch_related(
            "budget_lines",
            "attachments",
            public_history(),
            Prefetch(
                "inventory_remarks",
                queryset=InventoryRemark.objects.select_related("author", "initiatiefgroep"),
            ),
        ),
        public_id=public_id,
    )
    if not permissions.can_see_inventory(request.user, idea):
        raise PermissionDenied
    can_add = permissions.can_add_inventory_remark(request.user, idea)
    form = InventoryRemarkForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            services.add_inventory_remark(idea, actor=request.user, text=form.cleaned_data["text"])
            messages.success(request, _("Your remark is saved."))
            return redirect("ideas:inventory-detail", public_id=idea.public_id)
    group = Initiatiefgroep.objects.filter(smederij_id=idea.smederij_id, is_active=True).first()
    return render(
        request,
        "ideas/inventory_detail.html",
        {
            "idea": idea,
            "form": form,
            "group": group,
            "support": services.support_make_up(idea),
            "notions": Notion,
        },
    )
