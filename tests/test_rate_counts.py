"""The comment rate limit without a shared cache: counted in the database
(comments.models.RateCount), which every server process reads.

tests/test_stamps_across_processes.py posts through two servers on one SQLite file;
these are the counter's own rules.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from comments.models import DiscussionSettings, RateCount
from comments.ratelimit import seconds_to_wait

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted_in_database(settings):
    settings.COMMENT_RATE_COUNTER = "database"


@pytest.fixture
def discussion(settings):
    settings.COMMENT_RATE_LIMIT = 3
    settings.COMMENT_RATE_WINDOW = 600
    return DiscussionSettings.current()


def test_the_limit_holds_in_the_database_and_a_new_window_starts_afresh(
    counted_in_database, discussion, clock
):
    clock.freeze()
    assert [seconds_to_wait("203.0.113.9", discussion) for _ in range(3)] == [0, 0, 0]
    assert 0 < seconds_to_wait("203.0.113.9", discussion) <= 600
    assert seconds_to_wait("203.0.113.10", discussion) == 0  # another address
    assert seconds_to_wait("2001:db8::1", discussion) == 0
    assert seconds_to_wait("2001:db8::2", discussion) == 0  # the same /64 ...
    assert RateCount.objects.get(key__contains="2001:db8::/64").count == 2
    clock(seconds=600)
    assert seconds_to_wait("203.0.113.9", discussion) == 0


def test_the_first_post_of_a_window_sweeps_away_the_ended_windows(
    counted_in_database, discussion, clock
):
    clock.freeze()
    for address in ("198.51.100.1", "198.51.100.2"):
        seconds_to_wait(address, discussion)
    assert RateCount.objects.count() == 2
    clock(seconds=601)
    seconds_to_wait("198.51.100.1", discussion)
    assert list(RateCount.objects.values_list("count", flat=True)) == [1]


def test_the_cache_counts_when_redis_is_there(settings, discussion, clock):
    settings.COMMENT_RATE_COUNTER = "cache"
    clock.freeze()
    assert [seconds_to_wait("203.0.113.9", discussion) for _ in range(4)][-1] > 0
    assert not RateCount.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_posts_at_the_same_moment_each_count_once():
    """One statement per post: eight threads, eight connections, counts 1 to 8."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection's (CI runs PostgreSQL too)")
    moment = timezone.now() + timedelta(minutes=10)
    counts, start = [], threading.Barrier(8)

    def post():
        start.wait()
        try:
            counts.append(RateCount.objects.count_one("comments:rate:198.51.100.7:600:1", moment))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 9))
    assert RateCount.objects.get().count == 8


def test_a_database_that_cannot_count_is_refused_by_the_checks(settings, monkeypatch):
    from comments.checks import rate_counts_can_be_kept

    settings.COMMENT_RATE_COUNTER = "database"
    assert rate_counts_can_be_kept(None) == []
    monkeypatch.setattr("comments.checks.sqlite3.sqlite_version_info", (3, 34, 1))
    monkeypatch.setattr("comments.checks.sqlite3.sqlite_version", "3.34.1")
    if connection.vendor == "sqlite":
        (error,) = rate_counts_can_be_kept(None)
        assert error.id == "comments.E001" and "SQLite 3.34.1" in error.msg
        assert "Set REDIS_URL" in error.hint
    else:  # PostgreSQL says it whatever SQLite this Python has
        assert rate_counts_can_be_kept(None) == []
    settings.COMMENT_RATE_COUNTER = "cache"
    assert rate_counts_can_be_kept(None) == []
