from django.urls import reverse
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


def site(request):
    path = getattr(request, "path", "")
    items = []
    for name, label in NAVIGATION:
        url = reverse(name)
        current = path == url or (url != "/" and path.startswith(url))
        items.append({"url": url, "label": label, "current": current})
    return {"navigation": items}
