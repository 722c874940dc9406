"""The office roles keep the standard texts in admin and read the review's checklist and notes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICE_PERMISSIONS = [
    ("standardtext", ("add", "change", "delete", "view")),
    ("conditioncheck", ("view",)),
    ("reviewnote", ("view",)),
]
ROLE_PERMISSIONS = {"Gebiedsregisseur": OFFICE_PERMISSIONS, "Ondersteuning": OFFICE_PERMISSIONS}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("ideas")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for model, actions in perms:
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(
                        content_type__app_label="ideas",
                        content_type__model=model,
                        codename=f"{action}_{model}",
                    )
                )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    models = [model for model, _actions in OFFICE_PERMISSIONS]
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="ideas", content_type__model__in=models)
        )


class Migration(migrations.Migration):
    dependencies = [("ideas", "0004_review_checklist_notes_standard_texts")]

    operations = [migrations.RunPython(grant, revoke)]
