"""Pages are sent compressed to a browser that accepts it; the static files were compressed
ahead by WhiteNoise (a page by GZipMiddleware, with Django's BREACH mitigation)."""

import gzip
import re
import zlib

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import SmederijFactory
from tests.ideas.factories import published_idea

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_page_is_sent_compressed_when_the_browser_accepts_gzip():
    published_idea(title="Bankjes bij de Vaart", smederij=SmederijFactory(slug="elim"))
    url = reverse("ideas:idea-list")
    plain = Client().get(url)
    packed = Client().get(url, HTTP_ACCEPT_ENCODING="br, gzip")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert "Bankjes bij de Vaart" in page
    assert len(packed.content) < len(plain.content) / 3


def test_each_compressed_page_differs_in_length_so_a_secret_cannot_be_guessed_from_it():
    """BREACH: the same page compressed twice differs in length (random bytes in the gzip
    header) and carries a token masked anew."""
    url = reverse("smederijen:contact")
    lengths = {len(Client().get(url, HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)}
    assert len(lengths) > 1


def test_a_kept_page_is_sent_as_one_gzip_stream_with_the_visitors_own_token(settings):
    """Kept pages are compressed once; each answer puts the visitor's token in (gzipparts)."""
    settings.PAGE_CACHE_SECONDS = 300
    published_idea(title="Bankjes bij de Vaart", smederij=SmederijFactory(slug="elim"))
    url = reverse("ideas:idea-list")
    first = Client().get(url, HTTP_ACCEPT_ENCODING="gzip").content  # made, and kept
    visitor = Client(enforce_csrf_checks=True)
    kept = visitor.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert kept["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in kept["Vary"]
    stream = zlib.decompressobj(31)  # one gzip member holds the whole page, checksum and all
    page = stream.decompress(kept.content).decode()
    assert stream.eof and not stream.unused_data
    token = TOKEN.search(page).group(1)
    assert TOKEN.sub("", page) == TOKEN.sub("", gzip.decompress(first).decode())
    assert "Bankjes bij de Vaart" in page
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
