"""The office roles keep budgets and funding sources in admin (amounts change only through the
budgets services, which admin actions call); wijkteam members see the budgets of their area in
the staff pages, not in admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICE_PERMISSIONS = [
    ("budget", ("add", "change", "view")),
    ("budgetentry", ("view",)),
    ("grant", ("change", "view")),
    ("payment", ("view",)),
    ("fundingsource", ("add", "change", "view")),
]
ROLE_PERMISSIONS = {"Gebiedsregisseur": OFFICE_PERMISSIONS, "Ondersteuning": OFFICE_PERMISSIONS}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("budgets")
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
                        content_type__app_label="budgets",
                        content_type__model=model,
                        codename=f"{action}_{model}",
                    )
                )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="budgets"))



class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0001_budgets_ledger_grants_payments_funding"),
        ("ideas", "0003_role_permissions_for_ideas"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
