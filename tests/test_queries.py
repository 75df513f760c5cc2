"""Every public page runs a small, constant number of queries, however much a story carries.

Each page is asked for with the cache empty (no page cache, no navigation, no
next-scheduled time), about a story with one tag, credit, comment and related
post and about one with fifty of each: the budget is the same, and never more
than eight (nine for a story page with corrections, whose query a story without
any skips). A story page's queries are pinned one by one below, photos included.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Correction, Credit, RelatedLink
from comments.models import Comment
from photos import renditions
from tests.factories import empty_caches, make_article, make_comment, make_person, make_section
from tests.photo_files import make_photo

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8
# A story with corrections reads them too (one without has its query skipped).
STORY_MAX_QUERIES = MAX_QUERIES + 1


@pytest.fixture
def newsroom(django_capture_on_commit_callbacks):
    """Two stories in one section: "small" carries one of everything, "big" fifty."""
    section = make_section(slug="harbour")
    stories = {}
    with django_capture_on_commit_callbacks(execute=True):  # search index, counts
        for label, n in (("small", 1), ("big", 50)):
            tags = [f"{label} tag {i}" for i in range(n)]
            story = make_article(slug=f"{label}-story", section=section, tags=tags)
            roles = list(Credit.Role)
            for i in range(n):
                Credit.objects.create(
                    article=story,
                    person=make_person(slug=f"{label}-person-{i}"),
                    role=roles[i % len(roles)],
                    position=i,
                )
                other = make_article(section=section, tags=tags[: i + 1])
                RelatedLink.objects.create(from_article=story, to_article=other, position=i)
                Correction.objects.create(article=story, text=f"Fixed {i}.")
            parent = None
            for i in range(n):
                # Threads of five: a comment and four replies under it.
                parent = make_comment(story, parent=parent if i % 5 else None)
            make_comment(story, status=Comment.Status.PENDING)
            stories[label] = story
    # One scheduled story: the page cache looks up when it goes live.
    make_article(section=section, published_at=timezone.now() + timedelta(days=1))
    return stories


def queries_for(client, url):
    empty_caches()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def story_pages(story):
    day = timezone.localdate(story.published_at)
    tag = story.tags.order_by("name").first()
    person = story.credits.order_by("position").first().person
    return [
        story.get_absolute_url(),
        f"{story.get_absolute_url()}?cpage=1",
        f"/tag/{tag.slug}/",
        f"/tag/{tag.slug}/feed/",
        f"/author/{person.slug}/",
        f"/author/{person.slug}/feed/",
        f"/{day:%Y}/",
        f"/{day:%Y/%m}/",
        f"/{day:%Y/%m/%d}/",
    ]


SITE_PAGES = [
    "/",
    "/?page=2",
    "/section/harbour/",
    "/section/harbour/feed/",
    "/feed/",
    "/feed/atom/",
    "/sitemap.xml",
    "/news-sitemap.xml",
    "/corrections/",
    "/search/?q=story",
]


def test_site_pages_stay_within_budget(client, newsroom):
    counts = {url: queries_for(client, url) for url in SITE_PAGES}
    assert {url: n for url, n in counts.items() if n > MAX_QUERIES} == {}


def test_story_pages_cost_the_same_for_one_or_fifty_of_everything(client, newsroom):
    pairs = zip(story_pages(newsroom["small"]), story_pages(newsroom["big"]), strict=True)
    counts = {big: (queries_for(client, small), queries_for(client, big)) for small, big in pairs}

    def budget(url):
        return (
            STORY_MAX_QUERIES if url.startswith(newsroom["big"].get_absolute_url()) else MAX_QUERIES
        )

    assert {url: n for url, n in counts.items() if n[0] != n[1] or n[1] > budget(url)} == {}


def test_the_big_story_shows_all_it_carries_in_nine_queries(
    client, newsroom, django_assert_max_num_queries
):
    story = newsroom["big"]
    empty_caches()
    # The story with its section; credits with people; tags; corrections; related
    # posts (picks and automatic, one query); the discussion settings; comments; the
    # navigation sections; the next scheduled publication (for the page cache).
    with django_assert_max_num_queries(STORY_MAX_QUERIES):
        response = client.get(story.get_absolute_url())
    text = response.text
    assert text.count('rel="tag"') == 50
    assert text.count('class="card-title"') == 6  # RELATED_POSTS_COUNT
    assert text.count('<li class="comment"') == 50
    assert text.count('class="correction correction-') == 50
    assert "50 Comments" in text


# What a cold story page reads, query by query (issue 16: at most eight), by the table
# each reads first.
STORY_PAGE_READS = {
    # 1. The story with its section and lead photo (joined), the names of the photo's
    # stored renditions and whether it has corrections (subqueries of its row);
    # 2. its related posts, picks and automatic, each with the same of its lead photo
    # (the cards' renditions: no query of their own); 3. the next scheduled
    # publication (the page cache's deadline).
    "articles_article": 3,
    "articles_credit": 1,  # 4. the credits, with their people
    "taggit_tag": 1,  # 5. the story's tags
    "articles_section": 1,  # 6. the navigation's sections
    # 7. The discussion settings, kept until an editor saves them (cold: read).
    "comments_discussionsettings": 1,
    "comments_comment": 1,  # 8. the comments
}


def main_table(sql):
    """The table a query's own FROM names, subqueries (in parentheses) left out."""
    while True:
        outer = re.sub(r"\([^()]*\)", "", sql)
        if outer == sql:
            return re.search(r'FROM "(\w+)"', sql).group(1)
        sql = outer


def reads(client, url):
    """How many queries of a cold request read each table (their own FROM)."""
    empty_caches()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    tables = [main_table(query["sql"]) for query in queries]
    return {table: tables.count(table) for table in tables}


@pytest.fixture
def photographed(on_commit):
    """A story as issue 16 measures it: a lead photo, six related posts with photos (on
    their cards), six tags, a comment; no corrections. The lead photo's smallest
    WebP and a card's smallest square WebP are stored: their files are linked."""
    tags = [f"harbour tag {i}" for i in range(6)]
    with on_commit():
        story = make_article(tags=tags, lead_photo=make_photo(), bylines=[make_person()])
        for position in range(6):
            other = make_article(tags=tags, lead_photo=make_photo())
            RelatedLink.objects.create(from_article=story, to_article=other, position=position)
        make_comment(story)
    lead = story.lead_photo
    renditions.generate(lead, [renditions.Spec("original", 320, "webp")])
    renditions.generate(other.lead_photo, [renditions.Spec("1:1", 320, "webp")])
    return story, other


def test_a_story_with_photos_and_no_corrections_is_eight_queries(client, photographed):
    story, card = photographed
    assert reads(client, story.get_absolute_url()) == STORY_PAGE_READS
    html = client.get(story.get_absolute_url()).text
    assert html.count("<picture>") == 7
    # The names read with the rows: the stored files are linked, the rest are the
    # view that makes them.
    lead = story.lead_photo
    stored = renditions.name(lead, renditions.Spec("original", 320, "webp"))
    assert f"/media/{stored} 320w" in html
    assert f"/photos/{lead.pk}/{renditions.SLUGS['original']}/480.webp 480w" in html
    # A 6rem thumbnail has one width (photos.sizes), named alone.
    stored = renditions.name(card.lead_photo, renditions.Spec("1:1", 320, "webp"))
    assert f'srcset="/media/{stored}"' in html
    assert f"/photos/{card.lead_photo.pk}/{renditions.SLUGS['1:1']}/320.avif" in html


def test_only_a_story_with_corrections_reads_them(client, photographed):
    story, _ = photographed
    Correction.objects.create(article=story, text="The harbour is in the east.")
    assert reads(client, story.get_absolute_url()) == {**STORY_PAGE_READS, "articles_correction": 1}
    assert "The harbour is in the east." in client.get(story.get_absolute_url()).text
