"""Render form widgets with the NL Design System classes and the ARIA links to help and errors."""

import re

from django import forms, template

register = template.Library()

WIDGET_CLASSES = [
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"),
    (forms.RadioSelect, "utrecht-radio-button utrecht-radio-button--html-input"),
    (
        forms.CheckboxSelectMultiple,
        "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    ),
    (forms.ClearableFileInput, "utrecht-file-input"),
]
INVALID_MODIFIERS = {
    "utrecht-textarea": "utrecht-textarea--invalid",
    "utrecht-select": "utrecht-select--invalid",
    "utrecht-textbox": "utrecht-textbox--invalid",
    "utrecht-radio-button": "utrecht-radio-button--invalid",
}


def widget_classes(widget: forms.Widget) -> str:
    for widget_type, classes in WIDGET_CLASSES:
        if isinstance(widget, widget_type):
            return classes
    return "utrecht-textbox utrecht-textbox--html-input"


@register.filter
def is_choice_group(bound_field) -> bool:
    """Radio buttons and checkbox lists are a group: a fieldset with a legend."""
    return isinstance(bound_field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def error_ids(bound_field) -> list[str]:
    return [f"{bound_field.auto_id}_error_{i}" for i in range(1, len(bound_field.errors) + 1)]


@register.filter
def described_by(bound_field) -> str:
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}_helptext")
    ids.extend(error_ids(bound_field))
    return " ".join(ids)


@register.simple_tag
def nlds_widget(bound_field, group_described_by=False):
    """The field's widget with NL Design System classes, aria-describedby and aria-invalid.

    For a choice group the description sits on the fieldset instead (group_described_by).
    """
    widget = bound_field.field.widget
    classes = widget_classes(widget)
    attrs = {}
    if bound_field.errors:
        base = classes.split()[0]
        if base in INVALID_MODIFIERS:
            classes += " " + INVALID_MODIFIERS[base]
        if not is_choice_group(bound_field):
            attrs["aria-invalid"] = "true"
    existing = widget.attrs.get("class", "")
    attrs["class"] = f"{classes} {existing}".strip()
    if not is_choice_group(bound_field):
        ids = described_by(bound_field)
        if ids:
            attrs["aria-describedby"] = ids
        elif not group_described_by:
            # Django adds a describedby for help text itself; keep ours the only one.
            attrs["aria-describedby"] = None
    return bound_field.as_widget(attrs={k: v for k, v in attrs.items() if v is not None})


@register.simple_tag
def nlds_choice(choice, bound_field):
    """One radio button or checkbox of a group, with the NL Design System classes."""
    classes = widget_classes(bound_field.field.widget)
    if bound_field.errors:
        base = classes.split()[0]
        if base in INVALID_MODIFIERS:
            classes += " " + INVALID_MODIFIERS[base]
    attrs = dict(choice.data["attrs"])
    attrs["class"] = f"{classes} {attrs.get('class', '')}".strip()
    choice.data["attrs"] = attrs
    return choice.tag()


@register.filter
def paragraphs(text: str, css_class: str = "utrecht-paragraph"):
    """Plain text kept in admin as NL Design System paragraphs, in Dutch: an empty line starts a
    new paragraph, a single line break stays one. Everything is escaped."""
    from django.utils.html import escape, format_html_join
    from django.utils.safestring import mark_safe

    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return format_html_join(
        "\n",
        '<p class="{}" lang="nl">{}</p>',
        (
            (css_class, mark_safe("<br>".join(escape(line) for line in block.splitlines())))  # noqa: S308
            for block in blocks
            if block
        ),
    )
