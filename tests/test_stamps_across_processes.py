"""The embedded default (SQLite, no Redis) across processes: a change saved by any
process on the machine reaches the pages every other process has cached, and the
comment rate limit counts the posts every process took (in the database).

Without a shared cache each process keeps its own pages; the stamps that say
what changed are appended to one file that every process reads
(core.stamp_stores.FileStore).
"""

import http.client
import os
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from core.stamp_stores import FileStore
from tests.servers import ROOT, manage, web_server
from tests.test_scaleout import Visitor, comment_form, seed, server_env

EXPORT = ROOT / "tests" / "fixtures" / "wordpress" / "export.xml"


def reader(path, clock=time.time):
    return FileStore(path, clock=clock)


def test_a_change_written_by_one_process_is_read_by_another(tmp_path):
    path = tmp_path / "stamps"
    first, second = reader(path), reader(path)
    assert second.read(["article:1"], ())[0]["article:1"] == pytest.approx(time.time(), abs=5)
    first.write(time.time() + 100, ["article:1", "front"])
    stamps, _ = second.read(["article:1", "front", "article:2"], ())
    assert stamps["article:1"] == stamps["front"] > stamps["article:2"]


def test_a_line_still_being_written_is_read_once_it_is_whole(tmp_path):
    path = tmp_path / "stamps"
    store = reader(path)
    origin = store.read(["a"], ())[0]["a"]
    with open(path, "a") as changes:
        changes.write(f"{origin + 50!r} a")  # no newline yet
    assert store.read(["a"], ())[0]["a"] == origin
    with open(path, "a") as changes:
        changes.write("\n")
    assert store.read(["a"], ())[0]["a"] == origin + 50


def test_the_epoch_is_the_files_and_asks_nothing_of_the_cache(tmp_path, monkeypatch):
    """Every request asks for the epoch: without Redis it is read off the file the
    store follows, not out of the cache (emptying which loses no stamp)."""
    store = reader(tmp_path / "stamps")
    store.read(["a"], ())
    before = store.epoch(time.time())

    def no_cache(*args, **kwargs):
        raise AssertionError("the epoch was read from the cache")

    monkeypatch.setattr("core.stamp_stores.cache.get", no_cache)
    assert store.epoch(time.time()) == before
    store.forget(time.time())
    forgotten = store.epoch(time.time())
    assert forgotten != before
    store.read(["a"], ())
    store.forget(time.time())
    assert store.epoch(time.time()) != forgotten


def test_compaction_keeps_the_newest_stamps_and_readers_follow(tmp_path, monkeypatch):
    path = tmp_path / "stamps"
    writer, watcher = reader(path), reader(path)
    watcher.read(["t0"], ())
    monkeypatch.setattr("core.stamp_stores.COMPACT_ABOVE", 2_000)
    start = time.time()
    for n in range(200):
        writer.write(start + n, [f"t{n % 7}"])
    assert path.stat().st_size < 2_000 + 200
    stamps, _ = watcher.read([f"t{n}" for n in range(7)], ())
    newest = {f"t{k}": start + max(n for n in range(200) if n % 7 == k) for k in range(7)}
    assert stamps == newest


def test_a_stamps_file_made_anew_makes_everything_before_it_stale(tmp_path):
    path = tmp_path / "stamps"
    store = reader(path)
    before = store.read(["x"], ())[0]["x"]
    path.unlink()
    clock = time.time() + 500
    assert reader(path, clock=lambda: clock).read(["x"], ())[0]["x"] == clock
    assert store.read(["x"], ())[0]["x"] == clock > before


def test_concurrent_writers_lose_no_stamp(tmp_path):
    path = tmp_path / "stamps"
    start = time.time()

    def write(worker):
        store = reader(path)
        for n in range(100):
            store.write(start + n, [f"w{worker}:{n}"])

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tags = [f"w{w}:{n}" for w in range(4) for n in range(100)]
    stamps, _ = reader(path).read(tags, ())
    assert all(stamps[f"w{w}:{n}"] == start + n for w in range(4) for n in range(100))


def post_from(address, port, path, form):
    """POST ``form`` to ``path`` from the loopback ``address`` (127.0.0.2...): another
    client, as the server sees it."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(address, 0)
    )
    try:
        connection.request(
            "POST", path, urlencode(form), {"Content-Type": "application/x-www-form-urlencoded"}
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def fetch(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:  # noqa: S310
        return response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_two_servers_and_a_management_command_on_sqlite_without_redis(tmp_path):
    database = tmp_path / "newsroom.sqlite3"
    # An hour's window: the posts below never straddle two.
    env = server_env(f"sqlite:///{database}", COMMENT_RATE_LIMIT="3", COMMENT_RATE_WINDOW="3600")
    story, _ = seed(env)
    with web_server(env, workers=1, threads=4) as one, web_server(env, workers=1, threads=4) as two:
        for port in (one, two):
            for _ in range(2):  # the second answer comes from that process's cache
                assert "Grotesque" not in fetch(port, story)
                fetch(port, "/")
        changed = (
            "from articles.models import Article; "
            f"a = Article.objects.get(slug='{story.rstrip('/').rsplit('/', 1)[-1]}'); "
            "a.headline = 'Grotesque new headline'; a.save()"
        )
        manage(env, "shell", "-c", changed)
        saved = time.monotonic()
        for port in (one, two):
            assert "Grotesque new headline" in fetch(port, story)
            assert "Grotesque new headline" in fetch(port, "/")
        elapsed = time.monotonic() - saved
        manage(env, "import_wordpress", str(EXPORT))
        for port in (one, two):
            assert "Harbour reopens after the storm" in fetch(port, "/")

        # The rate limit: three comments an hour from one address, whichever process
        # each reaches (each would count only its own in its memory).
        commenter = Visitor()
        action, token = comment_form(commenter.get(one, story)[2])
        form = {"author_name": "Bo", "token": token}
        for n in range(3):
            posted = commenter.post(
                one, action, {**form, "author_email": f"bo{n}@example.com", "body": f"No. {n}"}
            )
            assert posted[0] == 303
        status, headers, _ = commenter.post(
            two, action, {**form, "author_email": "bo9@example.com", "body": "One too many"}
        )
        assert status == 429 and int(headers["Retry-After"]) > 0

        # Six posts at the same moment from another address, three to each process:
        # three are taken, whichever they were, and three refused.
        start = threading.Barrier(6)

        def post(n):
            start.wait()
            form = {"author_name": "Cy", "token": token, "body": f"At once {n}"}
            return post_from(
                "127.0.0.2",
                (one, two)[n % 2],
                action,
                form | {"author_email": f"cy{n}@example.com"},
            )

        with ThreadPoolExecutor(6) as pool:
            statuses = sorted(pool.map(post, range(6)))
        assert statuses == [303] * 3 + [429] * 3
        stored = (
            "from comments.models import Comment; "
            "print(Comment.objects.filter(ip_address='127.0.0.2').count())"
        )
        assert manage(env, "shell", "-c", stored).split()[-1] == "3"
    assert elapsed < 5
    assert os.path.getsize(f"{database}-stamps") > 0
