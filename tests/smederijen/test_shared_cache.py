"""The shared cache table (smederijen/cache.py): Django's database cache with a ``set`` of one
statement, on the real database."""

import pytest

from smederijen import cache as shared_cache
from smederijen.cache import SharedTableCache

pytestmark = pytest.mark.django_db


@pytest.fixture
def table():
    cache = SharedTableCache("smederijen_page_cache", {"OPTIONS": {"MAX_ENTRIES": 10}})
    cache.clear()
    yield cache
    cache.clear()


def test_a_set_is_one_statement_and_overwrites(table, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(shared_cache, "CULL_EVERY", 10**9)  # no count this time
    with django_assert_num_queries(1):
        table.set("count", [1.0], 60)
    table.set("count", [1.0, 2.0], 60)
    assert table.get("count") == [1.0, 2.0]
    table.set("forever", "stamp", None)
    assert table.get("forever") == "stamp"


def test_an_expired_value_is_gone(table):
    table.set("old", "value", -1)
    assert table.get("old") is None
    assert table.get_many(["old"]) == {}


def test_a_full_table_is_culled_now_and_then(table, monkeypatch):
    monkeypatch.setattr(shared_cache, "CULL_EVERY", 1)  # count at every set
    for n in range(30):
        table.set(f"key-{n:02}", n, 600)
    kept = table.get_many([f"key-{n:02}" for n in range(30)])
    assert len(kept) <= 11  # at most MAX_ENTRIES, plus the one just written
    assert kept["key-29"] == 29  # culling comes before the write: the value just set stays


def test_add_and_touch_are_djangos_own(table):
    assert table.add("once", 1, 60) is True
    assert table.add("once", 2, 60) is False
    assert table.get("once") == 1
    assert table.touch("once", 120) is True
    table.set("once", 3, 60)  # a set after an add overwrites, as Django's own does
    assert table.get("once") == 3
