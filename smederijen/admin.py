from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import FeaturedItem, Smederij

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
