from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The main navigation. Later issues add their pages here (Ideeën, Idee indienen, Zoeken);
# only pages that exist are listed.
NAVIGATION = [
    ("smederijen:home", _("Home")),
    ("smederijen:about", _("About De Smederijen")),
    ("smederijen:smederij-list", _("Smederijen")),
    ("teams:team-list", _("Wijk- en dorpenteams")),
    ("teams:initiatiefgroep-list", _("Initiatiefgroepen")),
]


def site(request):
    path = getattr(request, "path", "")
    items = []
    for name, label in NAVIGATION:
        url = reverse(name)
        current = path == url or (url != "/" and path.startswith(url))
        items.append({"url": url, "label": label, "current": current})
    return {"navigation": items}
