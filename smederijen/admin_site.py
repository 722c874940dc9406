"""Admin as the gebiedsregisseurs and support staff work in it: the models grouped by task, not by
app, with Dutch names, and a start page with what needs attention in their areas."""

from decimal import Decimal

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# (key, name, [(app label, model name), …]) in the order of the index.
TASKS = [
    (
        "ideeen",
        _("Ideas"),
        [("ideas", "idea")],
    ),
    (
        "budgetten",
        _("Budgets"),
        [("budgets", "budget"), ("budgets", "grant"), ("budgets", "fundingsource")],
    ),
    (
        "teams",
        _("Teams"),
        [
            ("smederijen", "smederij"),
            ("teams", "team"),
            ("teams", "organisation"),
            ("teams", "initiatiefgroep"),
        ],
    ),
    (
        "stuurgroep",
        _("Stuurgroep"),
        [
            ("teams", "stuurgroep"),
            ("teams", "meeting"),
            ("teams", "organisationposition"),
            ("teams", "assessment"),
            ("teams", "stuurgroepdecision"),
        ],
    ),
    (
        "inhoud",
        _("Content"),
        [
            ("smederijen", "featureditem"),
            ("smederijen", "pagetext"),
            ("ideas", "condition"),
            ("ideas", "standardtext"),
            ("smederijen", "mailtext"),
            ("smederijen", "programmesettings"),
        ],
    ),
    (
        "accounts",
        _("Accounts and privacy"),
        [
            ("teams", "user"),
            ("auth", "group"),
            ("account", "emailaddress"),
            ("mfa", "authenticator"),
            ("smederijen", "auditevent"),
            ("mailer", "message"),
            ("mailer", "messagelog"),
            ("mailer", "dontsendentry"),
        ],
    ),
]

# A budget is nearly spent when less than this share of it is still available.
NEARLY_SPENT = Decimal("0.10")


def attention_for(user) -> dict:
    """What needs the user's attention in their areas (the office: in all areas). A fixed number
    of queries, whatever the number of ideas."""
    from budgets.models import Budget
    from budgets.services import totals_by_budget
    from ideas.models import Idea, Status
    from ideas.review_forms import DECISION_STATUSES
    from teams import permissions

    today = timezone.localdate()
    ideas = Idea.objects.all()
    budgets = Budget.objects.filter(year=today.year, is_closed=False)
    if not (user.is_superuser or permissions.has_role(user, permissions.ONDERSTEUNING)):
        areas = permissions.area_ids(user)
        ideas = ideas.filter(smederij_id__in=areas)
        budgets = budgets.filter(smederij_id__in=areas)
    counts = ideas.aggregate(
        new=Count("pk", filter=Q(status=Status.INGEDIEND)),
        overdue=Count("pk", filter=Q(status__in=DECISION_STATUSES, decision_due__lt=today)),
        unanswered=Count("pk", filter=Q(status=Status.AANVULLING_GEVRAAGD)),
        accounting=Count("pk", filter=Q(status=Status.GEREALISEERD, accounting__state="ingediend")),
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


class SmederijenAdminSite(admin.AdminSite):
    site_header = _("De Smederijen — beheer")
    site_title = _("De Smederijen")
    index_title = _("Management")
    index_template = "admin/smederijen_index.html"

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label:
            return app_list
        models = {
            (app["app_label"], model["object_name"].lower()): model
            for app in app_list
            for model in app["models"]
        }
        grouped = []
        for key, name, members in TASKS:
            found = [models.pop(member) for member in members if member in models]
            if found:
                grouped.append(_group(key, name, found))
        if models:  # a model no task names yet still shows, under "Other"
            grouped.append(_group("overig", _("Other"), sorted(models.values(), key=_name)))
        return grouped

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "attention": attention_for(request.user)}
        return super().index(request, extra_context)


def _name(model) -> str:
    return str(model["name"])


def _group(key: str, name, models: list[dict]) -> dict:
    return {
        "name": name,
        "app_label": key,
        "app_url": models[0].get("admin_url") or "",
        "has_module_perms": True,
        "models": models,
    }
