"""Word-level diffs of a story's texts, for the revision comparison.

Removed words are struck (<del>), inserted ones marked (<ins>), and everything
else reads as the newer text does. Every piece of text is escaped: a revision
holding "<script>" shows those characters, and a body is compared as the text
readers read, block by block (paragraphs, headings, list items), never as its
HTML source.

A body is diffed in two steps so a long one stays fast: first its blocks, then
the words inside the blocks that changed. Unchanged paragraphs are never fed to
the word matcher, and a one-word edit in a 10,000-word story compares one
paragraph's words.
"""

import difflib
import functools
import re
from collections import Counter
from html.parser import HTMLParser

from django.utils.html import format_html, format_html_join

# A word (with the apostrophes, hyphens and dots inside it) or a run of punctuation,
# and the whitespace after it: "fell." and "fell all night." share "fell" and ".".
TOKEN = re.compile(r"(\w+(?:['’.\-]\w+)*|[^\w\s]+)(\s*)")

# Elements whose text is one block of the diff, and the style it is shown in.
BLOCK_KINDS = {
    "p": "p",
    "h2": "h2",
    "h3": "h3",
    "h4": "h4",
    "li": "li",
    "blockquote": "quote",
    "pre": "pre",
    "figcaption": "caption",
    "caption": "caption",
    "th": "p",
    "td": "p",
}
# Elements that end the block before them without being one themselves.
BREAKS = {"ul", "ol", "figure", "table", "thead", "tbody", "tr", "hr"}
# Two blocks that share less than this part of their words are a block removed and
# another added, not one block edited: a word diff of them would be noise.
SAME_BLOCK = 0.5
# Changed blocks are paired by similarity (n × m comparisons) up to this many pairs;
# past it (a story rewritten from top to bottom), the n-th old block meets the n-th new.
MAX_ALIGNED_PAIRS = 2500


def diff_words(old, new):
    """``new`` as it reads, with the words ``old`` had instead struck and its own marked."""
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(
        a=[word for word, _ in old_tokens], b=[word for word, _ in new_tokens], autojunk=False
    )
    parts = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("{}", _joined(new_tokens[b1:b2])))
            continue
        if a2 > a1:
            parts.append(("<del>{}</del>", _joined(old_tokens[a1:a2])))
        if b2 > b1:
            parts.append(("<ins>{}</ins>", _joined(new_tokens[b1:b2])))
    return format_html_join("", "{}", ((format_html(tpl, text),) for tpl, text in parts))


def diff_body(old_html, new_html):
    """The newer body's text block by block, with the words and blocks changed since
    the older one marked; a note when only markup (formatting, links) changed."""
    old, new = blocks(old_html), blocks(new_html)
    shown = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            shown += [(kind, format_html("{}", text)) for kind, text in new[b1:b2]]
        else:
            shown += _changed_blocks(old[a1:a2], new[b1:b2])
    if old == new:
        shown.append(("note", "The text is the same: only its formatting or links changed."))
    rows = format_html_join("", '<p class="diff-block diff-{}">{}</p>', shown)
    return format_html('<div class="diff-text">{}</div>', rows)


def before_after(old, new):
    """A field that is not prose (an address, a status, the credits): both values whole."""
    return format_html(
        '<div class="diff-side">Before: {}</div><div class="diff-side">After: {}</div>',
        format_html("<del>{}</del>", old) if old else "(empty)",
        format_html("<ins>{}</ins>", new) if new else "(empty)",
    )


def blocks(html):
    """[(kind, text)] of a body's blocks, in order, as readers read them."""
    reader = _BlockReader()
    reader.feed(html or "")
    reader.close()
    reader.end_block()
    return reader.blocks


class _BlockReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.open, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_KINDS or tag in BREAKS:
            self.end_block()
            if tag in BLOCK_KINDS:
                self.open.append(tag)
            if tag == "figure" and dict(attrs).get("data-photo"):
                self.photo(dict(attrs))
        elif tag == "br":
            self.text.append("\n")
        elif tag == "img":
            # An image is part of the story: a new one or a new description shows.
            self.end_block()
            described = dict(attrs).get("alt") or dict(attrs).get("src") or ""
            self.blocks.append(("caption", f"[Image: {described}]"))

    def photo(self, found):
        """A library photo (articles.body_photos): which one, how wide, its own caption."""
        said = ", ".join(filter(None, [found.get("data-size"), found.get("data-caption")]))
        self.blocks.append(
            ("caption", f"[Photo {found['data-photo']}{': ' if said else ''}{said}]")
        )

    def handle_endtag(self, tag):
        if tag in BLOCK_KINDS or tag in BREAKS:
            self.end_block()
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data):
        self.text.append(re.sub(r"\s+", " ", data))  # HTML's whitespace: any run is one space

    def end_block(self):
        text = re.sub(r" *\n *", "\n", "".join(self.text)).strip()
        self.text = []
        if text:
            self.blocks.append((self.kind(), text))

    def kind(self):
        """A quote's paragraphs are the quote; otherwise the innermost block decides."""
        if "blockquote" in self.open:
            return "quote"
        return BLOCK_KINDS[self.open[-1]] if self.open else "p"


def _changed_blocks(old, new):
    """[(kind, diff HTML)] for a run of blocks that differ: an edited block word by
    word, a removed one struck whole, an added one marked whole."""
    shown = []
    for before, after in _aligned(old, new):
        if before and after:
            shown.append((after[0], diff_words(before[1], after[1])))
        elif before:
            shown.append((before[0], format_html("<del>{}</del>", before[1])))
        else:
            shown.append((after[0], format_html("<ins>{}</ins>", after[1])))
    return shown


def _aligned(old, new):
    """[(old block or None, new block or None)] in order: the pairing of edited blocks
    that keeps the most words in common (an LCS over blocks weighted by similarity)."""
    words = [Counter(w for w, _ in TOKEN.findall(text)) for _, text in old + new]
    old_words, new_words = words[: len(old)], words[len(old) :]

    @functools.cache
    def similar(i, j):
        shared = sum((old_words[i] & new_words[j]).values())
        total = old_words[i].total() + new_words[j].total()
        return 2 * shared / total if total else 1.0

    if len(old) * len(new) > MAX_ALIGNED_PAIRS:
        pairs = [(i, i) for i in range(min(len(old), len(new)))]
    else:
        pairs = _best_pairs(len(old), len(new), similar)
    aligned, i, j = [], 0, 0
    for pi, pj in pairs:
        if similar(pi, pj) < SAME_BLOCK:
            continue
        aligned += [(old[k], None) for k in range(i, pi)] + [(None, new[k]) for k in range(j, pj)]
        aligned.append((old[pi], new[pj]))
        i, j = pi + 1, pj + 1
    aligned += [(old[k], None) for k in range(i, len(old))] + [
        (None, new[k]) for k in range(j, len(new))
    ]
    return aligned


def _best_pairs(n, m, similar):
    """The in-order pairs (i, j) whose similarities add up to the most (dynamic programming)."""
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = similar(i, j)
            paired = best[i + 1][j + 1] + score if score >= SAME_BLOCK else 0.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], paired)
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        score = similar(i, j)
        if score >= SAME_BLOCK and best[i][j] == best[i + 1][j + 1] + score:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _joined(tokens):
    return "".join(word + space for word, space in tokens)
