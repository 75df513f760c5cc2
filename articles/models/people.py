"""Sections of the site and the people credited on stories."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles import cache_tags
from core import stamps
from core.cache import cached
from core.prepared import PreparedQuery
from core.routes import cached_reverse

# The name the menu's sections are kept under (core.cache).
NAVIGATION_CACHE_NAME = "sections:navigation:in-use"


class SectionQuerySet(models.QuerySet):
    def navigation(self):
        """The sections with a live story, in menu order, from the cache: every page
        shows them. One without a published story is a 404 (articles.views), so it is
        not in the menu either; articles.changes touches the list when a section gains
        its first live story or loses its last, and a scheduled story going live ends it."""
        return cached(
            NAVIGATION_CACHE_NAME,
            [stamps.EVERYTHING, cache_tags.NAVIGATION],
            sections_in_use,
        )


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site navigation (lowest first)."
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("articles:section", self.slug)


def _sections_in_use_queryset(now):
    stories = Section._meta.get_field("articles").related_model.objects.published(now)
    return Section.objects.filter(models.Exists(stories.filter(section=models.OuterRef("pk"))))


_sections_in_use = PreparedQuery(_sections_in_use_queryset, now=datetime.datetime)


def sections_in_use():
    """Every section with a live story, in menu order. Read only when not kept, with SQL
    built once per process (core.prepared): building the query cost more than reading
    the list."""
    return _sections_in_use(now=timezone.now())


def newsroom_name(user):
    """How the newsroom knows a staff member: their linked person's name (the byline
    readers know), else their full name, else the login. Said once, for the desk's
    presence notices and the signature of staff replies alike. A user fetched with
    ``select_related("person")`` costs no query (a page of presence notices)."""
    try:
        return user.person.name
    except Person.DoesNotExist:
        return user.get_full_name() or user.get_username()


class Person(models.Model):
    """Anyone credited on a story: staff writers, stringers, photographers."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=200, blank=True, help_text="e.g. Beijing bureau chief")
    bio = models.TextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The login of this person, if they work in the admin.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("articles:author", self.slug)
