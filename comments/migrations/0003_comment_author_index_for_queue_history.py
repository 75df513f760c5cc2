import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    """The moderation queue shows each commenter's other comments, found by e-mail."""

    dependencies = [
        ("comments", "0002_body_html_duplicates_reply_notices"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                django.db.models.functions.text.Lower("author_email"), name="comment_author"
            ),
        ),
    ]
