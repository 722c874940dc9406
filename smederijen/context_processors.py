import functools

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

# The main navigation.
NAVIGATION = [
    ("smederijen:home", _("Home")),
    ("smederijen:about", _("About De Smederijen")),
    ("ideas:idea-list", _("Ideas")),
    ("ideas:idea-start", _("Send in an idea")),
    ("smederijen:smederij-list", _("Smederijen")),
    ("teams:team-list", _("Wijk- en dorpenteams")),
    ("teams:initiatiefgroep-list", _("Initiatiefgroepen")),
    ("ideas:search", _("Search")),
]


@functools.cache
def _addresses(prefix, urlconf) -> tuple:
    """The menu's addresses, looked up once per worker (and per set of urls, for tests)."""
    return tuple(reverse(name, urlconf=urlconf) for name, _label in NAVIGATION)


def site(request):
    path = getattr(request, "path", "")
    items = []
    addresses = _addresses(get_script_prefix(), get_urlconf())
    for (_name, label), url in zip(NAVIGATION, addresses, strict=True):
        current = path == url or (url != "/" and path.startswith(url))
        items.append({"url": url, "label": label, "current": current})
    # The menu is drawn once per worker for each page it marks (``{% kept navigation_current %}``).
    current = tuple(item["current"] for item in items)
    return {"navigation": items, "navigation_current": current}
