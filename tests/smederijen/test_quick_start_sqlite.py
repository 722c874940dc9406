"""The quick start (`make run`) uses an SQLite file: the demo loads there and the key pages of
every kind of visitor answer, kept pages included."""

import pytest

from tests.smederijen.test_settings import manage

PAGES = """
from django.contrib.auth import get_user_model
from django.test import Client
from ideas.models import Idea

staff = Client(HTTP_HOST="127.0.0.1")
staff.force_login(get_user_model().objects.get(email="sanne.jonker@example.org"))
review = Idea.objects.filter(smederij__slug="krakeel").exclude(status="concept").first()
for url in ["/werkvoorraad/", f"/werkvoorraad/{review.public_id}/", "/rapportage/"] * 2:
    print("STAFF", url, staff.get(url).status_code)
for url in ["/", "/ideeen/", "/zoeken/?q=bankjes", "/bewonersbudget/"] * 2:
    print("VISITOR", url, Client(HTTP_HOST="127.0.0.1").get(url).status_code)

# Pages after the first are read from where they start (a row comparison on SQLite's text
# moments): two ideas a page, every published idea once, newest first.
import html, re
import ideas.public_views as views
views.PER_PAGE = 2
wanted = [html.escape(i.title) for i in Idea.objects.published().order_by("-submitted_at", "-pk")]
title = re.compile(r'idea-card__title" lang="nl"><a class="utrecht-link" href="[^"]+">([^<]+)<')
shown = []
for number in range(1, (len(wanted) + 1) // 2 + 1):
    page = Client(HTTP_HOST="127.0.0.1").get(f"/ideeen/?pagina={number}").content.decode()
    shown += title.findall(page)
print("ORDER", len(wanted) > 4 and shown == wanted)
"""


@pytest.mark.parametrize("kept", ["300", "0"])
def test_the_demo_on_sqlite_serves_the_key_pages(tmp_path, kept):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "SMEDERIJEN_PAGE_CACHE_SECONDS": kept,
        "SMEDERIJEN_PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    for command in (["migrate", "--noinput"], ["createcachetable"], ["load_demo_data"]):
        result = manage(*command, **env)
        assert result.returncode == 0, result.stderr[-3000:]
    result = manage("shell", "-v", "0", "-c", PAGES, **env)
    lines = [line for line in result.stdout.splitlines() if line.startswith(("STAFF", "VISITOR"))]
    assert len(lines) == 14, result.stderr[-3000:]
    assert all(line.endswith(" 200") for line in lines), lines
    assert "ORDER True" in result.stdout, result.stdout[-3000:]
