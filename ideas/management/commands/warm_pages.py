"""`manage.py warm_pages --url https://…`: visit every public page once, as a visitor without an
account, so that the server keeps it (smederijen/pagecache.py) before the first real visitor asks.

Run after a deploy (``migrate`` makes every kept page out of date) and whenever the page cache was
emptied. It asks the running site over HTTP, so the pages are made by the servers that serve them;
a change later makes only the pages it touches out of date (their scopes), and the next visitor of
such a page makes it again.
"""

import math
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from ideas.models import Idea, Kind
from smederijen.models import Smederij
from teams.models import Team

from ...public_views import PER_PAGE


def public_addresses() -> list[str]:
    """The kept public pages (the views with ``for_visitors``) a visitor reaches by clicking: the
    site's own pages, every page of the idea list, every published idea, the idea list of every
    area and kind, the team pages."""
    addresses = [
        reverse("smederijen:home"),
        reverse("smederijen:smederij-list"),
        reverse("smederijen:accessibility"),
        reverse("teams:team-list"),
        reverse("teams:initiatiefgroep-list"),
        reverse("budgets:transparency"),
        reverse("ideas:conditions"),
        reverse("ideas:idea-list"),
    ]
    published = Idea.objects.published()
    pages = max(1, math.ceil(published.count() / PER_PAGE))
    addresses += [f"{reverse('ideas:idea-list')}?pagina={n}" for n in range(1, pages + 1)]
    for slug in Smederij.objects.active().values_list("slug", flat=True):
        addresses.append(f"{reverse('ideas:idea-list')}?smederij={slug}")
        addresses += [f"{reverse('ideas:idea-list')}?smederij={slug}&kind={k}" for k in Kind]
    for slug in Team.objects.filter(is_active=True).values_list("slug", flat=True):
        addresses.append(reverse("teams:team-detail", kwargs={"slug": slug}))
    addresses += [i.get_absolute_url() for i in published.only("reference").order_by("-pk")]
    return addresses


class Command(BaseCommand):
    help = "Visit every public page once so that the server keeps it for the first visitors."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default=settings.SMEDERIJEN_SITE_URL,
            help="The address of the running site (default: SMEDERIJEN_SITE_URL).",
        )
        parser.add_argument("--workers", type=int, default=4, help="Pages asked at once.")

    def handle(self, *args, url, workers, **options):
        base = url.rstrip("/")
        addresses = public_addresses()
        started = time.monotonic()

        def visit(path: str) -> int:
            request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                    response.read()
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code
            except OSError:
                return 0

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            statuses = list(pool.map(visit, addresses))
        failed = [path for path, status in zip(addresses, statuses, strict=True) if status != 200]
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{len(addresses) - len(failed)} of {len(addresses)} pages kept in {seconds:.0f} s"
        )
        for path in failed[:10]:
            self.stdout.write(f"  not kept: {path}")
