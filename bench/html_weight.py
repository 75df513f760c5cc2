"""Where the bytes of the story page go, part by part, beside Wagtail's page of the same story.

    .venv/bin/python bench/html_weight.py

Builds bench/story_fixture.py's story (a lead photo, six tags, six related posts
with photos, twenty approved comments), serves it with newsroom's server (the
embedded default) and with the Wagtail 7.4 site of bench/wagtail_reference.py,
fetches both pages uncompressed, and counts every byte of each under the
innermost part it belongs to (``PARTS``, matched from the innermost element out):
what issue 16 asks the closing note to account for when our page is the heavier.

Not part of the test suite; about a minute (most of it installing and starting Wagtail).
"""

import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.request import Request, urlopen

import servers
import throughput
import wagtail_reference

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def part_of(tag, attributes, inside_head):
    """The part an element opens, or None (it belongs to its parent's)."""
    classes = (attributes.get("class") or "").split()
    name = attributes.get("property") or attributes.get("name") or ""
    if tag == "script" and attributes.get("type") == "application/ld+json":
        return "JSON-LD"
    if tag == "meta" and name.startswith(("og:", "twitter:", "article:")):
        return "OpenGraph, Twitter and article: tags"
    if inside_head:
        return None
    if tag == "form":
        return "the comment form"
    if tag == "section" and "comments" in classes:
        return "the comments"
    if tag == "aside" and "related" in classes:
        return "related posts (cards)"
    if tag == "picture" or (tag == "img" and attributes.get("srcset")):
        return "photos (picture, srcset)"
    if tag == "nav" and "tags" in classes:
        return "the story's tags"
    if tag == "article" and "story" in classes:
        return "the story: headline, byline, text"
    if tag == "header" and "masthead" in classes:
        return "masthead, search and sections"
    if tag == "footer" and "site-footer" in classes:
        return "footer"
    return None


class Weigher(HTMLParser):
    """Bytes per part: each stretch of the page goes to the innermost open part."""

    def __init__(self, page):
        super().__init__(convert_charrefs=False)
        self.page = page
        self.line_starts = [0]
        for line in page.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.stack = []  # (tag, part)
        self.weights = {}
        self.counted_to = 0
        self.in_head = False

    def position(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def count_to(self, end):
        part = next((p for _, p in reversed(self.stack) if p), "the rest: html, head, whitespace")
        stretch = self.page[self.counted_to : end].encode()
        self.weights[part] = self.weights.get(part, 0) + len(stretch)
        self.counted_to = max(self.counted_to, end)

    def tag_end(self, start):
        return self.page.index(">", start) + 1

    def handle_starttag(self, tag, attrs):
        start = self.position()
        self.count_to(start)
        if tag == "head":
            self.in_head = True
        self.stack.append((tag, part_of(tag, dict(attrs), self.in_head)))
        if tag in VOID:
            self.count_to(self.tag_end(start))
            self.stack.pop()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        start = self.position()
        if tag == "head":
            self.in_head = False
        if not any(open_tag == tag for open_tag, _ in self.stack):
            return
        self.count_to(self.tag_end(start))
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def close(self):
        super().close()
        self.count_to(len(self.page))
        return self.weights


def weigh(url):
    page = urlopen(Request(url, headers={"Accept-Encoding": "identity"}), timeout=30).read()
    weigher = Weigher(page.decode())
    weigher.feed(page.decode())
    weights = weigher.close()
    assert sum(weights.values()) == len(page)
    return len(page), weights


def main():
    with tempfile.TemporaryDirectory(prefix="newsroom-html-") as workdir:
        servers.collectstatic()
        export = throughput.export_story(workdir)
        env = throughput.newsroom_env(f"sqlite:///{workdir}/newsroom.sqlite3", None)
        story = throughput.build_story(env)
        with (
            wagtail_reference.serving(export, Path(workdir) / "wagtail") as wagtail,
            servers.newsroom(env) as site,
        ):
            ours_total, ours = weigh(site.url(story))
            theirs_total, theirs = weigh(wagtail.url(wagtail.story))
    print(f"{'part':42} {'newsroom':>9} {'Wagtail':>9} {'difference':>11}")
    for part in sorted(set(ours) | set(theirs), key=lambda p: -(ours.get(p, 0) - theirs.get(p, 0))):
        a, b = ours.get(part, 0), theirs.get(part, 0)
        print(f"{part:42} {a:9,} {b:9,} {a - b:+11,}")
    print(f"{'the page':42} {ours_total:9,} {theirs_total:9,} {ours_total - theirs_total:+11,}")


if __name__ == "__main__":
    main()
