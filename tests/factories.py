"""Small builders for test data: explicit, no magic, one call per object."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from articles.models import Article, Credit, Person, Section
from comments.models import Comment

_seq = count(1)


def make_section(**fields):
    n = next(_seq)
    fields.setdefault("name", f"Section {n}")
    fields.setdefault("slug", f"section-{n}")
    return Section.objects.create(**fields)


def make_person(**fields):
    n = next(_seq)
    fields.setdefault("name", f"Reporter {n}")
    fields.setdefault("slug", f"reporter-{n}")
    return Person.objects.create(**fields)


def make_article(tags=(), bylines=(), **fields):
    """A published story (an hour old) unless ``status``/``published_at`` say otherwise."""
    n = next(_seq)
    fields.setdefault("headline", f"Story number {n}")
    fields.setdefault("slug", f"story-{n}")
    fields.setdefault("body", f"<p>Body of story {n}.</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields["status"] == Article.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    article = Article.objects.create(**fields)
    if tags:
        article.tags.set(list(tags))
    for position, person in enumerate(bylines):
        Credit.objects.create(article=article, person=person, position=position)
    return article


def make_comment(article, **fields):
    n = next(_seq)
    fields.setdefault("author_name", f"Reader {n}")
    fields.setdefault("author_email", f"reader{n}@example.com")
    fields.setdefault("body", f"Comment number {n}.")
    fields.setdefault("status", Comment.Status.APPROVED)
    return Comment.objects.create(article=article, **fields)
