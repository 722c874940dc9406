"""Admin of what belongs to an area, held to the one rule of ``permissions.visible_area_ids``: a
gebiedsregisseur finds the rows of his own areas only; support staff and superusers find all.

A ModelAdmin of area data takes ``AreaAdminMixin`` first and names how its rows reach their
Smederij (``area_path``). Everything admin shows of a model goes through its ``get_queryset``:
the list with its search, counts and dates, the actions and exports (also "select all"), the
change, history and delete pages, and the autocomplete lookups that other pages make. A row of
another area answers 403 on its own pages. Forms offer only the user's areas (and rows of them)
to choose from, and ``AreaListFilter`` filters on them.
"""

from django.contrib import admin

from smederijen.admin_site import HiddenRowsRefusedMixin

from . import permissions


class AreaListFilter(admin.RelatedFieldListFilter):
    """The filter on the Smederij, offering only the areas the user may see."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        areas = permissions.visible_area_ids(request.user)
        limit = None if areas is None else {"pk__in": areas}
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=limit)


class AreaAdminMixin(HiddenRowsRefusedMixin):
    # The lookup from a row to its Smederij; None when ``of_visible_areas`` says it otherwise.
    area_path: str | None = "smederij"

    def of_visible_areas(self, request, queryset):
        return permissions.of_visible_areas(request.user, queryset, self.area_path)

    def get_queryset(self, request):
        return self.of_visible_areas(request, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The field that leads to the area (the Smederij itself, or the idea or budget of a row)
        # offers only what lies in the user's areas.
        first, _sep, rest = (self.area_path or "").partition("__")
        areas = permissions.visible_area_ids(request.user)
        if db_field.name == first and areas is not None and "queryset" not in kwargs:
            related = db_field.remote_field.model._default_manager
            kwargs["queryset"] = related.filter(**{f"{rest or 'pk'}__in": areas})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
