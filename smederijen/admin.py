from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import FeaturedItem, ProgrammeSettings, Smederij

admin.site.site_header = _("De Smederijen — beheer")
admin.site.site_title = _("De Smederijen")
admin.site.index_title = _("Management")


@admin.register(Smederij)
class SmederijAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "gebiedsregisseur", "is_active"]
    list_filter = ["kind", "is_active", "gebiedsregisseur"]
    list_select_related = ["gebiedsregisseur"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FeaturedItem)
class FeaturedItemAdmin(admin.ModelAdmin):
    list_display = ["title", "position", "is_published", "publish_from", "publish_until"]
    list_editable = ["position"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary"]


@admin.register(ProgrammeSettings)
class ProgrammeSettingsAdmin(admin.ModelAdmin):
    """The one row of the programme's settings (the decision term and the stuurgroep's quorum):
    the list goes straight to it, and it is never added twice or deleted."""

    fieldsets = [
        (None, {"fields": ["decision_weeks"]}),
        (_("Stuurgroep"), {"fields": ["quorum_percent", "quorum_needs_resident"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ProgrammeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings = ProgrammeSettings.load()  # made with the defaults the first time
        return redirect(
            reverse(
                f"{self.admin_site.name}:smederijen_programmesettings_change",
                args=[settings.pk],
            )
        )
