"""The public pages as a visitor without an account sees them, kept ready in a shared cache.

A page such as the idea list is the same for every visitor who is not signed in: the only
personal part is the CSRF token of the language form, which is put in fresh for each visitor.
The cache is shared by every gunicorn worker and server (a database table, see settings.CACHES
"pages"), so a change seen by one is seen by all.

When is a kept page out of date? When something it shows has changed and the change is
committed. Each page depends on a few *scopes*, each with a version stamp; a change replaces the
stamps of the scopes it touches, and a kept page whose stamps are not all current is not used
again. The scopes:
- ``site``: every page depends on it. A change of a row that does not say otherwise (an area, a
  page text, a budget, a team) replaces it, and so every page; so does ``bump()``, a bulk update
  in a service (``bump_after_commit``) and every deploy (``migrate``).
- ``ideas``: pages that show ideas of several areas (the idea list, the search, the money pages).
  This is what a page depends on unless its view names narrower scopes.
- ``idea:<reference>``: one idea's own page; ``area:<slug>``: the pages of one area (the idea list
  filtered on it).
- ``staff``: the staff pages kept per session; every change replaces it.
- ``supporters``: the number of supporters of any idea (a confirmed support, a list of signatures
  on paper). No kept page depends on it (those numbers are holes, below); parts of pages that
  show them do (smederijen/parts.py: the cards of a page of the list).
A row says which scopes it touches with a method ``page_scopes()`` (an idea: its own page, its
area and ``ideas``; a support that is not yet confirmed: none, as no public page shows it).
A change to one idea therefore leaves the pages of every other idea and of every other area in
place. At the latest a kept page goes after ``PAGE_CACHE_SECONDS`` (texts that depend on today's
date).
During a post the stamps are replaced once, after the response, and only when the post changed a
row and the change was committed: an invalid form, a refused or rate-limited post, a rolled-back
change or a language switch keep every page, so no visitor can empty the cache by posting.

Who never gets a kept page: anyone with a session cookie (signed in, or a form in progress) or
with messages waiting, and every request that is not a GET.

A few numbers on a kept page change far more often than the page: how many people support an
idea, on every card of the lists and the search. They are *holes* in the kept page: the page is
made with the marker ``<!--hole:<kind>:<key>-->text<!--/hole-->`` around such a number
(``hole()``), and each time a kept page is answered the holes are filled with the current text,
read for all holes of the page in one query (the function ``settings.PAGE_CACHE_HOLES`` names
for the hole's kind). A confirmed support therefore makes only its idea's own page out of date,
not every list that shows the idea. Each worker keeps the texts it read by the stamp of the
scope named as the kind (``supporters``), read with the page: until a support is confirmed, a
kept list reads no number at all.

A few staff pages that read many rows are kept per session too (``for_this_session``): the same
stamp makes them out of date, and the key holds the session key and today's date.
"""

import functools
import hashlib
import re
import threading
import time
import uuid
import zlib

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.middleware.csrf import CSRF_TOKEN_LENGTH, get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import escape, format_html
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import gzipparts

ALIAS = "pages"
PLACEHOLDER = "__smederijen_csrf_token__"
# In every key: a new way of keeping a page never reads a page kept the old way.
FORMAT = 6
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Where a visitor's own or a current value goes: the token's placeholder, or a hole's text.
SPOT = re.compile(
    PLACEHOLDER.encode() + rb"|<!--hole:([a-z]+):([0-9]+)-->(.*?)<!--/hole-->", re.DOTALL
)
# A hole's text is padded to this many bytes, so that every answer puts the same number of bytes
# in its place (smederijen/gzipparts.py): "999.999 mensen", "999,999 supporters" fit.
HOLE_TEXT_LENGTH = 20
OWN_APPS = {"smederijen", "ideas", "teams", "budgets"}
SITE, EVERY_IDEA, STAFF, SUPPORTERS = "site", "ideas", "staff", "supporters"
_post = threading.local()  # a post is being answered in this thread
# Rows that change often and never show on any page that is kept.
IGNORED_MODELS = {"smederijen.auditevent"}


def _cache():
    return caches[ALIAS]


@functools.cache
def _fill_function(kind: str):
    """``settings.PAGE_CACHE_HOLES`` names, per kind of hole, the function that gives the current
    text of each hole of that kind (``fill(keys) -> {key: text}``), for all holes of one page
    in one query."""
    return import_string(settings.PAGE_CACHE_HOLES[kind])


def _padded(text: str) -> str:
    """The hole's text (escaped), padded with spaces to ``HOLE_TEXT_LENGTH`` bytes (at the end of
    a line of text a browser shows no spaces); a text too long for it stays as it is (and the
    page is not kept)."""
    text = escape(text)
    return text + " " * (HOLE_TEXT_LENGTH - len(text.encode()))


def hole(kind: str, key: int, text: str) -> str:
    """``text`` as a hole of a kept page: filled anew whenever the page is answered."""
    return format_html(
        "<!--hole:{}:{}-->{}<!--/hole-->",
        kind,
        int(key),
        mark_safe(_padded(text)),  # noqa: S308
    )


@functools.lru_cache(maxsize=2_000)
def _kept_texts(kind: str, keys: tuple, version: tuple, language: str) -> dict:
    """The texts of these holes as ``_fill_function`` gives them, kept by each worker under the
    version of what they show (``version``: the stamps of ``site`` and of the scope named as the
    kind, and the period of ``PAGE_CACHE_SECONDS``) and the language they are in."""
    return _fill_function(kind)(list(keys))


def _filled(spots: tuple, token: bytes, versions: dict) -> list[bytes]:
    """What goes in each spot of a kept page: the token, or the current text of a hole (one
    query per kind of hole, whatever the number of holes, and none while the texts kept for the
    current version of that kind are there: ``versions``)."""
    wanted: dict[str, set[int]] = {}
    for spot in spots:
        if spot is not None:
            wanted.setdefault(spot[0], set()).add(spot[1])
    values = {}
    for kind, keys in wanted.items():
        version = versions.get(kind)
        if version is None:  # the cache could not be read
            texts = _fill_function(kind)(sorted(keys))
        else:
            texts = _kept_texts(kind, tuple(sorted(keys)), version, get_language())
        for key in keys:
            values[kind, key] = _padded(texts.get(key, "")).encode()
    return [token if spot is None else values[spot] for spot in spots]


def _hole_versions(found: dict, site_stamp) -> dict:
    """The version of each kind of hole's texts (see ``_kept_texts``) from the stamps read with a
    kept page; a kind whose scope has no stamp yet gets one (once)."""
    kinds = list(settings.PAGE_CACHE_HOLES)
    stamp_keys = [_stamp_key(kind) for kind in kinds]
    stamps = _current_stamps(stamp_keys, found)
    period = int(time.time() // max(settings.PAGE_CACHE_SECONDS, 1))
    return {
        kind: None if None in (stamp, site_stamp) else (site_stamp, stamp, period)
        for kind, stamp in zip(kinds, stamps, strict=True)
    }


def idea_scope(reference: str) -> str:
    return f"idea:{reference}"


def area_scope(slug: str) -> str:
    return f"area:{slug}"


def _stamp_key(scope: str) -> str:
    # Hashed: a scope holds an idea's reference or an area's slug from the address.
    return f"stamp:{FORMAT}:{hashlib.sha256(scope.encode()).hexdigest()[:32]}"


def bump(*scopes: str) -> None:
    """The kept pages of these scopes are out of date from now on; without scopes: every page."""
    scopes = scopes or (SITE,)
    _cache().set_many({_stamp_key(scope): uuid.uuid4().hex for scope in set(scopes)}, None)


def changed_after_commit(scopes) -> None:
    """Once the change is committed, these scopes (and the staff pages) are out of date: a page
    rendered before the commit must not be kept under the new stamp, and a change that is rolled
    back changes no page. During a post the middleware bumps once, after the response."""
    scopes = {*scopes, STAFF}
    if getattr(_post, "active", False):
        transaction.on_commit(lambda: _post.scopes.update(scopes))
    else:
        transaction.on_commit(lambda: bump(*scopes))


def bump_after_commit() -> None:
    """For a bulk update (which sends no signal): every kept page, once it is committed."""
    changed_after_commit((SITE,))


def model_changed(sender, instance=None, **kwargs) -> None:
    meta = sender._meta
    if meta.apps is not global_apps or kwargs.get("raw"):
        return  # a data migration's historical model, or loaddata: migrated() bumps after
    if meta.app_label not in OWN_APPS or meta.label_lower in IGNORED_MODELS:
        return
    page_scopes = getattr(instance, "page_scopes", None)
    changed_after_commit(page_scopes() if page_scopes is not None else (SITE,))


def migrated(**kwargs) -> None:
    """After `migrate` (every deploy): pages made by the old code are not used again."""
    try:
        bump()
    except DatabaseError:
        pass  # a new database: `createcachetable` comes after `migrate`, and nothing is kept yet


def _may_use(request) -> bool:
    if request.method != "GET" or not settings.PAGE_CACHE_SECONDS:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _may_use_personal(request) -> bool:
    if request.method != "GET" or not settings.PAGE_CACHE_SECONDS:
        return False
    session = getattr(request, "session", None)
    return (
        session is not None
        and session.session_key is not None
        and request.user.is_authenticated
        and "messages" not in request.COOKIES
        and "_messages" not in session
    )


def _address(request) -> str:
    """The page's address as a short key part: an address may be long (a search), a key not."""
    return hashlib.sha256(request.get_full_path().encode()).hexdigest()


def _key(request) -> str:
    return f"pages:{FORMAT}:{get_language()}:{_address(request)}"


def _personal_key(request) -> str:
    # Today's date: ages and "past the decision date" change at midnight.
    today = timezone.localdate().isoformat()
    session = request.session.session_key
    return f"own:{FORMAT}:{session}:{get_language()}:{today}:{_address(request)}"


def for_visitors(view=None, *, scopes=None):
    """Keep this view's page for visitors without an account (see the module's text).

    ``scopes(request, *args, **kwargs)`` names what the page shows, when that is less than the
    ideas of every area: ``[]`` for a page without ideas, ``["idea:<reference>"]`` for one idea's
    page, ``["area:<slug>"]`` for one area's."""

    def decorate(view):
        return _kept(view, _may_use, _key, scopes or _every_idea)

    return decorate(view) if view is not None else decorate


def no_ideas(request, *args, **kwargs):
    """The scopes of a page that shows no idea (only ``site``)."""
    return ()


def do_not_keep(response):
    """This response is not kept (a page for a wrong address or filter)."""
    response.not_for_keeping = True
    return response


def _every_idea(request, *args, **kwargs):
    return (EVERY_IDEA,)


def _staff_pages(request, *args, **kwargs):
    return (EVERY_IDEA, STAFF)


def for_this_session(view):
    """Keep a signed-in person's own page for their own session, until anything changes.

    For the staff pages that read many rows (werkvoorraad, review page, report). The key holds
    the session, so nobody else ever gets it; signing out ends it. Any committed change of our
    own rows makes it out of date (the scope ``staff``).

    The audit trail: making the page writes its row (who opened whose personal data, when). The
    kept page is the same person's view of the same data, in the same session, at most
    ``PAGE_CACHE_SECONDS`` later and with nothing changed since (any change makes it be made
    again, with a new row); opening it again in that time writes no new row. (A row for every
    reload cost the review page a quarter of its speed: 556 against 741 requests/s.)"""
    return _kept(view, _may_use_personal, _personal_key, _staff_pages)


def _current_stamps(stamp_keys: list[str], found: dict) -> tuple:
    """The stamps of these scopes; a scope without one (never changed, or pushed out of the
    cache) gets one first, before the page is made: a change after this replaces it."""
    missing = [key for key in stamp_keys if key not in found]
    if missing:
        for key in missing:
            _cache().add(key, uuid.uuid4().hex, None)
        found = {**found, **_cache().get_many(missing)}
    return tuple(found.get(key) for key in stamp_keys)


def current_stamps(request, scopes) -> tuple:
    """The stamps of ``site`` and these scopes now: the version of what a page of these scopes
    shows (smederijen/parts.py keeps parts of pages by it). Each stamp is read once per request
    (one query for those not read yet); a page that the page cache had to make has read its
    stamps already, before the view."""
    scopes = (SITE, *scopes)
    read = getattr(request, "page_stamps", None)
    if read is None:
        read = request.page_stamps = {}
    missing = [scope for scope in scopes if scope not in read]
    if missing:
        stamp_keys = [_stamp_key(s) for s in missing]
        stamps = _current_stamps(stamp_keys, _cache().get_many(stamp_keys))
        read.update(zip(missing, stamps, strict=True))
    return tuple(read[scope] for scope in scopes)


def _kept(view, may_use, make_key, page_scopes):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_use(request):
            return view(request, *args, **kwargs)
        key = make_key(request)
        scopes = (SITE, *page_scopes(request, *args, **kwargs))
        stamp_keys = [_stamp_key(s) for s in scopes]
        hole_keys = [_stamp_key(kind) for kind in settings.PAGE_CACHE_HOLES]
        found = _cache().get_many([*stamp_keys, *hole_keys, key])
        kept = found.pop(key, None)
        stamps = tuple(found.get(k) for k in stamp_keys)
        if kept and kept[0] == stamps:
            return _answer(request, kept, _hole_versions(found, stamps[0]))
        stamps = _current_stamps(stamp_keys, found)
        _current_stamps(hole_keys, found)  # its holes' too: then a kept answer finds them
        request.page_stamps = dict(zip(scopes, stamps, strict=True))  # for current_stamps()
        response = view(request, *args, **kwargs)
        _keep(request, key, stamps, response)
        return response

    return wrapped


def _answer(request, kept, hole_versions: dict) -> HttpResponse:
    """A kept page with this visitor's token: compressed once when kept, for a browser that
    accepts gzip (smederijen/gzipparts.py), else unpacked."""
    _stamps, packed, content_type, gzipped, spots = kept
    fillers = _filled(spots, get_token(request).encode(), hole_versions)
    if gzipparts.ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        joined = gzipparts.join(gzipped, fillers)
        if joined is not None:  # else (a filler of another length) sent unpacked
            response = HttpResponse(joined, content_type=content_type)
            response["Content-Encoding"] = "gzip"
            patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
            return response
    parts = zlib.decompress(packed).split(PLACEHOLDER.encode())
    page = [parts[0]]
    for filler, part in zip(fillers, parts[1:], strict=True):
        page += [filler, part]
    response = HttpResponse(b"".join(page), content_type=content_type)
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    return response


def _keep(request, key, stamps, response) -> None:
    messages = getattr(request, "_messages", None)
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith("text/html")
        or (messages is not None and messages.added_new)
        or None in stamps  # the cache cannot write: keep nothing
        or getattr(response, "not_for_keeping", False)
    ):
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    content = TOKEN.sub(rb"\g<1>" + PLACEHOLDER.encode() + rb"\g<2>", response.content)
    # The parts between the spots (tokens and holes' texts), what each spot holds and how long
    # what goes in it is.
    parts, spots, gaps, start = [], [], [], 0
    for spot in SPOT.finditer(content):
        kind = spot.group(1)
        if kind is None:
            spots.append(None)
            gaps.append(CSRF_TOKEN_LENGTH)
            parts.append(content[start : spot.start()])
            start = spot.end()
        else:
            if len(spot.group(3)) != HOLE_TEXT_LENGTH:
                return  # a text too long for its hole: made afresh each time
            spots.append((kind.decode(), int(spot.group(2))))
            gaps.append(HOLE_TEXT_LENGTH)
            parts.append(content[start : spot.start(3)])
            start = spot.end(3)
    parts.append(content[start:])
    gzipped = gzipparts.prepare(parts, gaps)
    if gzipped is None:
        return  # a page with a zero byte: not kept (see gzipparts.prepare)
    # Compressed: the page is read from the database on every view. Compressed it is 13-19 % of
    # its size (the staff pages, 32-58 KB); unpacking it again takes under 0.1 ms.
    entry = (
        stamps,
        zlib.compress(PLACEHOLDER.encode().join(parts), 1),
        response["Content-Type"],
        gzipped,
        tuple(spots),
    )
    _cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
    patch_vary_headers(response, ("Cookie",))


def forget_all() -> None:
    """Remove every kept page: after an erasure no copy of a person's data may stay behind."""
    _cache().clear()


class ForgetPagesAfterPostsMiddleware:
    """During a post the model signals do not bump: this bumps the scopes the post changed once,
    after the response, when the change was committed (see the module's text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return self.get_response(request)
        _post.active, _post.scopes = True, set()
        try:
            response = self.get_response(request)
        finally:
            _post.active = False
        # A post that committed no change (a refused token, an invalid form, too many posts, a
        # language switch) keeps the pages: a flood of such posts cannot make every page be made
        # again.
        if _post.scopes:
            bump(*_post.scopes)
        return response
