"""SQL that the ORM builds once per worker, with marks where the values go.

Building a query with the ORM costs far more than PostgreSQL takes to answer it: for a union of
seven tables or a dozen counts, a few milliseconds of Python on every page. ``Prepared`` builds
the SQL once from a queryset made with *marks* (values that no row has, of the type of the
field) and then only puts each request's values in their places. psycopg sends the same SQL
each time, so PostgreSQL plans it once too (settings: server-side binding).

Only for querysets whose SQL does not depend on the values but on their number (a list of keys
gives one mark each: build one ``Prepared`` per length). ``rows`` gives the rows as the database
gives them, without the ORM's conversions: on SQLite moments are text, so a caller whose rows
hold moments uses the ORM there. ``objects`` gives model instances as the queryset would (with
its select_related and annotations, converted as the ORM converts them).
"""

from django.db import connection
from django.db.models.query import get_related_populators


class Prepared:
    def __init__(self, queryset, *, offset=False, **marks):
        """``queryset``: a values_list made with ``marks`` (name: the mark) as its values.
        ``offset``: the rows from the value ``offset`` on (a slice's OFFSET Django would write
        into the SQL; here it is a value too)."""
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        self.sql, self.params = sql, list(params)
        self._compiler = compiler  # what each column is, to make instances (``objects``)
        self.places = {
            name: [
                index
                for index, value in enumerate(self.params)
                # Not True for 1: a flag is no mark. (psycopg may wrap a number: Int2(32000).)
                if isinstance(value, bool) is isinstance(mark, bool) and value == mark
            ]
            for name, mark in marks.items()
        }
        missing = [name for name, places in self.places.items() if not places]
        if missing:
            raise ValueError(f"marks not found in the SQL: {missing}")
        if offset:
            self.sql += " OFFSET %s"
            self.places["offset"] = [len(self.params)]
            self.params.append(0)

    def rows(self, **values) -> list[tuple]:
        """The rows, with each mark's place filled with its value."""
        params = list(self.params)
        for name, value in values.items():
            for place in self.places[name]:
                params[place] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()

    def objects(self, **values) -> list:
        """The rows as the queryset's model instances (a queryset of instances, not values):
        what Django's ``ModelIterable`` does with the rows, the SQL not built again."""
        compiler = self._compiler
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        first, last = fields[0], fields[-1] + 1
        names = [column[0].target.attname for column in select[first:last]]
        related = get_related_populators(klass_info, select, compiler.using)
        found = []
        for row in compiler.results_iter(results=[self.rows(**values)]):
            instance = klass_info["model"].from_db(compiler.using, names, row[first:last])
            for populator in related:
                populator.populate(row, instance)
            for name, place in compiler.annotation_col_map.items():
                setattr(instance, name, row[place])
            found.append(instance)
        return found
