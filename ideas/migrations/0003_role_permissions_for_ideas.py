"""Give the gebiedsregisseurs and support staff what they need in the ideas admin.

Statuses change only through the services; admin "change" on an idea edits its content, kind and
publication (which call the services). The wijkteam reviews in the browser (review issue), not
in admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICE_PERMISSIONS = [
    ("idea", ("change", "view")),
    ("condition", ("add", "change", "delete", "view")),
    ("budgetline", ("add", "change", "delete", "view")),
    ("papersupportlist", ("add", "change", "delete", "view")),
    ("attachment", ("change", "view")),
    ("statuschange", ("view",)),
    ("support", ("view",)),
    ("inventoryremark", ("view",)),
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
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="ideas"))



class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0002_dutch_full_text_search_on_postgresql"),
        ("teams", "0003_role_groups_and_the_stuurgroep"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
