"""The admin site as it runs: the site of smederijen/admin_site.py (models grouped by task, every
form refusing control characters) with a start page that says what needs attention. That start
page counts ideas and budgets, so it sits here, on top of the apps it counts."""

from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from budgets.models import Budget
from budgets.services import totals_by_budget
from ideas.workflow import DECISION_STATUSES, Status
from smederijen.admin_site import SmederijenAdminSite
from teams import permissions

from . import permissions as idea_permissions
from .models import Idea

# A budget is nearly spent when less than this share of it is still available.
NEARLY_SPENT = Decimal("0.10")


def attention_for(user) -> dict:
    """What needs the user's attention in their areas (the office: in all areas). A fixed number
    of queries, whatever the number of ideas."""
    today = timezone.localdate()
    ideas = Idea.objects.all()
    budgets = Budget.objects.filter(year=today.year, is_closed=False)
    ideas = permissions.of_visible_areas(user, ideas)
    budgets = permissions.of_visible_areas(user, budgets)
    counts = ideas.aggregate(
        new=Count("pk", filter=Q(status=Status.INGEDIEND)),
        overdue=Count("pk", filter=Q(status__in=DECISION_STATUSES, decision_due__lt=today)),
        unanswered=Count("pk", filter=Q(status=Status.AANVULLING_GEVRAAGD)),
        accounting=Count("pk", filter=idea_permissions.accounting_waits_for_team_q()),
    )
    budgets = list(budgets.select_related("smederij").order_by("smederij__name"))
    totals = totals_by_budget(budgets)
    nearly_spent = [
        {"budget": budget, "totals": totals[budget.pk]}
        for budget in budgets
        if totals[budget.pk].budget > 0
        and totals[budget.pk].available < totals[budget.pk].budget * NEARLY_SPENT
    ]
    changelist = reverse("admin:ideas_idea_changelist")
    return {
        "counts": counts,
        "nearly_spent": nearly_spent,
        "links": {
            "new": f"{changelist}?status__exact={Status.INGEDIEND}",
            "unanswered": f"{changelist}?status__exact={Status.AANVULLING_GEVRAAGD}",
            "overdue": reverse("ideas:review-queue"),
            "accounting": reverse("ideas:review-queue") + "?status=verantwoording",
        },
    }


class PortalAdminSite(SmederijenAdminSite):
    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "attention": attention_for(request.user)}
        return super().index(request, extra_context)
