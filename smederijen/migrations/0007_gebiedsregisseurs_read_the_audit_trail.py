"""Gebiedsregisseurs read the audit trail (of their own areas) in admin; nobody changes it."""

from django.db import migrations

from smederijen import role_permissions

ROLE_PERMISSIONS = {"Gebiedsregisseur": [("auditevent", ("view",))]}


def grant(apps, schema_editor):
    role_permissions.grant(apps, "smederijen", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    role_permissions.revoke(apps, "smederijen", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("smederijen", "0006_audit_trail_and_retention_periods"),
        ("teams", "0003_role_groups_and_the_stuurgroep"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
