"""The office roles keep the standard texts in admin and read the review's checklist and notes."""

from django.db import migrations

from smederijen import role_permissions

OFFICE_PERMISSIONS = [
    ("standardtext", ("add", "change", "delete", "view")),
    ("conditioncheck", ("view",)),
    ("reviewnote", ("view",)),
]
ROLE_PERMISSIONS = {"Gebiedsregisseur": OFFICE_PERMISSIONS, "Ondersteuning": OFFICE_PERMISSIONS}


def grant(apps, schema_editor):
    role_permissions.grant(apps, "ideas", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    role_permissions.revoke(apps, "ideas", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("ideas", "0004_review_checklist_notes_standard_texts")]

    operations = [migrations.RunPython(grant, revoke)]
