"""The public pages as a visitor without an account sees them, kept ready in a shared cache.

A page such as the idea list is the same for every visitor who is not signed in: the only
personal part is the CSRF token of the language form, which is put in fresh for each visitor.
The cache is shared by every gunicorn worker and server (a database table, see settings.CACHES
"pages"), so a change seen by one is seen by all.

When is a kept page out of date? When something that may show on it has changed and the change
is committed:
- every save or delete of a model of our own apps (signals, connected in SmederijenConfig.ready);
  a service that changes rows with a bulk update (which sends no signal) calls
  ``bump_after_commit`` itself;
- and at the latest after ``PAGE_CACHE_SECONDS`` (texts that depend on today's date).
A change replaces one version stamp; a kept page with another stamp is not used again. During a
post the stamp is replaced once, after the response, and only when the post changed a row and the
change was committed: an invalid form, a refused or rate-limited post, a rolled-back change or a
language switch keep every page, so no visitor can empty the cache by posting.

Who never gets a kept page: anyone with a session cookie (signed in, or a form in progress) or
with messages waiting, and every request that is not a GET.

A few staff pages that read many rows are kept per session too (``for_this_session``): the same
stamp makes them out of date, and the key holds the session key and today's date.
"""

import functools
import hashlib
import re
import threading
import uuid
import zlib

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

ALIAS = "pages"
VERSION_KEY = "pages:version"
PLACEHOLDER = "__smederijen_csrf_token__"
# In every key: a new way of keeping a page never reads a page kept the old way.
FORMAT = 3
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
OWN_APPS = {"smederijen", "ideas", "teams", "budgets"}
_post = threading.local()  # a post is being answered in this thread
# Rows that change often and never show on a public page.
IGNORED_MODELS = {"smederijen.auditevent"}


def _cache():
    return caches[ALIAS]


def bump() -> None:
    """Every kept page is out of date from now on."""
    _cache().set(VERSION_KEY, uuid.uuid4().hex, None)


def bump_after_commit() -> None:
    """Once the change is committed: a page rendered before the commit must not be kept under
    the new stamp, and a change that is rolled back changes no page. During a post the
    middleware bumps once, after the response."""
    if getattr(_post, "active", False):
        transaction.on_commit(_post_changed_something)
    else:
        transaction.on_commit(bump)


def _post_changed_something() -> None:
    _post.changed = True


def model_changed(sender, **kwargs) -> None:
    meta = sender._meta
    if meta.apps is not global_apps or kwargs.get("raw"):
        return  # a data migration's historical model, or loaddata: migrated() bumps after
    if meta.app_label in OWN_APPS and meta.label_lower not in IGNORED_MODELS:
        bump_after_commit()


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


def for_visitors(view):
    """Keep this view's page for visitors without an account (see the module's text)."""
    return _kept(view, _may_use, _key)


def for_this_session(view):
    """Keep a signed-in person's own page for their own session, until anything changes.

    For the staff pages that read many rows (werkvoorraad, review page, report). The key holds
    the session, so nobody else ever gets it; signing out ends it.

    The audit trail: making the page writes its row (who opened whose personal data, when). The
    kept page is the same person's view of the same data, in the same session, at most
    ``PAGE_CACHE_SECONDS`` later and with nothing changed since (any change makes it be made
    again, with a new row); opening it again in that time writes no new row. (A row for every
    reload cost the review page a quarter of its speed: 556 against 741 requests/s.)"""
    return _kept(view, _may_use_personal, _personal_key)


def _kept(view, may_use, make_key):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_use(request):
            return view(request, *args, **kwargs)
        key = make_key(request)
        found = _cache().get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        kept = found.get(key)
        if version and kept and kept[0] == version:
            content = zlib.decompress(kept[1])
            response = HttpResponse(
                content.replace(PLACEHOLDER.encode(), get_token(request).encode()),
                content_type=kept[2],
            )
            patch_vary_headers(response, ("Cookie",))
            return response
        response = view(request, *args, **kwargs)
        _keep(request, key, version, response)
        return response

    return wrapped


def _keep(request, key, version, response) -> None:
    messages = getattr(request, "_messages", None)
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith("text/html")
        or (messages is not None and messages.added_new)
    ):
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if not version:
        version = uuid.uuid4().hex
        _cache().set(VERSION_KEY, version, None)
    content = TOKEN.sub(rb"\g<1>" + PLACEHOLDER.encode() + rb"\g<2>", response.content)
    # Compressed: the page is read from the database on every view. Compressed it is 13-19 % of
    # its size (the staff pages, 32-58 KB); unpacking it again takes under 0.1 ms.
    entry = (version, zlib.compress(content, 1), response["Content-Type"])
    _cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
    patch_vary_headers(response, ("Cookie",))


def forget_all() -> None:
    """Remove every kept page: after an erasure no copy of a person's data may stay behind."""
    _cache().clear()


class ForgetPagesAfterPostsMiddleware:
    """During a post the model signals do not bump: this bumps once, after the response, when
    the post committed a change (see the module's text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return self.get_response(request)
        _post.active, _post.changed = True, False
        try:
            response = self.get_response(request)
        finally:
            _post.active = False
        # A post that committed no change (a refused token, an invalid form, too many posts, a
        # language switch) keeps the pages: a flood of such posts cannot make every page be made
        # again.
        if _post.changed:
            bump()
        return response
