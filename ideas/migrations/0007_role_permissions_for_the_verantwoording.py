"""The office roles read the verantwoording of an idea in admin."""

from django.db import migrations

from smederijen import role_permissions

OFFICE_PERMISSIONS = [("accounting", ("view",))]
ROLE_PERMISSIONS = {"Gebiedsregisseur": OFFICE_PERMISSIONS, "Ondersteuning": OFFICE_PERMISSIONS}


def grant(apps, schema_editor):
    role_permissions.grant(apps, "ideas", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    role_permissions.revoke(apps, "ideas", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("ideas", "0006_verantwoording_and_satisfaction_question")]

    operations = [migrations.RunPython(grant, revoke)]
