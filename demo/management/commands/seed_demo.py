"""Load the demo newsroom: the reference story, its credits, tags, related posts and
comments, and a live story with its entries (demo.live).

Idempotent: every object is looked up by a natural key first, so a second run
changes nothing (and never resets the editor's password).
"""

import json
import re
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article, Credit, Person, RelatedLink, Section
from comments.models import Comment
from demo import live, photos
from embeds.models import Embed
from photos.models import Photo

DEMO_DIR = Path(__file__).resolve().parents[2] / "data"
REFERENCE_SLUG = "russia-north-korea-defense-pact-china"
REFERENCE_PUBLISHED_AT = "2024-06-20T05:00:00-04:00"
CREDIT_LINE = re.compile(r"^(?P<name>.+?) contributed reporting (?P<note>.+?)\.$")

SECTIONS = [
    ("World", "world", "International news from our correspondents."),
    ("U.S.", "us", "News from across the United States."),
    ("Politics", "politics", "Campaigns, Congress and the White House."),
    ("Business", "business", "Markets, companies and the economy."),
    ("Opinion", "opinion", "Columns and guest essays."),
]

PEOPLE = [
    (
        "David Pierson",
        "david-pierson",
        "China correspondent",
        "Covers China's relations with the world.",
    ),
    ("Olivia Wang", "olivia-wang", "Reporter, Hong Kong", "Reports on Hong Kong and China."),
    ("Maya Brooks", "maya-brooks", "Politics reporter", "Covers campaigns and elections."),
    ("Leo Marsh", "leo-marsh", "Video producer", "Produces the politics video desk."),
]

REFERENCE_TAGS = [
    "China",
    "Russia",
    "North Korea",
    "South Korea",
    "Xi Jinping",
    "Vladimir Putin",
    "Kim Jong-un",
    "Diplomacy",
    "Republican Party",
    "2024 Election",
]

# (key, parent key, name, email, status, minutes after publication, text)
COMMENTS = [
    (
        "c1",
        None,
        "Margaret Liu",
        "margaret@example.org",
        "approved",
        95,
        "The “lips and teeth” line says it all. Beijing wants the buffer, not the drama.",
    ),
    (
        "c2",
        "c1",
        "Tom Becker",
        "tom@example.net",
        "approved",
        140,
        "But is the buffer worth it if Pyongyang now has a second patron to play against China?",
    ),
    (
        "c3",
        "c2",
        "Margaret Liu",
        "margaret@example.org",
        "approved",
        185,
        "That is exactly Danny Russel’s point about leverage.\n\nKim gains either way.",
    ),
    (
        "c4",
        None,
        "Sam Okafor",
        "sam@example.com",
        "approved",
        260,
        "Good piece. I would have liked more on what Seoul makes of the pact.",
    ),
    (
        "c5",
        "c4",
        "Priya Natarajan",
        "priya@example.com",
        "approved",
        300,
        "The meeting in Seoul the same day is covered near the end.",
    ),
    (
        "c6",
        None,
        "J. Rivera",
        "jrivera@example.com",
        "pending",
        320,
        "Does anyone have the full text of the treaty?",
    ),
    ("c7", "c1", "Alex Chen", "alex@example.com", "pending", 330, "Buffer states cut both ways."),
]


class Command(BaseCommand):
    help = "Load the demo content (idempotent) and make sure an editor account exists."

    def handle(self, *args, **options):
        with transaction.atomic():
            sections = self.load_sections()
            people = self.load_people()
            article = self.load_reference_article(sections, people)
            related = self.load_related_posts(article, sections, people)
            live_story = live.load_live_story(sections, people)
            self.load_photos([article, *related, live_story])
            self.load_comments(article)
        self.ensure_editor()
        self.stdout.write(self.style.SUCCESS(f"Demo story: {article.get_absolute_url()}"))
        self.stdout.write(f"Live story: {live_story.get_absolute_url()}")

    def load_sections(self):
        sections = {}
        for position, (name, slug, description) in enumerate(SECTIONS):
            sections[slug], _ = Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description, "position": position}
            )
        return sections

    def load_people(self):
        people = {}
        for name, slug, title, bio in PEOPLE:
            people[slug], _ = Person.objects.get_or_create(
                slug=slug, defaults={"name": name, "title": title, "bio": bio}
            )
        return people

    def parse_reference(self):
        """Split the reference page into headline, body, credit and related titles."""
        blocks = [b.strip() for b in (DEMO_DIR / "reference-article.txt").read_text().split("\n\n")]
        blocks = [b for b in blocks if b]
        headline = blocks[0]
        related_at = blocks.index("Related Posts")
        story = blocks[1:related_at]
        credit = CREDIT_LINE.match(story[-1])
        related = blocks[related_at + 1 : blocks.index("Leave a Reply")]
        return {
            "headline": headline,
            "paragraphs": story[:-1],
            "credit": credit.groupdict(),
            "related_titles": related[0::2],
        }

    def load_reference_article(self, sections, people):
        reference = self.parse_reference()
        article, created = Article.objects.get_or_create(
            slug=REFERENCE_SLUG,
            defaults={
                "headline": reference["headline"],
                "body": "\n".join(f"<p>{escape(p)}</p>" for p in reference["paragraphs"]),
                "section": sections["world"],
                "status": Article.Status.PUBLISHED,
                "published_at": datetime.fromisoformat(REFERENCE_PUBLISHED_AT),
                "is_sticky": True,
                "source_name": "The New York Times",
                "source_url": "https://www.nytimes.com/2024/06/20/world/asia/china-russia-north-korea-pact.html",
            },
        )
        if created:
            article.tags.set(REFERENCE_TAGS[:8])
            Credit.objects.create(article=article, person=people["david-pierson"], position=0)
            contributor = people["olivia-wang"]
            assert contributor.name == reference["credit"]["name"]
            Credit.objects.create(
                article=article,
                person=contributor,
                role=Credit.Role.REPORTING,
                note=reference["credit"]["note"],
                position=1,
            )
        return article

    def load_related_posts(self, article, sections, people):
        titles = self.parse_reference()["related_titles"]
        posts = json.loads((DEMO_DIR / "related_posts.json").read_text())
        stories = []
        for position, (title, post) in enumerate(zip(titles, posts, strict=True)):
            is_video = post["kind"] == Article.Kind.VIDEO
            player = self.load_player(post["slug"], post["player"]) if "player" in post else None
            related, created = Article.objects.get_or_create(
                slug=post["slug"],
                defaults={
                    "headline": title,
                    "kind": post["kind"],
                    "dek": post.get("dek", ""),
                    "body": "\n".join(f"<p>{escape(p)}</p>" for p in post.get("body", [])),
                    "video_url": player.url if player else "",
                    "transcript": post.get("transcript", ""),
                    "section": sections[post["section"]],
                    "status": Article.Status.PUBLISHED,
                    "published_at": datetime.fromisoformat(post["published_at"]),
                },
            )
            if created:
                related.tags.set(post["tags"])
                person = people["leo-marsh" if is_video else "maya-brooks"]
                Credit.objects.create(article=related, person=person)
            RelatedLink.objects.get_or_create(
                from_article=article, to_article=related, defaults={"position": position}
            )
            stories.append(related)
        return stories

    def load_player(self, slug, player):
        """The Embed of a demo video, as its provider's oEmbed answer would fill it (the
        demo runs offline: nothing is fetched), with a thumbnail drawn for it."""
        title = f"Demo video thumbnail: {slug}"
        thumbnail = Photo.objects.filter(title=title).first() or photos.library_photo(
            f"{slug} player", title, f"demo-{slug}-player.jpg"
        )
        embed, _ = Embed.objects.get_or_create(
            url=player["url"],
            defaults={
                **player,
                "provider": "discovered",
                "status": Embed.Status.READY,
                "thumbnail": thumbnail,
                "fetched_at": timezone.now(),
            },
        )
        return embed

    def load_photos(self, stories):
        """A lead photo for each story without one, drawn for it (demo.photos) and
        kept in the library under a title naming the story, so a re-run finds it."""
        for story in stories:
            if story.lead_photo_id:
                continue
            title = f"Demo photo: {story.slug}"
            photo = Photo.objects.filter(title=title).first() or photos.library_photo(
                story.slug, title, f"demo-{story.slug}.jpg"
            )
            story.lead_photo = photo
            story.save(update_fields=["lead_photo"])

    def load_comments(self, article):
        by_key = {}
        for key, parent_key, name, email, status, minutes, text in COMMENTS:
            by_key[key], _ = Comment.objects.get_or_create(
                article=article,
                author_email=email,
                body=text,
                defaults={
                    "parent": by_key.get(parent_key),
                    "author_name": name,
                    "status": status,
                    "created_at": article.published_at + timedelta(minutes=minutes),
                    "ip_address": "192.0.2.10",
                },
            )

    def ensure_editor(self):
        User = get_user_model()
        editor = User.objects.filter(username="editor").first()
        # The path only: the server's address and port are the Makefile's to say.
        admin = reverse("admin:index")
        if editor:
            self.stdout.write(
                f"Admin: {admin} as 'editor' (password unchanged; "
                "set a new one with: python manage.py changepassword editor)"
            )
        else:
            password = secrets.token_urlsafe(12)
            editor = User.objects.create_superuser("editor", "editor@example.com", password)
            self.stdout.write(
                self.style.SUCCESS(f"Admin: {admin} user 'editor' password '{password}'")
            )
        editor.groups.add(Group.objects.get(name="Editors"))
        # One demo account per other role, to try the workflow from both sides.
        writer = self.ensure_role_user("writer", "Writers", "drafts and submits stories")
        Person.objects.filter(slug="maya-brooks", user=None).update(user=writer)
        self.ensure_role_user("moderator", "Moderators", "moderates comments only")

    def ensure_role_user(self, username, group, what):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(
                username, f"{username}@example.com", password, is_staff=True
            )
            self.stdout.write(f"  also user '{username}' password '{password}' ({what})")
        user.groups.add(Group.objects.get(name=group))
        return user
