"""An idea's card in the lists (``{% idea_card idea %}``), made once per version of what it shows.

The card of an idea is the same on every list page and every search that shows it, until one of
the things on it changes. Made from the template it costs about 0.6 ms (the status and kind
labels, the plural of the support count, the amount); twenty of them were a third of the idea
list's time. Each worker keeps the cards it made, under a key of everything the card shows: a
changed title, status, area name or support count is a new key, so a kept card is never out of
date and nothing has to be forgotten. A new deploy starts new workers, so new templates and
translations start with no cards.
"""

import threading
from collections import OrderedDict

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()
CARD = "ideas/_idea_card.html"
KEPT_CARDS = 20_000  # about 1.5 KB each: at most some 30 MB per worker
_cards: OrderedDict = OrderedDict()
_lock = threading.Lock()


def _shown(idea, heading_level) -> tuple:
    """Everything the card shows (templates/ideas/_idea_card.html), as its key."""
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
    key = _shown(idea, heading_level)
    with _lock:
        html = _cards.get(key)
        if html is not None:
            _cards.move_to_end(key)
    if html is None:
        html = get_template(CARD).render({"idea": idea, "heading_level": heading_level})
        with _lock:
            _cards[key] = html
            while len(_cards) > KEPT_CARDS:
                _cards.popitem(last=False)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was made
