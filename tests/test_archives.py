"""Date archives /YYYY/, /YYYY/MM/, /YYYY/MM/DD/: that period's published stories, by the
site's time zone (America/New_York in these tests, as in settings)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.archive_views import YearArchive
from articles.models import Article
from tests.factories import make_article, make_person

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def at(*args):
    return datetime(*args, tzinfo=NEW_YORK)


@pytest.fixture
def stories():
    reporter = make_person(name="Maya Brooks")
    return {
        "june20": make_article(headline="Pact signed", published_at=at(2024, 6, 20, 5, 0)),
        # 23:30 in New York is already June 21 in UTC: still a June 20 story.
        "june20_late": make_article(
            headline="Late edition", published_at=at(2024, 6, 20, 23, 30), bylines=[reporter]
        ),
        "june21": make_article(headline="Next morning", published_at=at(2024, 6, 21, 7, 0)),
        "march": make_article(headline="Spring story", published_at=at(2024, 3, 2, 12, 0)),
        "last_year": make_article(headline="Old news", published_at=at(2023, 12, 31, 22, 0)),
        "draft": make_article(headline="Draft in June", status=Article.Status.DRAFT),
        "pulled": make_article(
            headline="Pulled in June",
            status=Article.Status.UNPUBLISHED,
            published_at=at(2024, 6, 20, 9, 0),
        ),
    }


def headlines(response):
    assert response.status_code == 200
    return [article.headline for article in response.context["article_list"]]


def test_urls_are_zero_padded():
    assert reverse("articles:archive-year", args=[2024]) == "/2024/"
    assert reverse("articles:archive-month", args=[2024, 6]) == "/2024/06/"
    assert reverse("articles:archive-day", args=[2024, 6, 2]) == "/2024/06/02/"


def test_day_archive_lists_that_days_stories_in_the_site_time_zone(client, stories):
    response = client.get("/2024/06/20/")

    assert headlines(response) == ["Late edition", "Pact signed"]
    assert "Pulled in June" not in response.text
    assert "<h1>June 20, 2024</h1>" in response.text
    assert 'href="/2024/06/21/">June 21, 2024 &rarr;</a>' in response.text
    assert 'href="/2024/03/02/">&larr; March 2, 2024</a>' in response.text


def test_month_archive(client, stories):
    response = client.get("/2024/06/")

    assert headlines(response) == ["Next morning", "Late edition", "Pact signed"]
    assert "<h1>June 2024</h1>" in response.text
    assert 'href="/2024/03/">&larr; March 2024</a>' in response.text


def test_year_archive_lists_stories_and_the_months_that_have_some(client, stories):
    response = client.get("/2024/")

    assert headlines(response) == ["Next morning", "Late edition", "Pact signed", "Spring story"]
    assert [d.month for d in response.context["date_list"]] == [3, 6]
    assert 'href="/2024/06/">June</a>' in response.text
    assert 'href="/2023/">&larr; 2023</a>' in response.text
    assert "Old news" not in response.text


def test_scheduled_stories_wait_for_their_time(client):
    tomorrow = timezone.localtime() + timedelta(days=1)
    make_article(headline="Tomorrow's story", published_at=tomorrow)

    day = f"/{tomorrow:%Y}/{tomorrow:%m}/{tomorrow:%d}/"
    assert client.get(day).status_code == 404
    assert client.get(f"/{tomorrow:%Y}/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/2022/", "/2024/05/", "/2024/06/19/", "/2024/13/", "/2024/02/30/", "/2024/6/"]
)
def test_empty_or_impossible_periods_are_404(client, stories, url):
    assert client.get(url).status_code == 404


def test_date_archives_are_paginated(client, stories, monkeypatch, settings):
    settings.SITE_URL = "https://news.example.com"
    monkeypatch.setattr(YearArchive, "paginate_by", 3)

    first = client.get("/2024/")
    second = client.get("/2024/", {"page": 2})

    assert headlines(first) == ["Next morning", "Late edition", "Pact signed"]
    assert headlines(second) == ["Spring story"]
    assert '<link rel="next" href="https://news.example.com/2024/?page=2">' in first.text
    assert '<a rel="next" href="?page=2">Older &rarr;</a>' in first.text  # listings go by date
    assert '<a rel="prev" href="?page=1">&larr; Newer</a>' in second.text


def test_archive_queries_do_not_grow_with_stories(client, stories, django_assert_num_queries):
    for hour in range(10):
        make_article(published_at=at(2024, 6, 20, 10, hour), bylines=[make_person()])

    # Whether the month has stories (else 404), its days that have some, the
    # previous and next months, the page count, the page of stories (with
    # sections), their bylines, the navigation sections.
    with django_assert_num_queries(8):
        response = client.get("/2024/06/")
    assert len(headlines(response)) == 13
