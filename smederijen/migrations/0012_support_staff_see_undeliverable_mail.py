"""Support staff see the mail the sender set aside, queue it again or remove it. Mail is not
kept per area, so gebiedsregisseurs (who see their own areas) do not get it."""

from django.db import migrations

from smederijen import role_permissions

ROLE_PERMISSIONS = {"Ondersteuning": [("undeliverablemail", ("view", "change", "delete"))]}


def grant(apps, schema_editor):
    role_permissions.grant(apps, "smederijen", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    role_permissions.revoke(apps, "smederijen", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("smederijen", "0011_undeliverable_mail_set_aside_by_the_sender"),
        ("teams", "0003_role_groups_and_the_stuurgroep"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
