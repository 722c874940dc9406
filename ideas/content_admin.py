"""The content staff keep for ideas: the conditions of each year and the ready answers of the
review (in admin's group "Content")."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from smederijen.admin_site import LabelledListEditableMixin

from . import services
from .models import Condition, StandardText


@admin.register(Condition)
class ConditionAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    list_display = ["year", "kind", "title", "position"]
    list_display_links = ["title"]
    list_editable = ["position"]
    list_filter = ["year", "kind"]
    search_fields = ["title", "text"]
    ordering = ["-year", "position", "pk"]
    actions = ["copy_to_next_year"]

    @admin.action(
        description=_("Copy the chosen voorwaarden to the next year"), permissions=["add"]
    )
    def copy_to_next_year(self, request, queryset):
        """A new year in one step: first a page that shows what will be copied (and what is there
        already), then the copies, through ``services.copy_conditions``."""
        to_copy, there = services.conditions_to_copy(queryset)
        if request.POST.get("confirm") == "yes":
            try:
                copies = services.copy_conditions(queryset, actor=request.user)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.message_user(
                request,
                ngettext(
                    "%(count)d voorwaarde was copied to the next year.",
                    "%(count)d voorwaarden were copied to the next year.",
                    len(copies),
                )
                % {"count": len(copies)},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/ideas/condition/copy_to_next_year.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Copy voorwaarden to the next year"),
                "opts": self.model._meta,
                "to_copy": to_copy,
                "there": there,
                "queryset": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(StandardText)
class StandardTextAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    """Ready answers for common cases; on the confirm pages they fill the text field."""

    list_display = ["use", "title", "position", "is_active"]
    list_display_links = ["title"]
    list_editable = ["position", "is_active"]
    list_filter = ["use", "is_active"]
    search_fields = ["title", "text"]
    ordering = ["use", "position", "title"]
    fields = ["use", "title", "text", "position", "is_active"]
