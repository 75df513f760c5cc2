"""Sections of the site and the people credited on stories."""

from django.conf import settings
from django.db import models

from core import stamps
from core.cache import cached
from core.routes import cached_reverse


class SectionQuerySet(models.QuerySet):
    def navigation(self):
        """Sections in menu order, from the cache: every page shows them."""
        return cached(
            "sections:navigation", [stamps.EVERYTHING], lambda: list(self.all()), deadlines=False
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
