"""An idea's card in the lists (``{% idea_card idea %}``), made once per version of what it shows.

The card of an idea is the same on every list page and every search that shows it, until one of
the things on it changes. Made from the template it costs about 0.6 ms (the status and kind
labels, the plural of the support count, the amount); twenty of them were a third of the idea
list's time. Each worker keeps the cards it made, under a key of everything the card shows: a
changed title, status, area name or support count is a new key, so a kept card is never out of
date and nothing has to be forgotten. A new deploy starts new workers, so new templates and
translations start with no cards.

The number of supporters on a card is a hole of the kept pages (smederijen/pagecache.py): a
kept list or search fills in the current numbers of its cards with one query each time it is
answered, so a confirmed support does not make every list that shows the idea out of date.
"""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext

from ideas.services import support_totals
from smederijen import pagecache, parts

register = template.Library()
CARD = "ideas/_idea_card.html"
SUPPORTERS = "supporters"  # the kind of hole
KEPT_CARDS = 20_000  # about 1.5 KB each: at most some 30 MB per worker
_cards = parts.Kept(KEPT_CARDS)


def _shown(idea, heading_level) -> tuple:
    """Everything the card shows (templates/ideas/_idea_card.html), as its key."""
    if hasattr(idea, "as_idea"):  # a row of the list (ideas.public_views.CardRow)
        area = idea.smederij_name or ""
    else:
        area = idea.smederij.name if idea.smederij_id else ""
    return (
        get_language(),
        heading_level,
        idea.pk,
        idea.reference,
        idea.title,
        area,
        idea.status,
        idea.summary,
        idea.kind,
        getattr(idea, "support_total", 0) or 0,
        idea.amount_requested,
    )


@register.simple_tag
def idea_card(idea, heading_level=3):
    def make():
        # A row of the list (ideas.public_views.CardRow) is drawn as the idea it is.
        shown = idea.as_idea() if hasattr(idea, "as_idea") else idea
        return get_template(CARD).render({"idea": shown, "heading_level": heading_level})

    html = _cards.get_or_make(_shown(idea, heading_level), make)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was made


def supporters_text(total: int) -> str:
    return ngettext("%(counter)s supporter", "%(counter)s supporters", total) % {"counter": total}


@register.simple_tag
def supporters(idea):
    """The number of supporters on the card, as a hole of the kept pages."""
    return pagecache.hole(
        SUPPORTERS, idea.pk, supporters_text(getattr(idea, "support_total", 0) or 0)
    )


def current_supporters(keys: list[int]) -> dict[int, str]:
    """The holes' fill function: the text of each idea's current number, in one query."""
    return {pk: supporters_text(total) for pk, total in support_totals(keys).items()}
