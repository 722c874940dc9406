"""A row of the werkvoorraad (``{% queue_row idea %}``), made once per version of what it shows.

As the idea cards of the public lists (idea_cards.py): a row is the same until one of the things
on it changes, and its key is everything it shows (title, status, age in days, decision date,
behandelaar...), so a kept row is never out of date. Twenty rows drawn from the template were a
fifth of the page's time. The row holds no token and nothing of who looks at it.
"""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from smederijen import parts

register = template.Library()
ROW = "ideas/review/_queue_row.html"
_rows = parts.Kept(5_000)


def _shown(idea) -> tuple:
    """Everything the row shows (templates/ideas/review/_queue_row.html), as its key."""
    person = idea.behandelaar
    return (
        get_language(),
        idea.public_id,
        idea.reference,
        idea.title,
        idea.smederij.name if idea.smederij_id else "",
        idea.kind,
        idea.status,
        getattr(idea, "accounting_state", None),
        getattr(idea, "age_days", None),
        idea.decision_due,
        getattr(idea, "is_overdue", False),
        getattr(idea, "discussed_on", None),
        getattr(idea, "discussed_advice", None),
        (person.get_full_name(), person.email) if person is not None else None,
    )


@register.simple_tag
def queue_row(idea):
    html = _rows.get_or_make(_shown(idea), lambda: get_template(ROW).render({"idea": idea}))
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was made
