"""Django's PostgreSQL backend with a health check that costs no round trip.

A gunicorn worker keeps its database connection between requests (``CONN_MAX_AGE``). Before a
request uses a kept connection, Django checks that it still works (``conn_health_checks``) by
sending ``SELECT 1``: one round trip to the database on every request. When PostgreSQL ends a
connection (a restart, a failover, ``pg_terminate_backend``) it first sends a message on it and
closes the socket, so a connection that was ended has something waiting to be read. This check
looks at the socket without waiting: nothing to read means the connection is as it was after the
last request; only when something is waiting does it ask ``SELECT 1``. A connection that broke
silently (a cable, not the server) fails on its first query, and Django closes it after that
request, as without any check.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            waiting, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not waiting or super().is_usable()
