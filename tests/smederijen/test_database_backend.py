"""The health check of kept database connections (smederijen/postgresql/base.py): a worker's
connection that PostgreSQL ended is noticed before a page uses it, and a connection that is fine
costs no query to check."""

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db


def last_query_of(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


@pytest.fixture
def worker_connection():
    """A second connection, as a gunicorn worker keeps one from request to request."""
    kept = connections.create_connection("default")
    kept.ensure_connection()
    yield kept
    kept.close()


def test_the_portal_uses_its_own_postgresql_backend():
    assert connection.settings_dict["ENGINE"] == "smederijen.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_connection_that_is_fine_is_checked_without_a_query(worker_connection):
    with worker_connection.cursor() as cursor:
        cursor.execute("SELECT 'the last page'")
    # A new request: Django checks the kept connection before its first query.
    worker_connection.health_check_done = False
    worker_connection.close_if_health_check_failed()
    assert worker_connection.connection is not None  # kept
    assert last_query_of(worker_connection.connection.info.backend_pid) == "SELECT 'the last page'"


def test_a_connection_that_postgresql_ended_is_replaced_before_the_next_page(worker_connection):
    pid = worker_connection.connection.info.backend_pid
    with connection.cursor() as cursor:  # as a restart or failover of PostgreSQL would
        cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])  # waits until it ended
        assert cursor.fetchone()[0] is True
    worker_connection.health_check_done = False
    worker_connection.close_if_health_check_failed()
    # The next page gets a new connection instead of an error.
    with worker_connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert worker_connection.connection.info.backend_pid != pid
