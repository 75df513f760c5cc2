"""Data migrations that give the newsroom's roles permissions on an app's models.

    operations = [migrations.RunPython(*granting("photos", GRANTS))]

``GRANTS`` maps a group's name to codenames (``{"Editors": ["change_photo"]}``). The
grant makes the permissions first (Django makes them only after every migration has
run, too late for the grant) and creates a missing group; running it again adds only
what is missing, and the reverse takes exactly those permissions away.
"""

from django.contrib.auth.management import create_permissions


def granting(app_label, grants):
    """``(grant, revoke)``: the forward and backward functions for ``RunPython``."""

    def permissions(apps, codenames):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)

    def grant(apps, schema_editor):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        for name, codenames in grants.items():
            group, _ = Group.objects.get_or_create(name=name)
            group.permissions.add(*permissions(apps, codenames))

    def revoke(apps, schema_editor):
        for group in apps.get_model("auth", "Group").objects.filter(name__in=grants):
            group.permissions.remove(*permissions(apps, grants[group.name]))

    return grant, revoke
