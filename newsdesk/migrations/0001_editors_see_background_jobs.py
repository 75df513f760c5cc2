"""Editors see the background jobs (e-mail, search indexing) in the admin, and may run a
failed one again. Like the roles migration, running it again only adds what is missing."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

JOBS_APP = "django_tasks_database"
GRANTS = ["view_dbtaskresult", "change_dbtaskresult"]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations run; these are needed now.
    app_config = apps.get_app_config(JOBS_APP)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label=JOBS_APP, codename__in=GRANTS)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if editors:
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label=JOBS_APP, codename__in=GRANTS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_newsroom_roles"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
