"""The story the throughput benchmark measures, on a scratch database, and its export.

    DATABASE_URL=sqlite:////tmp/bench-story.sqlite3 .venv/bin/python bench/story_fixture.py \\
        --export /tmp/bench-story.json

Loads the demo (``seed_demo``: the reference story, its six related posts, each
with a lead photo) and shapes the reference story as issue 16 measures it: six
tags, six related posts with photos on their cards, and twenty approved comments
(a third of them replies). Prints the story's address. ``--export`` also writes
the story as JSON (headline, body, photos as files, tags, related posts,
comments), which ``bench/wagtail_reference.py`` loads into a Wagtail site so
that both serve the same content.
"""

import argparse
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAGS = 6
COMMENTS = 20
COMMENT = (
    "The treaty changes the calculation in Beijing more than the communique admits, and "
    "the region's capitals will read it that way whatever the Foreign Ministry says."
)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()


def build():
    """The demo loaded and the reference story shaped; returns the story."""
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    setup_django()
    from django.db import transaction

    from articles.models import Article
    from comments.models import Comment
    from core import stamps

    story = Article.objects.get(slug="russia-north-korea-defense-pact-china")
    with transaction.atomic():
        names = sorted(story.tags.names())
        if len(names) > TAGS:
            story.tags.remove(*names[TAGS:])
        approved = story.comments.filter(status=Comment.Status.APPROVED)
        parents = list(approved.filter(parent=None))
        for number in range(approved.count(), COMMENTS):
            words = COMMENT.split()
            words = words[number % 7 :] + words[: number % 7]
            Comment.objects.create(
                article=story,
                parent=parents[number % len(parents)] if number % 3 == 0 else None,
                author_name=f"Reader {number + 1}",
                author_email=f"reader{number + 1}@example.com",
                body=" ".join(words).capitalize(),
                status=Comment.Status.APPROVED,
                created_at=story.published_at + timedelta(minutes=400 + 13 * number),
                ip_address="192.0.2.20",
            )
        stamps.touch_everything()
    make_renditions(story)
    return story


def make_renditions(story):
    """What the background queue makes of every photo once uploaded: pages then link
    the rendition files, as on a site that runs its worker."""
    from articles.related import related_articles
    from photos import renditions

    for shown in [story, *related_articles(story)]:
        picture = shown.lead_photo
        if picture is not None and not renditions.stored(picture):
            renditions.generate(picture, renditions.standard_specs(picture))


def photo(picture):
    if picture is None:
        return None
    return {
        "path": picture.file.path,
        "alt": picture.alt_text,
        "caption": picture.caption,
        "credit": picture.credit,
    }


def export(story):
    """What a reader sees of ``story``, for another CMS to serve."""
    from articles.related import related_articles
    from comments.models import Comment

    related = related_articles(story)
    comments = list(
        story.comments.filter(status=Comment.Status.APPROVED).order_by("created_at", "pk")
    )
    index = {comment.pk: number for number, comment in enumerate(comments)}
    return {
        "headline": story.headline,
        "dek": story.dek,
        "body_html": story.body,
        "published_at": story.published_at.isoformat(),
        "section": story.section.name if story.section_id else "",
        "byline": [credit.person.name for credit in story.credits.all()],
        "tags": sorted(story.tags.names()),
        "lead_photo": photo(story.lead_photo),
        "related": [
            {
                "headline": other.headline,
                "dek": other.dek,
                "slug": other.slug,
                "published_at": other.published_at.isoformat(),
                "photo": photo(other.lead_photo),
            }
            for other in related
        ],
        "comments": [
            {
                "author_name": comment.author_name,
                "body": comment.body,
                "submitted_at": comment.created_at.isoformat(),
                "parent": index.get(comment.parent_id),
            }
            for comment in comments
        ],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--export", type=Path, help="also write the story as JSON here")
    args = parser.parse_args()
    story = build()
    if args.export:
        args.export.write_text(json.dumps(export(story), indent=1))
    print(story.get_absolute_url())


if __name__ == "__main__":
    main()
