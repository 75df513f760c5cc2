"""Each story's uploaded lead image becomes a photo of the library, and the roles may
use the library.

The photo keeps the same stored file (nothing is copied) and the story's alt text,
caption and credit; the story's lead_photo points at it. The old lead_image fields are
left as they were, so undoing this migration loses nothing. A file missing from
storage is skipped: that story keeps its old lead image only.

Editors may do anything in the library; Writers upload, describe and choose photos
but delete none. Like the roles migration, running the grant again only adds.
"""

from core.grants import granting
from django.db import migrations

GRANTS = {
    "Editors": ["add_photo", "change_photo", "delete_photo", "view_photo"],
    "Writers": ["add_photo", "change_photo", "view_photo"],
}


def lead_images_into_the_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Photo = apps.get_model("photos", "Photo")
    stories = Article.objects.exclude(lead_image="").filter(lead_photo__isnull=True)
    for story in stories.iterator(chunk_size=500):
        try:
            width, height = story.lead_image.width, story.lead_image.height
        except (OSError, ValueError):  # missing from storage, or not an image after all
            continue
        photo = Photo(
            alt_text=story.lead_image_alt[:300],
            caption=story.lead_image_caption,
            credit=story.lead_image_credit[:200],
            width=width,
            height=height,
        )
        photo.file.name = story.lead_image.name  # the same stored file, not a copy
        photo.save()
        Article.objects.filter(pk=story.pk).update(lead_photo=photo)


def lead_photos_back_out(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Photo = apps.get_model("photos", "Photo")
    stories = Article.objects.exclude(lead_image="").filter(lead_photo__isnull=False)
    for story in stories.select_related("lead_photo"):
        if story.lead_photo.file.name == story.lead_image.name:
            Article.objects.filter(pk=story.pk).update(lead_photo=None)
            Photo.objects.filter(pk=story.lead_photo.pk).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_article_lead_photo"),
        ("photos", "0001_photo_library"),
    ]

    operations = [
        migrations.RunPython(*granting("photos", GRANTS)),
        migrations.RunPython(lead_images_into_the_library, lead_photos_back_out),
    ]
