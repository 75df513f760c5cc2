"""The embeds list in the admin for the newsroom's roles: writers see what their
stories embed and what each provider answered; editors also ask a provider again."""

from core.grants import granting
from django.db import migrations

GRANTS = {
    "Editors": ["change_embed", "view_embed"],
    "Writers": ["view_embed"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("embeds", "0001_initial"),
        ("articles", "0003_newsroom_roles"),
    ]

    operations = [migrations.RunPython(*granting("embeds", GRANTS))]
