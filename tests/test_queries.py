"""Every public page runs a small, constant number of queries, however much a story carries.

Each page is asked for with the cache empty (no page cache, no navigation, no
next-scheduled time), about a story with one tag, credit, comment and related
post and about one with fifty of each: the budget is the same, and never more
than eight (nine for a story page, which also reads the discussion settings).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Correction, Credit, RelatedLink
from comments.models import Comment
from tests.factories import empty_caches, make_article, make_comment, make_person, make_section

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8
# A story page also reads the discussion settings (comments.DiscussionSettings.current()),
# once per cold cache: they are kept until an editor saves them.
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
