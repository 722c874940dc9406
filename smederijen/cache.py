"""The shared cache: Django's database cache, with a cheaper ``set``.

Django's ``DatabaseCache.set`` counts the whole table, then reads the key and updates or inserts
it in a transaction: five statements on PostgreSQL for every kept page and every rate-limit
count. Here ``set`` is one statement (an upsert, which PostgreSQL and SQLite both have), and the
table is counted and culled at one ``set`` in ``CULL_EVERY`` instead of at each one. Everything
else (get, add, delete, culling itself) is Django's own.
"""

import base64
import pickle
import random
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connections, router
from django.utils.timezone import now as tz_now

CULL_EVERY = 50


class SharedTableCache(DatabaseCache):
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        key_column, value_column, expires_column = (
            quote("cache_key"),
            quote("value"),
            quote("expires"),
        )
        try:
            with connection.cursor() as cursor:
                if random.randrange(CULL_EVERY) == 0:  # noqa: S311 - not for security
                    cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                    count = cursor.fetchone()[0]
                    if count > self._max_entries:
                        self._cull(db, cursor, tz_now().replace(microsecond=0), count)
                cursor.execute(
                    f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) "  # noqa: S608
                    f"VALUES (%s, %s, %s) ON CONFLICT ({key_column}) DO UPDATE SET "
                    f"{value_column} = EXCLUDED.{value_column}, "
                    f"{expires_column} = EXCLUDED.{expires_column}",
                    [key, encoded, expires],
                )
        except DatabaseError:
            return  # as Django's own: a cache that cannot write is a cache that misses
