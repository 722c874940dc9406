"""The office roles keep the milestones of funded plans in admin."""

from django.db import migrations

from smederijen import role_permissions

OFFICE_PERMISSIONS = [("milestone", ("add", "change", "delete", "view"))]
ROLE_PERMISSIONS = {"Gebiedsregisseur": OFFICE_PERMISSIONS, "Ondersteuning": OFFICE_PERMISSIONS}


def grant(apps, schema_editor):
    role_permissions.grant(apps, "ideas", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    role_permissions.revoke(apps, "ideas", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0008_milestones_of_funded_plans"),
        ("teams", "0003_role_groups_and_the_stuurgroep"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
