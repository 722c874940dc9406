"""Who the gebiedsregisseur of an area is decides who sees all its personal data and money: only
support staff (and superusers) choose it, never a gebiedsregisseur for himself."""

from django.db import migrations

from smederijen import role_permissions

ROLE_PERMISSIONS = {"Ondersteuning": [("smederij", ("assign_gebiedsregisseur",))]}


def grant(apps, schema_editor):
    role_permissions.grant(apps, "smederijen", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="Ondersteuning").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="smederijen", codename="assign_gebiedsregisseur"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("smederijen", "0012_support_staff_see_undeliverable_mail"),
        ("teams", "0003_role_groups_and_the_stuurgroep"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="smederij",
            options={
                "ordering": ["name"],
                "permissions": [
                    ("assign_gebiedsregisseur", "Can choose the gebiedsregisseur of an area")
                ],
                "verbose_name": "Smederij",
                "verbose_name_plural": "Smederijen",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
