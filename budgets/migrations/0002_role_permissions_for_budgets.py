"""The office roles keep budgets and funding sources in admin (amounts change only through the
budgets services, which admin actions call); wijkteam members see the budgets of their area in
the staff pages, not in admin."""

from django.db import migrations

from smederijen import role_permissions

OFFICE_PERMISSIONS = [
    ("budget", ("add", "change", "view")),
    ("budgetentry", ("view",)),
    ("grant", ("change", "view")),
    ("payment", ("view",)),
    ("fundingsource", ("add", "change", "view")),
]
ROLE_PERMISSIONS = {"Gebiedsregisseur": OFFICE_PERMISSIONS, "Ondersteuning": OFFICE_PERMISSIONS}


def grant(apps, schema_editor):
    role_permissions.grant(apps, "budgets", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    role_permissions.revoke(apps, "budgets", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0001_budgets_ledger_grants_payments_funding"),
        ("ideas", "0003_role_permissions_for_ideas"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
