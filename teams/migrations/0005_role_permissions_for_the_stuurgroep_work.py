"""The office roles keep meetings, agendas and attendance in admin and read the positions,
assessments and decisions (which only the services write)."""

from django.db import migrations

from smederijen import role_permissions

OFFICE_PERMISSIONS = [
    ("meeting", ("add", "change", "view")),
    ("agendaitem", ("add", "change", "delete", "view")),
    ("attendance", ("view",)),
    ("organisationposition", ("view",)),
    ("assessment", ("view",)),
    ("stuurgroepdecision", ("view",)),
]
ROLE_PERMISSIONS = {"Gebiedsregisseur": OFFICE_PERMISSIONS, "Ondersteuning": OFFICE_PERMISSIONS}


def grant(apps, schema_editor):
    role_permissions.grant(apps, "teams", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    role_permissions.revoke(apps, "teams", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("teams", "0004_stuurgroep_meetings_assessments_decisions_positions")]

    operations = [migrations.RunPython(grant, revoke)]
