"""Data migrations that give the role groups (made in teams/0003) the admin permissions of new
models. Kept here so each such migration only says which group gets what."""

from django.contrib.auth.management import create_permissions


def grant(apps, app_label: str, role_permissions: dict) -> None:
    """``role_permissions``: group name → [(model name, ("view", "change", …)), …]."""
    app_config = apps.get_app_config(app_label)
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)  # they are made after migrating
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=name)
        for model, actions in perms:
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(
                        content_type__app_label=app_label,
                        content_type__model=model,
                        codename=f"{action}_{model}",
                    )
                )


def revoke(apps, app_label: str, role_permissions: dict) -> None:
    Permission = apps.get_model("auth", "Permission")
    for name, perms in role_permissions.items():
        group = apps.get_model("auth", "Group").objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    content_type__model__in=[model for model, _actions in perms],
                )
            )
