"""The office roles keep the pages' texts and the mail texts in admin."""

from django.db import migrations

from smederijen import role_permissions

CONTENT = [
    ("pagetext", ("add", "change", "delete", "view")),
    ("mailtext", ("add", "change", "delete", "view")),
]
ROLE_PERMISSIONS = {"Gebiedsregisseur": CONTENT, "Ondersteuning": CONTENT}


def grant(apps, schema_editor):
    role_permissions.grant(apps, "smederijen", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    role_permissions.revoke(apps, "smederijen", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("smederijen", "0008_page_texts_and_mail_texts_kept_in_admin"),
        ("teams", "0003_role_groups_and_the_stuurgroep"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
