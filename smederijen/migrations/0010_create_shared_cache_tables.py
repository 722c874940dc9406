"""The shared cache tables (settings.CACHES: rate limits, kept pages, sessions) are made by
``createcachetable``. A release that adds one would break every page that uses it until someone
runs that command; here ``migrate`` makes any that is missing, on every database it migrates."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("smederijen", "0009_support_staff_keep_page_and_mail_texts")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
