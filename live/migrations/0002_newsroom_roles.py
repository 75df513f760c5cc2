"""Live entries for the newsroom's roles: writers and editors write, edit and delete
them (the desk's workflow says which: newsdesk.live_workflow), and editors correct."""

from core.grants import granting
from django.db import migrations

ENTRIES = ["add_entry", "change_entry", "delete_entry", "view_entry"]
CORRECTIONS = ["add_entrycorrection", "change_entrycorrection", "delete_entrycorrection"]
GRANTS = {
    "Editors": [*ENTRIES, *CORRECTIONS, "view_entrycorrection"],
    "Writers": [*ENTRIES, "view_entrycorrection"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_initial"),
        ("articles", "0003_newsroom_roles"),
    ]

    operations = [migrations.RunPython(*granting("live", GRANTS))]
