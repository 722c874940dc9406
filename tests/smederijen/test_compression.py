"""Pages are sent compressed to a browser that accepts it; the static files were compressed
ahead by WhiteNoise (a page by GZipMiddleware, with Django's BREACH mitigation)."""

import gzip

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import SmederijFactory
from tests.ideas.factories import published_idea

pytestmark = pytest.mark.django_db


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
