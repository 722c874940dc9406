"""The content staff keep for ideas: the conditions of each year and the ready answers of the
review (in admin's group "Content")."""

from django.contrib import admin

from .models import Condition, StandardText


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "title", "position"]
    list_display_links = ["title"]
    list_editable = ["position"]
    list_filter = ["year", "kind"]
    search_fields = ["title", "text"]
    ordering = ["-year", "position", "pk"]


@admin.register(StandardText)
class StandardTextAdmin(admin.ModelAdmin):
    """Ready answers for common cases; on the confirm pages they fill the text field."""

    list_display = ["use", "title", "position", "is_active"]
    list_display_links = ["title"]
    list_editable = ["position", "is_active"]
    list_filter = ["use", "is_active"]
    search_fields = ["title", "text"]
    ordering = ["use", "position", "title"]
    fields = ["use", "title", "text", "position", "is_active"]
