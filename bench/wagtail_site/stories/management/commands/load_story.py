"""Load a story exported by newsroom's bench/story_fixture.py into the Wagtail site.

    python manage.py load_story /tmp/bench-story.json

Creates the site's home page, the story and its related stories (published), their
photos in the image library and the story's comments. Then the story's text-only twin:
the same story without its photos, its related stories too, at the slug + TEXT_SUFFIX
(what issue 16 measured, before the site had photos). Prints the URL paths of the
story and of its twin, a line each. Meant for a fresh database: it refuses to load a
second time.
"""

import json
from datetime import datetime
from pathlib import Path

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from stories.models import HomePage, ReaderComment, RelatedStory, StoryPage

EXCERPT_WORDS = 27  # as newsroom's Article.excerpt, so both describe the story alike
TEXT_SUFFIX = "-text"


class Command(BaseCommand):
    help = "Load a story exported by newsroom (bench/story_fixture.py) and publish it."

    def add_arguments(self, parser):
        parser.add_argument("story_json", type=Path)

    def handle(self, *args, story_json, **options):
        data = json.loads(story_json.read_text())
        if StoryPage.objects.exists():
            raise CommandError("this database already holds stories: load into a fresh one")
        with transaction.atomic():
            home = self.make_home()
            story = self.load(home, data, photos=True)
            text = self.load(home, data, photos=False)
        self.stdout.write(story.get_url())
        self.stdout.write(text.get_url())

    def load(self, home, data, *, photos):
        """The story, its related stories and its comments; without photos, at other slugs."""
        if not photos:
            data = {**data, "slug": self.slug(data) + TEXT_SUFFIX, "lead_photo": None}
            data["related"] = [
                {**item, "slug": item["slug"] + TEXT_SUFFIX, "photo": None}
                for item in data["related"]
            ]
        related = [self.publish(home, self.related_page(item)) for item in data["related"]]
        story = self.story_page(data)
        story.related_stories = [RelatedStory(story=page) for page in related]
        story = self.publish(home, story)
        self.add_comments(story, data["comments"])
        return story

    def make_home(self):
        """The home page in place of the welcome page Wagtail's migrations create."""
        site = Site.objects.get(is_default_site=True)
        welcome = site.root_page
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="The Wagtail Times", slug="front", live=True)
        )
        site.root_page = home
        site.site_name = "The Wagtail Times"
        site.save()
        welcome.delete()
        home.slug = "home"  # free now; save() (unlike publishing a revision) updates `home`
        home.save()
        home.save_revision().publish()
        return home

    def image(self, photo, title):
        path = Path(photo["path"])
        with path.open("rb") as file:
            image = get_image_model()(
                title=title, description=photo.get("alt", ""), file=ImageFile(file, path.name)
            )
            image.save()
        return image

    def related_page(self, item):
        photo = item.get("photo")
        return StoryPage(
            title=item["headline"],
            slug=item["slug"],
            dek=item.get("dek", ""),
            search_description=item.get("dek", ""),
            published_at=datetime.fromisoformat(item["published_at"]),
            section=item.get("section") or "U.S.",
            lead_image=self.image(photo, item["headline"]) if photo else None,
            lead_image_caption=photo.get("caption", "") if photo else "",
            lead_image_credit=photo.get("credit", "") if photo else "",
        )

    def story_page(self, data):
        photo = data.get("lead_photo")
        body = data["body_html"]
        story = StoryPage(
            title=data["headline"],
            slug=self.slug(data),
            dek=data.get("dek", ""),
            search_description=Truncator(
                " ".join((data.get("dek") or strip_tags(body)).split())
            ).words(EXCERPT_WORDS, truncate="…"),
            published_at=datetime.fromisoformat(data["published_at"]),
            section=data["section"],
            byline=", ".join(data.get("byline", [])),
            lead_image=self.image(photo, data["headline"]) if photo else None,
            lead_image_caption=photo.get("caption", "") if photo else "",
            lead_image_credit=photo.get("credit", "") if photo else "",
            body=[("paragraph", RichText(body))],
        )
        story.tags.add(*data.get("tags", []))
        return story

    def slug(self, data):
        return data.get("slug") or slugify(data["headline"])

    def publish(self, home, page):
        page.first_published_at = page.published_at
        home.add_child(instance=page)
        page.save_revision().publish()
        return page

    def add_comments(self, story, comments):
        saved = []
        for comment in comments:
            parent = comment.get("parent")
            saved.append(
                ReaderComment.objects.create(
                    page=story,
                    parent=saved[parent] if parent is not None else None,
                    author_name=comment["author_name"],
                    body=comment["body"],
                    submitted_at=datetime.fromisoformat(comment["submitted_at"]),
                )
            )
