"""Render form widgets with the NL Design System classes and the ARIA links to help and errors."""

import re

from django import forms, template
from django.template.loader import get_template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from smederijen import parts

register = template.Library()

WIDGET_CLASSES = [
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"),
    # Before RadioSelect: Django's CheckboxSelectMultiple is a subclass of it.
    (
        forms.CheckboxSelectMultiple,
        "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    ),
    (forms.RadioSelect, "utrecht-radio-button utrecht-radio-button--html-input"),
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


@register.filter
def page_links(page) -> list:
    """The page numbers the pagination shows: the first and the last, two either side of this
    one, and ``None`` for each gap. Counted here once instead of testing every page in the
    template (with 10,000 ideas that loop was most of the list page's time)."""
    paginator = page.paginator
    numbers = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return [None if number == paginator.ELLIPSIS else number for number in numbers]


@register.simple_tag
def pagination(page, query="", label=""):
    """``{% pagination page query label %}``: the links to the other pages of a list
    (templates/nlds/pagination.html), drawn once per worker for each way they look; nothing for a
    list of one page. ``query``: the list's filters (urlencoded), kept in every link. Kept apart
    (``parts.PAGINATIONS``): a search's words are typed by visitors."""
    # Not "not page": a page whose rows were not read (its table is kept) is empty but there.
    paginator = getattr(page, "paginator", None)
    if paginator is None or paginator.num_pages <= 1:
        return ""
    key = (get_language(), page.number, page.paginator.num_pages, query, str(label))
    return mark_safe(  # noqa: S308 - our own template's output, escaped when it was drawn
        parts.PAGINATIONS.get_or_make(
            key,
            lambda: get_template("nlds/pagination.html").render(
                {"page": page, "query": query, "label": label}
            ),
        )
    )


# Parts drawn once per worker (``kept``, ``keep_for_form``): the frame's fixed parts, and a filter
# form with the same choices made, are the same markup for every visitor.
_kept_forms = parts.Kept(500)


def _form_key(form, where, names=()) -> tuple | None:
    """Everything a form's markup shows: its class, the language, what was filled in (or its
    initial values), its fields' labels and help texts (a form may make them from rows: a
    condition's title, who checked it last) and its choices (read once here: a query for a
    model's rows). ``names``: only these fields are drawn (the rest of the form is not read).
    ``None`` for a form with errors, which is drawn every time."""
    if form.is_bound and form.errors:
        return None
    choices, values = [], []
    for name, field in form.fields.items():
        if names and name not in names:
            continue
        values.append(
            (name, str(field.label), str(field.help_text), field.required, field.disabled)
        )
        values.append(repr(sorted(field.widget.attrs.items())))
        if hasattr(field, "choices"):
            # Through a generator: list() would first ask a model's choices for their count.
            field.choices = [choice for choice in iter(field.choices)]  # noqa: C416
            choices.append((name, tuple((str(v), str(label)) for v, label in field.choices)))
        if form.is_bound:
            key = form.add_prefix(name)
            data = form.data
            values.append(tuple(data.getlist(key)) if hasattr(data, "getlist") else data.get(key))
        else:
            values.append(repr(form.get_initial_for_field(field, name)))
    kind = (type(form).__module__, type(form).__qualname__, form.prefix, form.auto_id)
    return (where, kind, get_language(), form.is_bound, tuple(values), tuple(choices))


def _kept_form(key, draw) -> str:
    return draw() if key is None else _kept_forms.get_or_make(key, draw)


class KeptFormNode(template.Node):
    def __init__(self, nodelist, form, names):
        self.nodelist, self.form, self.names = nodelist, form, names

    def render(self, context):
        form = self.form.resolve(context)
        where = (self.origin.name, self.token.lineno)  # this block in its template
        key = _form_key(form, where, self.names)
        return _kept_form(key, lambda: self.nodelist.render(context))


class KeptNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist, self.keys = nodelist, keys

    def render(self, context):
        where = (self.origin.name, self.token.lineno)  # this block in its template
        key = (where, get_language(), *(k.resolve(context) for k in self.keys))
        return _kept_form(key, lambda: self.nodelist.render(context))


@register.tag
def kept(parser, token):
    """``{% kept value … %}…{% endkept %}``: a part of a page that shows nothing but fixed texts
    and links (the header, the menu, the footer), drawn once per worker for each language and
    each set of the values named (``{% kept user.is_authenticated %}``). A fifth of a simple
    page's time was these parts. The block must show nothing else from the page or the visitor:
    no token, no form, no path, no block."""
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, keys)


# Where a form's token goes in a kept part (``{% csrf_token %}`` inside ``{% part %}``).
TOKEN_MARK = "__smederijen_part_token__"


class PartNode(template.Node):
    def __init__(self, nodelist, scopes, values):
        self.nodelist, self.scopes, self.values = nodelist, scopes, values

    def render(self, context):
        request = context.get("request")
        if request is None:  # a template rendered without a request (a mail): made
            return self.nodelist.render(context)
        where = f"{self.origin.name}:{self.token.lineno}"  # this block in its template
        values = tuple(value.resolve(context) for value in self.values)

        def make():
            # A form's token is the visitor's own: kept as a mark, put in for each answer.
            with context.push(csrf_token=TOKEN_MARK):
                return self.nodelist.render(context)

        html = parts.of_version(
            request,
            f"part:{where}:{values!r}",
            [scope.resolve(context) for scope in self.scopes],
            make,
        )
        if TOKEN_MARK in html:
            html = mark_safe(html.replace(TOKEN_MARK, str(context.get("csrf_token", ""))))  # noqa: S308
        return html


@register.tag
def part(parser, token):
    """``{% part "ideas" … with value … %}…{% endpart %}``: a part of a page kept by each worker
    by the version of what it shows (smederijen/parts.py): the stamps of ``site`` and of the
    scopes named, and the values after ``with`` (a page's year). The block must show nothing of
    the visitor but what those values hold (no form with what they typed, no name) and only what
    those scopes cover: a change that does not replace their stamps is not seen until the part
    is made again (at the latest after ``PART_SECONDS``). A form's ``{% csrf_token %}`` may be
    in it: each answer gets the visitor's own."""
    bits = token.split_contents()[1:]
    scopes, values = (
        (bits[: bits.index("with")], bits[bits.index("with") + 1 :])
        if "with" in bits
        else (bits, [])
    )
    nodelist = parser.parse(("endpart",))
    parser.delete_first_token()
    return PartNode(
        nodelist,
        [parser.compile_filter(bit) for bit in scopes],
        [parser.compile_filter(bit) for bit in values],
    )


@register.tag
def keep_for_form(parser, token):
    """``{% keep_for_form form ["field" …] %}…{% endkeep_for_form %}``: the fields of a form
    drawn once per worker for each way it can look (the filters of the idea list: a fifth of the
    list's time; the review page's forms: a third of its time). With field names: the block
    draws only those fields. The block must show the form only (no token, nothing else from the
    page) and its fields only as the form makes them (labels, help texts, choices, values)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("keep_for_form takes a form (and its fields shown)")
    names = frozenset(bit.strip("\"'") for bit in bits[2:])
    nodelist = parser.parse(("endkeep_for_form",))
    parser.delete_first_token()
    return KeptFormNode(nodelist, parser.compile_filter(bits[1]), names)
