"""The newsroom's roles as auth groups: Writers, Editors, Moderators.

What each role may do beyond these model permissions (a writer edits only their
own drafts, nobody publishes under embargo) is enforced in newsdesk/workflow.py.
Running this again only adds missing permissions; it never removes any an
administrator granted by hand.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Writers": {
        "articles": [
            "add_article",
            "change_article",
            "view_article",
            "add_credit",
            "change_credit",
            "delete_credit",
            "view_credit",
            "add_relatedlink",
            "change_relatedlink",
            "delete_relatedlink",
            "view_relatedlink",
            "view_correction",
            "view_person",
            "view_section",
        ],
        "taggit": ["view_tag"],
    },
    "Editors": {
        "articles": "__all__",
        "taggit": ["add_tag", "change_tag", "delete_tag", "view_tag"],
        "comments": ["view_comment", "change_comment", "delete_comment"],
    },
    "Moderators": {
        # add_comment: a moderator's reply from the admin is a new comment.
        "comments": ["add_comment", "view_comment", "change_comment", "delete_comment"],
    },
}


def ensure_permissions(apps):
    """Permissions are normally made after all migrations run; this one needs them now."""
    for label in ("articles", "comments", "taggit"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in grants.items():
            permissions = Permission.objects.filter(content_type__app_label=app_label)
            if codenames != "__all__":
                permissions = permissions.filter(codename__in=codenames)
                missing = set(codenames) - set(permissions.values_list("codename", flat=True))
                if missing:
                    raise RuntimeError(f"Unknown permissions for {name}: {sorted(missing)}")
            group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow_permissions_embargo"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("comments", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
