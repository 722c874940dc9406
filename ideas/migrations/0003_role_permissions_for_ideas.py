"""Give the gebiedsregisseurs and support staff what they need in the ideas admin.

Statuses change only through the services; admin "change" on an idea edits its content, kind and
publication (which call the services). The wijkteam reviews in the browser (review issue), not
in admin.
"""

from django.db import migrations

from smederijen import role_permissions

OFFICE_PERMISSIONS = [
    ("idea", ("change", "view")),
    ("condition", ("add", "change", "delete", "view")),
    ("budgetline", ("add", "change", "delete", "view")),
    ("papersupportlist", ("add", "change", "delete", "view")),
    ("attachment", ("change", "view")),
    ("statuschange", ("view",)),
    ("support", ("view",)),
    ("inventoryremark", ("view",)),
]
ROLE_PERMISSIONS = {"Gebiedsregisseur": OFFICE_PERMISSIONS, "Ondersteuning": OFFICE_PERMISSIONS}


def grant(apps, schema_editor):
    role_permissions.grant(apps, "ideas", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    role_permissions.revoke(apps, "ideas", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0002_dutch_full_text_search_on_postgresql"),
        ("teams", "0003_role_groups_and_the_stuurgroep"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
