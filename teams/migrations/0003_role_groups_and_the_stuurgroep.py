"""The roles as Django groups with Dutch names and their permissions, and the one stuurgroep.

Whether someone acts for an area is not a group: it follows from team membership and the
gebiedsregisseur of a Smederij (teams/permissions.py). Later issues add their models' permissions
to these groups in their own migrations.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = ("add", "change", "delete", "view")
TEAM_MODELS = (
    "organisation",
    "team",
    "teamarea",
    "teammember",
    "initiatiefgroep",
    "membership",
    "stuurgroep",
    "stuurgroepmember",
)

ROLE_PERMISSIONS = {
    "Gebiedsregisseur": [
        *[("smederijen", model, action) for model in ("smederij", "featureditem") for action in ALL],
        *[("teams", model, action) for model in TEAM_MODELS for action in ALL],
        ("teams", "user", "view"),
        ("teams", "user", "change"),
    ],
    "Ondersteuning": [
        *[("smederijen", "featureditem", action) for action in ALL],
        ("smederijen", "smederij", "view"),
        ("smederijen", "smederij", "change"),
        *[("teams", model, action) for model in TEAM_MODELS for action in ALL],
        *[("teams", "user", action) for action in ("add", "change", "view")],
    ],
    "Wijkteamlid": [
        ("teams", model, "view") for model in ("team", "teammember", "initiatiefgroep", "membership")
    ],
    "Stuurgroeplid": [("teams", model, "view") for model in ("stuurgroep", "stuurgroepmember")],
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, model, action in perms:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename=f"{action}_{model}",
                )
            )
    Stuurgroep = apps.get_model("teams", "Stuurgroep")
    if not Stuurgroep.objects.exists():
        Stuurgroep.objects.create(name="Stuurgroep De Smederijen")


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0002_people_teams_initiatiefgroepen_stuurgroep"),
        ("smederijen", "0002_smederij_has_a_gebiedsregisseur"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
