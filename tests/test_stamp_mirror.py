"""Stamps kept in each process and told of every change (core.stamp_mirror).

Each test that needs it makes a second StampMirror or CacheStore of its own: another
process, as far as Redis can tell (its own connections and subscription).
"""

import pytest
import redis
from django.conf import settings
from django.core.cache import cache, caches

from articles.models import Article
from core import cache as core_cache
from core import stamp_stores, stamps
from core.cache import cached
from core.stamp_mirror import StampMirror
from tests.factories import make_article

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI runs the suite so)"),
]


@pytest.fixture
def redis_commands(monkeypatch):
    """The commands sent to Redis, as (name, first key)."""
    sent = []
    send = redis.client.Redis.execute_command

    def counting(client, *args, **options):
        sent.append(args[:2])
        return send(client, *args, **options)

    monkeypatch.setattr(redis.client.Redis, "execute_command", counting)
    return sent


@pytest.fixture
def other_process():
    """A CacheStore with a mirror of its own, as another web server has."""
    store = stamp_stores.CacheStore.for_shared_cache()
    yield store
    store.mirror.close()


def channel():
    return caches["default"].make_key("stamps:changes")


def test_a_cached_page_is_served_without_a_round_trip_to_redis(client, redis_commands):
    story = make_article()
    client.get(story.get_absolute_url())
    client.get(story.get_absolute_url())
    redis_commands.clear()
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert redis_commands == []


def test_a_change_published_by_another_process_is_seen_at_once():
    mirror, other = StampMirror(settings.REDIS_URL, channel()), None
    try:
        assert mirror.known(["article:1"]) == ({}, ["article:1"])
        mirror.keep({"article:1": 100.0})
        assert mirror.known(["article:1", "article:2"]) == ({"article:1": 100.0}, ["article:2"])
        other = StampMirror(settings.REDIS_URL, channel())
        other.publish(200.0, ["article:1", "article:2"])
        # No wait: Redis has sent the message before it answered the publisher. A tag
        # not read yet is kept from the message too (a read racing it keeps the newer).
        assert mirror.known(["article:1", "article:2"]) == (
            {"article:1": 200.0, "article:2": 200.0},
            [],
        )
        # A stamp read from Redis never replaces a newer one that was published.
        mirror.keep({"article:1": 150.0})
        assert mirror.known(["article:1"])[0] == {"article:1": 200.0}
    finally:
        mirror.close()
        if other:
            other.close()


def test_a_page_changed_through_another_server_is_rendered_again(client, other_process):
    story = make_article(headline="First headline")
    client.get(story.get_absolute_url())
    assert "First headline" in client.get(story.get_absolute_url()).text
    Article.objects.filter(pk=story.pk).update(headline="Second headline")
    other_process.write(stamps.now(), [f"article:{story.pk}", stamps.ANY])
    assert "Second headline" in client.get(story.get_absolute_url()).text


def test_a_value_kept_in_process_costs_no_round_trip_until_its_tag_changes(
    redis_commands, other_process
):
    computed = []

    def count():
        computed.append(1)
        return len(computed)

    assert cached("test:count", ["article:7"], count) == 1
    redis_commands.clear()
    assert cached("test:count", ["article:7"], count) == 1
    assert redis_commands == []
    other_process.write(stamps.now(), ["article:7"])
    assert cached("test:count", ["article:7"], count) == 2


def test_emptying_the_cache_anywhere_makes_every_process_forget_what_it_kept(client, other_process):
    story = make_article(headline="Kept everywhere")
    other_process.read([f"article:{story.pk}"], [])
    kept_before = other_process.mirror.generation
    cache.clear()
    assert other_process.mirror.known([]) is not None
    assert other_process.mirror.generation > kept_before
    assert other_process.mirror.known([f"article:{story.pk}"])[0] == {}


def test_without_its_subscription_a_process_reads_every_stamp_from_redis(
    redis_commands, other_process
):
    other_process.write(123.0, ["article:9"])
    store = stamp_stores.CacheStore(mirror=StampMirror("redis://127.0.0.1:1/0", channel()))
    redis_commands.clear()
    assert store.read(["article:9"], [])[0] == {"article:9": 123.0}
    assert store.read(["article:9"], [])[0] == {"article:9": 123.0}
    assert [command for command, _ in redis_commands] == ["MGET", "MGET"]
    assert not store.kept_in_process()


def test_a_dropped_subscription_forgets_what_it_kept_and_reads_redis_again(monkeypatch):
    monkeypatch.setattr("core.stamp_mirror.RETRY_AFTER", 0)
    mirror = StampMirror(settings.REDIS_URL, channel())
    try:
        mirror.known([])
        mirror.keep({"article:3": 100.0})
        mirror.pubsub.connection.disconnect()  # Redis restarted, or the network broke
        assert mirror.known(["article:3"]) is None  # messages may have been missed
        assert mirror.known(["article:3"]) == ({}, ["article:3"])  # subscribed again
    finally:
        mirror.close()


@pytest.fixture
def pipelines(monkeypatch):
    """The commands of each pipeline sent to Redis (each is one round trip)."""
    sent = []
    execute = redis.client.Pipeline.execute

    def counting(pipeline, *args, **options):
        sent.append([command[0] for command, _ in pipeline.command_stack])
        return execute(pipeline, *args, **options)

    monkeypatch.setattr(redis.client.Pipeline, "execute", counting)
    return sent


def test_a_cold_page_stores_its_values_and_their_new_stamps_in_one_round_trip(
    client, redis_commands, pipelines, django_assert_num_queries
):
    story = make_article(tags=["harbour"])
    cache.clear()  # the values and every stamp
    redis_commands.clear()
    with django_assert_num_queries(8):  # each value computed once, the deadline too
        assert client.get(story.get_absolute_url()).status_code == 200
    sent = [command for command, *_ in redis_commands]
    # No stamp added in a round trip of its own (the one SET is the flushed cache's new
    # epoch), nor looked up first: the one MGET is the page cache's look for the page.
    singles = [key for command, key in redis_commands if command == "SET"]
    assert singles == [cache.make_key(stamp_stores.EPOCH_KEY)]
    # The page cache's look for the page, then the values, read ahead (core.cache): the
    # story row with the deadlines; the story, its related posts and the menu; the
    # discussion's settings; its parts. Each was a GET of its own (eleven).
    value_reads = [
        (command, key)
        for command, key in redis_commands
        if command in ("GET", "MGET") and core_cache.KEY_PREFIX in str(key)
    ]
    assert sent.count("MGET") == 4 and len(value_reads) == 4
    # The story's fragments and the page, with the stamps their tags lacked: one pipeline.
    assert len(pipelines) == 1 and set(pipelines[0]) == {"SET"}
    assert len(pipelines[0]) > 10
    for tag in (stamps.EVERYTHING, f"article:{story.pk}", f"tag:{story.tags.get().pk}"):
        assert cache.get(stamp_stores.key(tag)) is not None
    redis_commands.clear()
    assert client.get(story.get_absolute_url()).status_code == 200
    assert redis_commands == []  # the next reader's page: no round trip at all


def test_a_touch_writes_what_the_request_held_back_first(pipelines):
    with stamps.stores_together():
        value = cached("held", ["harbour"], lambda: ["computed"])
        assert cached("held", ["harbour"], lambda: ["again"]) == value  # read back
        assert pipelines == []
        stamps.touch("harbour")
        assert len(pipelines) == 2  # the held value with its stamps, then the touch
        assert cached("held", ["harbour"], lambda: ["after the touch"]) == ["after the touch"]
    assert cache.get(f"{core_cache.KEY_PREFIX}held")[3] == ["after the touch"]


def test_storing_a_value_never_overwrites_a_stamp(pipelines):
    stamps.touch("tag:77")
    written = cache.get(stamp_stores.key("tag:77"))
    pipelines.clear()
    adds = {stamp_stores.key("tag:77"): 1.0, stamp_stores.key("tag:78"): 1.0}
    values = {"kept": ("value", 60)}
    assert cache.set_after_adding(adds, values) == {stamp_stores.key("tag:78")}
    assert cache.get(stamp_stores.key("tag:77")) == written
    assert cache.get("kept") == "value"
    assert 0 < cache._cache.get_client().ttl(cache.make_key("kept")) <= 60
    assert cache._cache.get_client().ttl(cache.make_key(stamp_stores.key("tag:78"))) == -1
    assert len(pipelines) == 1
    cache.set_after_adding({}, {"kept": ("value", 0)})  # as set(): a timeout of 0 deletes
    assert cache.get("kept") is None
