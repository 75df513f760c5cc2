import django.contrib.postgres.search
import django.db.models.deletion
import search.models
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("headline", models.TextField()),
                ("dek", models.TextField(blank=True)),
                (
                    "body",
                    models.TextField(
                        blank=True, help_text="Body and video transcript as plain text."
                    ),
                ),
                ("people", models.TextField(blank=True, help_text="Names of everyone credited.")),
                ("tags", models.TextField(blank=True)),
                (
                    "vector",
                    django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
            ],
        ),
        migrations.CreateModel(
            name="FullTextEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="fulltext",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("entry", search.models.FullTextColumn(db_column="search_fts")),
                ("rank", models.FloatField()),
            ],
            options={
                "db_table": "search_fts",
                "managed": False,
            },
        ),
    ]
