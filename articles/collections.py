"""The collections a reader can browse and subscribe to: a section, a tag, a person.

Each archive page and each feed of one is the same code (articles.views,
articles.feeds) told which kind of collection it shows.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from taggit.models import Tag

from articles import cache_tags
from articles.models import Article, Person, Section


@dataclass(frozen=True)
class Collection:
    name: str  # the URL names' prefix: "section" -> articles:section, articles:section-feed
    model: Any
    context_name: str  # what templates call the object
    cache_tag: Any  # pk -> cache tag (articles.cache_tags)
    stories_of: Any  # (published stories, object) -> its stories
    feed_description: Any  # object -> what its feed is about, as plain text
    leads: bool = False  # its archive is a front: the newest story first, shown large

    def stories(self, obj):
        return self.stories_of(Article.objects.published(), obj)


def _about(template):
    return lambda obj: template.format(name=obj.name, site=settings.SITE_NAME)


SECTION = Collection(
    name="section",
    model=Section,
    context_name="section",
    cache_tag=cache_tags.section,
    stories_of=lambda stories, section: stories.filter(section=section),
    feed_description=lambda section: (
        section.description or _about("The latest {name} stories from {site}.")(section)
    ),
    leads=True,
)
TAG = Collection(
    name="tag",
    model=Tag,
    context_name="tag",
    cache_tag=cache_tags.tag,
    stories_of=lambda stories, tag: stories.with_tag(tag),
    feed_description=_about("The latest stories about {name} from {site}."),
)
AUTHOR = Collection(
    name="author",
    model=Person,
    context_name="person",
    cache_tag=cache_tags.person,
    # Every story the person is credited on, in any role.
    stories_of=lambda stories, person: stories.credited_to(person),
    feed_description=_about("The latest stories by {name} from {site}."),
)
