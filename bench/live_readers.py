"""The readers and the desk of bench/live_polling.py: who polls a live story, who changes it.

A reader keeps what a reader's page keeps (its ETag and the entries it knows) and notes when
a poll answer first shows each change; the desk saves through the ORM, in the benchmark's
process, and lists each change before its commit, timed at the commit.
"""

import gzip
import http.client
import json
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Change:
    """One save of the editor's, listed before its commit and timed at it."""

    kind: str  # "new entry", "correction", "deletion"
    entry_id: int | None = None
    old_version: int | None = None
    committed: float | None = None

    def commit(self):
        self.committed = time.monotonic()

    def shown_by(self, versions):
        """Does a poll answer (``{entry id: version}``) show this change?"""
        if self.entry_id is None:
            return False
        if self.kind == "new entry":
            return self.entry_id in versions
        if self.kind == "correction":
            return versions.get(self.entry_id, self.old_version) != self.old_version
        return self.entry_id not in versions


@dataclass
class Reader:
    """A reader's page: its ETag, the entries it knows, and when it saw each change."""

    phase: float
    etag: str | None = None
    versions: dict | None = None
    seen: dict = field(default_factory=dict)  # change index -> monotonic time
    statuses: Counter = field(default_factory=Counter)

    def poll(self, port, path, changes):
        headers = {"Accept-Encoding": "gzip"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
        except OSError as error:
            self.statuses[type(error).__name__] += 1
            return
        finally:
            connection.close()
        received = time.monotonic()
        self.statuses[response.status] += 1
        if response.status == 200:
            self.etag = response.getheader("ETag")
            if response.getheader("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            self.versions = {pk: version for pk, version in json.loads(body)["entries"]}
        if self.versions is None:
            return
        for index, change in enumerate(list(changes)):
            if index not in self.seen and change.shown_by(self.versions):
                self.seen[index] = received

    def follow(self, port, path, changes, start, end, interval):
        moment = start + self.phase
        while moment < end:
            time.sleep(max(0.0, moment - time.monotonic()))
            self.poll(port, path, changes)
            moment += interval


class Editor:
    """The desk: saves entries of ``story`` through the ORM, each change listed in
    ``changes`` before its commit and timed at it."""

    def __init__(self, story, changes):
        from live.models import Entry

        self.story, self.changes = story, changes
        # Corrected from the oldest, deleted from the newest: each seeded entry changes once.
        self.targets = list(Entry.objects.of(story).filter(is_pinned=False).order_by("pk"))

    def save(self, kind):
        from django.db import transaction

        from live.models import Entry, EntryCorrection

        change = Change(kind)
        with transaction.atomic():
            # Registered first: it runs at the commit, before the signals' touch of the tag.
            transaction.on_commit(change.commit)
            if kind == "new entry":
                body = f"<p>Breaking: entry {len(self.changes) + 1} of the run, from the desk.</p>"
                change.entry_id = Entry.objects.create(story=self.story, body=body).pk
            elif kind == "correction":
                entry = Entry.objects.get(pk=self.targets.pop(0).pk)
                change.entry_id, change.old_version = entry.pk, entry.version
                EntryCorrection.objects.create(
                    entry=entry, text="An earlier version misnamed a town."
                )
            else:
                entry = self.targets.pop()
                change.entry_id = entry.pk
                entry.delete()
            self.changes.append(change)
