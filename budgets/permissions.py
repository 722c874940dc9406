"""Who may see and change the money. The services ask the same questions before every change."""

from django.utils.translation import gettext as _

from teams import permissions as team_permissions


def may_manage_budget(user, smederij) -> bool:
    """Opening, topping up and correcting a budget: the office (a gebiedsregisseur for his own
    areas, support staff for all)."""
    return team_permissions.is_office_staff(user) and team_permissions.may_see_area(
        user, smederij.pk
    )


def manageable_areas(user):
    """The areas whose budgets this user opens and tops up (``may_manage_budget``): the office's
    visible areas; nobody else's."""
    if not team_permissions.is_office_staff(user):
        return team_permissions.visible_areas(user).none()
    return team_permissions.visible_areas(user)


def may_grant(user, smederij) -> bool:
    """Granting money to ideas: the wijkteam of the area and its gebiedsregisseur."""
    return user.is_authenticated and (
        user.is_superuser or team_permissions.acts_for_area(user, smederij)
    )


def may_see_budget(user, smederij) -> bool:
    """Support staff see every budget; a gebiedsregisseur and a wijkteam their own areas."""
    return team_permissions.may_see_area(user, smederij.pk)


def may_manage_funding(user, idea) -> bool:
    """The co-funding of a plan: its area's wijkteam and gebiedsregisseur, and support staff."""
    return may_grant(user, idea.smederij) or (
        team_permissions.is_office_staff(user)
        and team_permissions.may_see_area(user, idea.smederij_id)
    )


def may_see_reports(user) -> bool:
    """The year reports (no personal data in them): every member of staff."""
    return team_permissions.is_staff_member(user)


def may_list_budgets(user) -> bool:
    """The list of budgets: staff who see the budget of at least one area (``may_see_budget``);
    a stuurgroep seat alone gives no area, so no budgets to list."""
    return team_permissions.is_staff_member(user) and (
        team_permissions.sees_every_area(user) or bool(team_permissions.area_ids(user))
    )


def budget_areas(user):
    """The Smederijen whose budgets this user sees: support staff all, others their areas."""
    return team_permissions.visible_areas(user)


def why_no_grant_from(budget, smederij, year: int) -> str | None:
    """Why no money can be granted from an area's budget of a year now, or None when it can: the
    review page offers "Grant money" only then (the services refuse with the same reasons)."""
    if budget is None:
        return _("%(area)s has no budget for %(year)s yet.") % {"area": smederij, "year": year}
    if budget.is_closed:
        return _(
            "The budget of %(area)s for %(year)s is closed: nothing can change in it any more."
        ) % {"area": smederij, "year": year}
    if budget.available <= 0:
        return _("Nothing is left in the budget of %(area)s for %(year)s.") % {
            "area": smederij,
            "year": year,
        }
    return None
