"""A page a process keeps is checked against its stamps again only once one of them
may have changed (core.stamps.version): the stamps file's length and time, the
mirror's count of the stamps it took in. Whatever changes, the page is checked, and
served only if still fresh."""

import time

import pytest
from django.conf import settings

from core import stamps
from core.stamp_mirror import StampMirror
from core.stamp_stores import FileStore
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks(monkeypatch):
    """How many times the stamps of a page's tags were compared."""
    counted = []
    compare = stamps.is_fresh

    def counting(tags, computed_at, known=None):
        counted.append(tags)
        return compare(tags, computed_at, known)

    monkeypatch.setattr(stamps, "is_fresh", counting)
    return counted


def test_a_page_kept_is_not_checked_again_while_no_stamp_changed(client, checks):
    story = make_article(headline="Harbour reopens")
    for _ in range(3):  # rendered (stored once the change is a margin old), then checked
        client.get(story.get_absolute_url())
    checks.clear()
    for _ in range(3):
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200 and "Harbour reopens" in response.text
    assert checks == []


def test_any_change_has_the_page_checked_and_its_own_renders_it_again(client, checks, clock):
    story = make_article(headline="Harbour reopens")
    for _ in range(3):
        client.get(story.get_absolute_url())
    clock(seconds=settings.PAGE_CACHE_MARGIN + 1)
    stamps.touch("section:999")  # another page's
    checks.clear()
    assert "Harbour reopens" in client.get(story.get_absolute_url()).text
    assert len(checks) == 1  # checked again, still fresh, served
    Story = type(story)
    Story.objects.filter(pk=story.pk).update(headline="Harbour reopens at last")
    stamps.touch(f"article:{story.pk}")
    assert "Harbour reopens at last" in client.get(story.get_absolute_url()).text


def test_the_files_version_follows_every_whole_line(tmp_path):
    path = tmp_path / "stamps"
    store, writer = FileStore(path, clock=time.time), FileStore(path, clock=time.time)
    first = store.version()
    assert first is not None and store.version() == first
    writer.write(time.time(), ["article:1"])
    second = store.version()
    assert second not in (None, first)
    with open(path, "a") as changes:
        changes.write(f"{time.time()!r} article:2")  # no newline yet
    assert store.version() is None  # a line half-written proves nothing
    with open(path, "a") as changes:
        changes.write("\n")
    assert store.version() not in (None, first, second)


def test_a_file_made_anew_is_another_version(tmp_path):
    path = tmp_path / "stamps"
    store = FileStore(path, clock=time.time)
    before = store.version()
    path.unlink()
    assert store.version() != before


def changed_from(mirror, version, within=5.0):
    """The mirror's version once the message published has reached it (Redis may answer
    the publisher a moment before the subscriber's socket has the message)."""
    deadline = time.monotonic() + within
    while (found := mirror.version()) == version and time.monotonic() < deadline:
        time.sleep(0.01)
    return found


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI runs the suite so)")
def test_the_mirrors_version_follows_what_it_takes_in():
    url = settings.CACHES["default"]["LOCATION"]
    mirror, other = StampMirror(url, "stamps:versions"), StampMirror(url, "stamps:versions")
    try:
        first = mirror.version()
        assert first is not None and mirror.version() == first
        other.publish(time.time(), ["article:1"])  # another process's change
        second = changed_from(mirror, first)
        assert second not in (None, first)
        mirror.keep({"article:2": time.time()})  # read from Redis
        assert mirror.version() not in (first, second)
        mirror.close()
        assert mirror.version() is None  # down: nothing kept is trusted
    finally:
        mirror.close()
        other.close()
