"""Content at scale: ``generate_content --articles N --comments-per-article M``.

What a newsroom's archive looks like after years: stories spread over time in
sections, six tags each on average (a few tags on many stories, most on few),
bylines and contributors, editors' related picks, corrections, videos, a few
drafts and scheduled stories, and threaded comments (mostly approved, some held,
some spam). Rows are written with ``bulk_create`` in batches, with primary keys
chosen here so replies can name their parents without reading anything back;
100,000 stories with ten comments each take minutes. Running it again adds more.

Bulk inserts send no signals, so the command does afterwards what they would have
done: queues the job that fills the search index (the worker runs it), refreshes
the planner's statistics and tells the page cache that everything changed.
"""

import random
import time
from datetime import timedelta
from itertools import count

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.changes import everything_changed
from articles.models import (
    Article,
    Correction,
    Credit,
    Person,
    RelatedLink,
    Section,
    TaggedArticle,
)
from comments.models import Comment
from core.tasks import queue
from search.tasks import index_missing_stories


def words(text):
    return text.split()


SECTIONS = [
    "World",
    "U.S.",
    "Politics",
    "Business",
    "Technology",
    "Science",
    "Health",
    "Sports",
    "Culture",
    "Opinion",
]
FIRST_NAMES = words(
    "Ada Ben Carla Dev Elena Farid Grace Hiro Ines Jonas Kofi Lena Mateo Nadia Omar Priya "
    "Quinn Rosa Sami Tomas Uma Victor Wen Ximena Yusuf Zoe"
)
LAST_NAMES = words(
    "Adams Brennan Castillo Dubois Eriksen Fischer Gupta Hayes Ito Jensen Kowalski Laurent "
    "Mensah Novak Okafor Park Quispe Rossi Santos Tanaka Umar Varga Weber Xu Young Zhang"
)
TOPICS = words(
    "Election Trade Climate Energy Housing Inflation Vaccines Wildfires Tariffs Strikes "
    "Refugees Drought Rail Broadband Privacy Satellites Fisheries Tourism Pensions Tuition "
    "Ceasefire Sanctions Summit Budget Census Courts Policing Transit Water Farming Mining "
    "Shipping Banking Startups Football Cricket Olympics Cinema Museums Festivals Opera "
    "Books Fashion Cuisine Wine Coffee Earthquakes Floods Hurricanes Vaccination Cancer "
    "Obesity Aging Robots Chips Batteries Rockets Telescopes Genes Oceans Forests Glaciers"
)
PLACES = words(
    "Asia Europe Africa Texas Ohio Brazil India Japan Kenya Canada Mexico Poland Chile "
    "Egypt Norway Vietnam Peru Ghana Alaska Scotland Bavaria Quebec Sicily Bengal"
)
WORDS = words(
    "the a officials said on in of and to was were for with that as by at from new "
    "government plan report minister council city residents week year market prices "
    "agreement talks people would could after before announced expected spokesman data "
    "analysts record local national vote support opposition companies workers schools "
    "hospital police court judge decision project funding crisis growth study scientists "
    "team season fans players museum exhibition audience critics election campaign "
    "candidate leaders region border rain storm damage rescue families community program"
)
NOTES = ["from Hong Kong", "from Nairobi", "from Lima", "from Warsaw", "from Houston", ""]
CORRECTIONS = [
    "An earlier version of this story misstated the date of the vote.",
    "An earlier version misspelled the name of the council's chair.",
    "This story has been updated with the ministry's response.",
]
COMMENT_LINES = [
    "I live nearby and this matches what we have seen for months.",
    "Does anyone know when the full report will be published?",
    "Good reporting, but the numbers in the third paragraph look off to me.",
    "This is exactly why local news matters.",
    "I disagree: the plan was announced years ago and nothing changed.",
    "Thanks for covering this, nobody else did.",
    "The comparison with last year is misleading.",
    "More details at example.org if anyone is interested.",
]

TAGS_PER_STORY = 6  # on average
STORIES_PER_PERSON = 200  # one person credited for every 200 stories, at least 20 people
BATCH = 1000


class Vocabulary:
    """Tags with a long tail: the most used is on about one story in ten, most on few."""

    def __init__(self, tags):
        self.tags = tags
        self.weights = [1 / (rank + 10) for rank in range(len(tags))]

    def pick(self, rng, k):
        chosen = {}
        while len(chosen) < k:
            for tag in rng.choices(self.tags, self.weights, k=k):
                chosen.setdefault(tag.pk, tag)
        return list(chosen.values())[:k]


class Command(BaseCommand):
    help = "Add synthetic stories, tags, people, credits, related posts and comments (benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--comments-per-article", type=int, default=10)
        parser.add_argument(
            "--days",
            type=int,
            default=8 * 365,
            help="How far back stories go (8 years; 100,000 stories make 34 a day).",
        )
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--skip-search-index",
            action="store_true",
            help="Queue no search indexing (run rebuild_search_index later).",
        )

    def handle(self, *args, articles, comments_per_article, days, seed, **options):
        if articles < 1 or comments_per_article < 0 or days < 1:
            raise CommandError(
                "--articles and --days must be at least 1, --comments-per-article 0 or more."
            )
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.span = timedelta(days=days)
        started = time.monotonic()
        sections = self.sections()
        people = self.people(max(20, articles // STORIES_PER_PERSON))
        vocabulary = Vocabulary(self.tags())
        first_article = (Article.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.first_article = first_article
        self.comment_ids = count((Comment.objects.aggregate(m=Max("pk"))["m"] or 0) + 1)
        for offset in range(0, articles, BATCH):
            size = min(BATCH, articles - offset)
            with transaction.atomic():
                self.write_batch(
                    range(first_article + offset, first_article + offset + size),
                    (offset, articles),
                    sections,
                    people,
                    vocabulary,
                    comments_per_article,
                )
            self.stdout.write(f"  {offset + size} stories ({time.monotonic() - started:.0f} s)")
        self.reset_sequences()
        if not options["skip_search_index"]:
            queue(index_missing_stories)
            self.stdout.write(
                "Search indexing queued: the worker runs it (`make run` starts one; "
                "`manage.py worker --batch` runs what is queued, then stops)."
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics for the new rows
        everything_changed()
        self.stdout.write(
            self.style.SUCCESS(f"{articles} stories added in {time.monotonic() - started:.0f} s.")
        )

    # Names -------------------------------------------------------------------------

    def sections(self):
        existing = {s.slug: s for s in Section.objects.all()}
        for position, name in enumerate(SECTIONS):
            slug = slugify(name)
            if slug not in existing:
                existing[slug] = Section.objects.create(name=name, slug=slug, position=position)
        return list(existing.values())

    def people(self, wanted):
        have = list(Person.objects.filter(slug__startswith="staff-"))
        new = []
        for n in range(len(have), wanted):
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            new.append(Person(name=name, slug=f"staff-{n}-{slugify(name)}", title="Staff writer"))
        Person.objects.bulk_create(new)
        return list(Person.objects.filter(slug__startswith="staff-"))

    def tags(self):
        names = [f"{topic} in {place}" for topic in TOPICS for place in PLACES]
        self.rng.shuffle(names)
        names = TOPICS + PLACES + names
        Tag.objects.bulk_create(
            [Tag(name=name, slug=slugify(name)) for name in names], ignore_conflicts=True
        )
        by_slug = {t.slug: t for t in Tag.objects.filter(slug__in=[slugify(n) for n in names])}
        return [by_slug[slugify(name)] for name in names]

    # Stories -----------------------------------------------------------------------

    def text(self, words):
        sentence = " ".join(self.rng.choices(WORDS, k=words))
        return sentence[0].upper() + sentence[1:] + "."

    def body(self):
        paragraphs = (self.text(self.rng.randint(40, 90)) for _ in range(self.rng.randint(4, 8)))
        return "".join(f"<p>{p}</p>" for p in paragraphs)

    def when(self, position):
        """Stories in order of time: the n-th of N published n/N of the way to now."""
        done, total = position
        return self.now - self.span + self.span * (done + 1) / (total + 1)

    def publication(self, moment):
        """Status and publication time of a story written at ``moment``: nearly all
        published, a few drafts, withdrawn or scheduled to go live in the next days."""
        roll = self.rng.random()
        if roll < 0.01:
            return Article.Status.DRAFT, None
        if roll < 0.015:
            return Article.Status.UNPUBLISHED, moment
        if roll < 0.016:
            return Article.Status.PUBLISHED, self.now + timedelta(hours=self.rng.randint(1, 72))
        return Article.Status.PUBLISHED, moment

    def write_batch(self, ids, position, sections, people, vocabulary, comments_per_article):
        rng = self.rng
        done, total = position
        stories, links, credits, picks, corrections, comments = [], [], [], [], [], []
        for n, pk in enumerate(ids):
            status, published_at = self.publication(self.when((done + n, total)))
            topic = rng.choice(TOPICS)
            headline = f"{topic}: {self.text(rng.randint(5, 10))[:-1]}"
            video = rng.random() < 0.05
            story = Article(
                pk=pk,
                headline=headline[:300],
                slug=f"{slugify(headline)[:80]}-{pk}",
                dek=self.text(rng.randint(15, 30)),
                body=self.body(),  # plain <p> paragraphs: nothing for clean_body to remove
                kind=Article.Kind.VIDEO if video else Article.Kind.STORY,
                transcript=self.text(120) if video else "",
                # From the id, not the generator: the stories drawn after stay the same.
                duration=60 + pk * 37 % 840 if video else None,
                section=rng.choice(sections),
                dateline=rng.choice(PLACES).upper(),
                lead_image_url=f"https://images.example.com/{pk}.jpg" if rng.random() < 0.5 else "",
                lead_image_alt="A photograph for the story",
                status=status,
                published_at=published_at,
                is_sticky=done + n >= total - 3,
                comments_open=rng.random() < 0.9,
            )
            stories.append(story)
            links += [
                TaggedArticle(content_object_id=pk, tag=tag)
                for tag in vocabulary.pick(rng, rng.randint(3, 2 * TAGS_PER_STORY - 3))
            ]
            bylined = rng.sample(people, rng.choice([1, 1, 1, 2]))
            credits += [
                Credit(article_id=pk, person=p, role=Credit.Role.BYLINE, position=i)
                for i, p in enumerate(bylined)
            ]
            helper = rng.choice(people)
            if rng.random() < 0.3 and helper not in bylined:
                credits.append(
                    Credit(
                        article_id=pk,
                        person=helper,
                        role=Credit.Role.REPORTING,
                        note=rng.choice(NOTES),
                        position=len(bylined),
                    )
                )
            if rng.random() < 0.3 and pk > self.first_article:
                earlier = range(max(self.first_article, pk - 500), pk)
                chosen = rng.sample(earlier, min(len(earlier), rng.randint(1, 3)))
                picks += [
                    RelatedLink(from_article_id=pk, to_article_id=other, position=i)
                    for i, other in enumerate(chosen)
                ]
            if rng.random() < 0.02 and published_at:
                corrections.append(
                    Correction(
                        article_id=pk,
                        text=rng.choice(CORRECTIONS),
                        published_at=published_at + timedelta(hours=rng.randint(1, 48)),
                    )
                )
            if status == Article.Status.PUBLISHED and published_at <= self.now:
                thread = self.discussion(pk, published_at, comments_per_article)
                story.comment_count = sum(c.status == Comment.Status.APPROVED for c in thread)
                comments += thread
        Article.objects.bulk_create(stories)
        TaggedArticle.objects.bulk_create(links)
        Credit.objects.bulk_create(credits)
        RelatedLink.objects.bulk_create(picks)
        Correction.objects.bulk_create(corrections)
        Comment.objects.bulk_create(comments, batch_size=2000)

    def discussion(self, article_id, published_at, how_many):
        """Comments in order of time; four in ten answer an earlier one."""
        rng = self.rng
        thread = []
        for n in range(how_many):
            status = rng.choices(
                [Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM],
                [90, 7, 3],
            )[0]
            answerable = [c for c in thread if c.status == Comment.Status.APPROVED]
            parent = rng.choice(answerable) if answerable and rng.random() < 0.4 else None
            reader = rng.randrange(50_000)
            comment = Comment(
                pk=next(self.comment_ids),
                article_id=article_id,
                parent_id=parent.pk if parent else None,
                author_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}.",
                author_email=f"reader{reader}@example.com",
                body=f"{rng.choice(COMMENT_LINES)} ({n + 1})",
                status=status,
                ip_address=f"10.{reader % 256}.{reader // 256 % 256}.{n % 256}",
                created_at=published_at + timedelta(minutes=10 * (n + 1)),
            )
            comment.prepare()  # bulk_create skips save(), which fills body_html
            thread.append(comment)
        return thread

    def reset_sequences(self):
        """Primary keys were chosen here: tell PostgreSQL's sequences where to go on."""
        statements = connection.ops.sequence_reset_sql(no_style(), [Article, Comment])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
