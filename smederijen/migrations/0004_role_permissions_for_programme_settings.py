"""The office roles set the programme's settings (the decision term) in admin."""

from django.db import migrations

from smederijen import role_permissions

OFFICE_PERMISSIONS = [("programmesettings", ("change", "view"))]
ROLE_PERMISSIONS = {"Gebiedsregisseur": OFFICE_PERMISSIONS, "Ondersteuning": OFFICE_PERMISSIONS}


def grant(apps, schema_editor):
    role_permissions.grant(apps, "smederijen", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    role_permissions.revoke(apps, "smederijen", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("smederijen", "0003_programme_settings_with_decision_term"),
        ("teams", "0003_role_groups_and_the_stuurgroep"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
