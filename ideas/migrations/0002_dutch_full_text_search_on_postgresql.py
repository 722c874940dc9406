"""Dutch full-text search for ideas on PostgreSQL: a stored, generated tsvector column with a GIN
index, kept up to date by the database itself. SQLite (the quick start) has no such column;
ideas.search falls back to plain matching there. The column is not a model field: Django never
writes it, only ideas.search reads it."""

from django.db import migrations

FORWARD = """
ALTER TABLE ideas_idea ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('dutch', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('dutch', coalesce(summary, '')), 'B') ||
    setweight(to_tsvector('dutch', coalesce(location, '')), 'B') ||
    setweight(to_tsvector('dutch', coalesce(description, '')), 'C')
) STORED;
CREATE INDEX idea_search_document ON ideas_idea USING gin (search_document);
"""
BACKWARD = """
DROP INDEX IF EXISTS idea_search_document;
ALTER TABLE ideas_idea DROP COLUMN IF EXISTS search_document;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_ideas_supports_attachments_conditions")]

    operations = [migrations.RunPython(forward, backward)]
