"""What turning posts into our HTML changed, post by post: for the summary and a CSV.

WordPress showed its readers more than our allow-list keeps (core.sanitize): a
form, a script, a player. An editor migrating a site needs to know which posts
to look at, so each post's losses are counted (``Cleaning``) and those that lost
something are listed in a CSV written next to the export. Rows go to a temporary
file as they come, so a large site's list takes no memory.
"""

import csv
import shutil
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

CSV_COLUMNS = ["kind", "wordpress_id", "title", "old_address", "lost"]


@dataclass
class Cleaning:
    """One post's content, as cleaned: what was dropped, what became a link."""

    dropped: Counter = field(default_factory=Counter)  # element → how many (lost_in_cleaning)
    missing: Counter = field(default_factory=Counter)  # what could not be shown → how many
    players: Counter = field(default_factory=Counter)  # "video" / "audio" → kept as links

    def lost(self):
        """What was lost, in words: "<form>, <script> ×2, video without a file"."""
        things = {**{f"<{name}>": n for name, n in self.dropped.items()}, **self.missing}
        return ", ".join(what if n == 1 else f"{what} ×{n}" for what, n in sorted(things.items()))


def cell(text):
    """``text`` as a spreadsheet shows it: a title starting "=" is no formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class Losses:
    def __init__(self):
        self.rows = self.writer = None  # while listing()
        self.posts = Counter()  # kind → how many lost something
        self.dropped = Counter()  # element or missing thing → in how many posts
        self.players = Counter()  # "video" / "audio" → how many kept as links
        self.written_to = None
        self.unwritable = ""  # why the list is not where it was asked for

    @contextmanager
    def listing(self):
        """Posts are recorded inside this block, and the CSV written before its end."""
        with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as self.rows:
            self.writer = csv.writer(self.rows)
            self.writer.writerow(CSV_COLUMNS)
            yield self

    def record(self, kind, wp_id, title, old_address, cleaning):
        self.players.update(cleaning.players)
        if not (cleaning.dropped or cleaning.missing):
            return
        self.posts[kind] += 1
        self.dropped.update(f"<{name}>" for name in cleaning.dropped)
        self.dropped.update(cleaning.missing.keys())
        self.writer.writerow([kind, wp_id, cell(title), cell(old_address), cleaning.lost()])

    def write_csv(self, path):
        """The list of posts that lost something, at ``path``; none is written if none did."""
        if not self.posts:
            return
        self.rows.seek(0)
        try:
            with open(path, "w", newline="", encoding="utf-8") as out:
                shutil.copyfileobj(self.rows, out)
        except OSError as error:
            self.unwritable = f"could not be written to {path}: {error.strerror}"
        else:
            self.written_to = path

    def lines(self):
        """The summary's lines about content (after the counts)."""
        if self.players:
            played = ", ".join(f"{n} {kind}" for kind, n in sorted(self.players.items()))
            yield f"  {'players:':<13} {played} kept as links to the file or the provider"
        if not self.posts:
            return
        posts = ", ".join(f"{n} {kind}" for kind, n in sorted(self.posts.items()))
        yield f"  {'cleaning:':<13} {posts} lost something the allow-list does not keep"
        for what, n in self.dropped.most_common():
            yield f"    {what} in {n}"
        if self.written_to:
            yield f"    list: {self.written_to}"
        elif self.unwritable:
            yield f"    the list {self.unwritable}"
