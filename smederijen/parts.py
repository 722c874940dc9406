"""Parts of pages kept by each worker, under a key of the version of what they show.

A kept page (smederijen/pagecache.py) is the whole answer to one address for visitors without an
account. A *part* is smaller and is used on every answer that shows it, the page cache on or
off, signed in or not: an idea's card in the lists (ideas/templatetags/idea_cards.py), or the
content of an idea's page (its facts, text, money, photos, decisions and history), which is the
same for everyone until the idea or one of its rows changes. The rest of the page (the frame,
the number of supporters, the support form and its token, messages) is made on every answer.

Each worker keeps the parts it made in memory (``Kept``, the least recently used go first). A
part's key holds the version of what it shows, so a kept part is never out of date and nothing
has to be forgotten:
- a card's key is everything the card shows (its title, status, area name, number...);
- a part made from many rows uses the *stamps* of the page cache's scopes
  (``pagecache.current_stamps``): every committed change of a row that shows on the idea's page
  replaces the stamp of ``idea:<reference>`` (or ``site``), the same rule that makes a kept page
  out of date, so the same change makes the kept part be made again. Reading the stamps is one
  query; a page the page cache answered has read them already.
A new deploy starts new workers: new templates and translations start with nothing kept.
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import pagecache


class Kept:
    """A worker's parts, at most ``size`` of them; the one used longest ago goes first."""

    def __init__(self, size: int):
        self.size = size
        self._parts: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            part = self._parts.get(key)
            if part is not None:
                self._parts.move_to_end(key)
            return part

    def put(self, key, part) -> None:
        with self._lock:
            self._parts[key] = part
            self._parts.move_to_end(key)
            while len(self._parts) > self.size:
                self._parts.popitem(last=False)

    def get_or_make(self, key, make):
        """The part kept under ``key``, or ``make()``'s, kept unless it is None (not to be
        kept: a form with errors)."""
        part = self.get(key)
        if part is None:
            part = make()
            if part is not None:
                self.put(key, part)
        return part

    def clear(self) -> None:
        with self._lock:
            self._parts.clear()


# An idea's content is 10-20 KB of HTML: 2,000 of them are at most some 40 MB per worker, and
# more than the ideas a year brings.
_kept = Kept(2_000)
# What a typed search finds: apart, so that many different searches (anyone can type them) push
# out only other searches, never an idea's content.
SEARCHES = Kept(500)
# The idea list's filters as an address chooses them (only choices that are there), and the
# links to a list's pages (a search's words are in them): apart too, as anyone can type an address.
FILTERS = Kept(2_000)
PAGINATIONS = Kept(2_000)
# What a page of a list or a search shows of its ideas (twenty cards and the links to the other
# pages, about 35 KB): apart, as anyone can type an address; 500 are some 17 MB per worker.
RESULTS = Kept(500)


def by_version(request, name: str, scopes: list[str], make, kept: Kept | None = None):
    """``make()``, kept by the current stamps of ``site`` and ``scopes`` (what it is made of),
    the language and ``name`` (which must name everything else it depends on, such as a
    page's filters). For a value made from many rows that a page needs on every answer (the
    number of ideas of a list, the years and areas to choose from), or a part of a page
    (``of_version``).

    As a kept page, it is made again at the latest after ``settings.PART_SECONDS`` (a bulk
    change that sends no signal), and at midnight (texts that depend on today's date)."""
    seconds = settings.PART_SECONDS
    if not seconds:
        return make()
    stamps = pagecache.current_stamps(request, scopes)
    if None in stamps:  # the cache could not be read: made, not kept
        return make()
    period = int(time.time() // seconds)
    key = (name, get_language(), timezone.localdate().isoformat(), period, stamps)
    return (kept or _kept).get_or_make(key, make)


def read_stamps(request, scopes) -> None:
    """The stamps of ``site`` and ``scopes`` that the parts of a page will need, read at once
    (one query; else one for each part that needs a scope not read yet)."""
    if settings.PART_SECONDS:
        pagecache.current_stamps(request, scopes)


def choices_by_version(request, field, name: str, scopes=()) -> None:
    """A model choice field's choices as its box shows them, read once per version of the rows
    they come from (``by_version``: ``name`` names which rows, such as the areas they are for)
    instead of on every page. The field's queryset still checks a choice."""
    field.choices = by_version(
        request,
        f"choices:{name}:{field.empty_label}",
        list(scopes),
        lambda: [("" if value == "" else str(value), str(label)) for value, label in field.choices],
    )


def of_version(request, name: str, scopes: list[str], make, kept: Kept | None = None) -> SafeString:
    """A part of a page (HTML) kept by the version of what it shows (``by_version``). ``make``
    must show nothing of the visitor: no token, no form, no name."""
    return mark_safe(by_version(request, name, scopes, make, kept))  # noqa: S308 - our own template


def forget_all() -> None:
    """Every part this worker keeps (for tests that change a template's data behind its back)."""
    for kept in (_kept, SEARCHES, FILTERS, PAGINATIONS, RESULTS):
        kept.clear()
