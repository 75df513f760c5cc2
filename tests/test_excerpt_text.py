"""The text an excerpt is cut from (articles.excerpts.text_of) is what Django's
strip_tags() gives, for any body once sanitized, and for markup the quick reading
cannot take (it hands that to strip_tags)."""

import os

import pytest
from django.utils.html import strip_tags
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.excerpts import text_of
from core.sanitize import clean_body

PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<em>",
        "</em>",
        "<strong>",
        "</strong>",
        "<br>",
        "<br/>",
        "<a href='/x'>",
        '<a href="/y?a=1&amp;b=2" title="a > b">',
        "</a>",
        "<blockquote>",
        "</blockquote>",
        '<img src="/i.jpg" alt="a &quot;b&quot; > c">',
        "<ul><li>",
        "</li></ul>",
        "<h2>",
        "</h2>",
        "&amp;",
        "&lt;",
        "&gt;",
        "&#39;",
        "&#x27;",
        "&nbsp;",
        "AT&T",
        "a < b",
        "c > d",
        "<!-- x -->",
        "<script>if (a<b) {}</script>",
        "<style>p>a{}</style>",
        "<",
        ">",
        "&",
        '"',
        "'",
        "word",
        "two words",
        " ",
        "\n",
        "é ü",
        "<span class='c'>",
        "</span>",
        "<figure>",
    ]  # fmt: skip
)
MARKUP = st.lists(PIECES, max_size=40).map("".join)
EXAMPLES = settings(max_examples=400, deadline=None, derandomize=os.environ.get("CI") == "true")


@EXAMPLES
@given(MARKUP)
def test_a_sanitized_body_gives_strip_tags_text(markup):
    body = clean_body(markup)
    assert text_of(body) == strip_tags(body)


@EXAMPLES
@given(MARKUP)
def test_any_markup_gives_strip_tags_text(markup):
    assert text_of(markup) == strip_tags(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "<p>AT&T</p>",  # strip_tags adds the missing semicolon
        "<p>a <!-- note --> b</p>",
        "<script>x<y>z</script>",
        "<p>a < b</p>",
        '<p title=a"b>c</p>',
        '<img alt="x > y"><p>text</p>',
    ],
)
def test_what_only_the_parser_reads_is_read_by_it(markup):
    assert text_of(markup) == strip_tags(markup)
