"""WordPress content → our HTML: wpautop, shortcodes, blocks, then the sanitizer.

The wpautop cases are WordPress's own expectations, from its test suite
(tests/phpunit/tests/formatting/Autop.php), so the port is held to the original.
"""

from dataclasses import dataclass

import pytest

from wordpress.autop import wpautop
from wordpress.content import comment_text, render
from wordpress.shortcodes import Shortcodes, parse_attributes


@dataclass
class Picture:
    wp_id: int
    url: str
    alt_text: str = ""
    caption: str = ""
    mime_type: str = "image/jpeg"

    @property
    def is_image(self):
        return self.mime_type.startswith("image/")


class FakeMedia:
    def __init__(self, *pictures, parent_of=None):
        self.pictures = {p.wp_id: p for p in pictures}
        self.parent_of = parent_of or {}

    def by_ids(self, ids):
        return [self.pictures[i] for i in ids if i in self.pictures]

    def attached_to(self, post_id):
        return [p for i, p in self.pictures.items() if self.parent_of.get(i) == post_id]


NO_MEDIA = FakeMedia()


def convert(text, media=NO_MEDIA, blocks=None):
    return render(text, media=media, post_id=1, reusable_blocks=blocks or {})


FIRST_POST_IN = """
Welcome to WordPress!  This post contains important information.

First things first:
<ul>
<li><a href="/a" title="Subscribe">Subscribe to the WordPress mailing list</a></li>
</ul>
As a subscriber, you will receive an email every time an update is available.
When a new version is released, <a href="/b" title="Dashboard">log in</a> and follow.
Upgrading is a couple of clicks!

Thank you for selecting WordPress.
"""
FIRST_POST_OUT = """<p>Welcome to WordPress!  This post contains important information.</p>
<p>First things first:</p>
<ul>
<li><a href="/a" title="Subscribe">Subscribe to the WordPress mailing list</a></li>
</ul>
<p>As a subscriber, you will receive an email every time an update is available.<br />
When a new version is released, <a href="/b" title="Dashboard">log in</a> and follow.<br />
Upgrading is a couple of clicks!</p>
<p>Thank you for selecting WordPress.</p>
"""


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (FIRST_POST_IN, FIRST_POST_OUT.strip()),
        ("a<div>b</div>", "<p>a</p>\n<div>b</div>"),
        ("paragraph1<hr>paragraph2", "<p>paragraph1</p>\n<hr>\n<p>paragraph2</p>"),
        ("<blockquote>foo</blockquote>", "<blockquote><p>foo</p></blockquote>"),
        (
            "\nline 1<br>\nline 2<br/>\nline 3<br />\nline 4\nline 5\n",
            "<p>line 1<br />\nline 2<br />\nline 3<br />\nline 4<br />\nline 5</p>",
        ),
        ("\nline 1<br>\n<br/>\nline 2<br/>\n<br />\n", "<p>line 1</p>\n<p>line 2</p>"),
        (
            '<figure>\n<img src="example.jpg" />\n<figcaption>Caption</figcaption>\n</figure>',
            '<figure>\n<img src="example.jpg" /><figcaption>Caption</figcaption></figure>',
        ),
        (
            "Look at this code\n\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\n"
            "Actual Line 3</pre>\n\nCool, huh?",
            "<p>Look at this code</p>\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\n"
            "Actual Line 3</pre>\n<p>Cool, huh?</p>",
        ),
        (
            'Name: <input type="text" name="u" /><br />Password: <input type="password" />',
            '<p>Name: <input type="text" name="u" /><br />Password: <input type="password" /></p>',
        ),
        ("Hello <!-- a\nhref='world' -->", "<p>Hello <!-- a\nhref='world' --></p>"),
    ],
)
def test_wpautop_matches_wordpress(given, expected):
    assert wpautop(given).strip() == expected


def test_wpautop_keeps_block_elements_out_of_paragraphs():
    blocks = ["table", "div", "ul", "ol", "h2", "figure", "section", "pre"]
    content = [f"<{b}>foo</{b}>" for b in blocks]
    assert wpautop("".join(content)).strip() == "\n".join(content)


def test_wpautop_of_nothing_is_nothing():
    assert wpautop("  \n\n ") == ""


def test_shortcode_attributes_parse_like_wordpress():
    assert parse_attributes(' id="attachment_5" align=\'left\' width=300 "positional" bare') == {
        "id": "attachment_5",
        "align": "left",
        "width": "300",
        0: "positional",
        1: "bare",
    }


def test_caption_becomes_a_figure_with_its_caption():
    html = convert(
        '[caption id="attachment_7" align="alignleft" width="300"]<a href="https://x.test/big.jpg">'
        '<img src="https://x.test/small.jpg" alt="A boat" /></a> The <em>Mary</em> at sea[/caption]'
    )
    assert html == (
        '<figure><a href="https://x.test/big.jpg"><img src="https://x.test/small.jpg" alt="A boat">'
        "</a><figcaption>The <em>Mary</em> at sea</figcaption></figure>"
    )


def test_caption_attribute_and_missing_width_behave_as_in_wordpress():
    with_attribute = convert(
        '[caption width="200" caption="Said in the attribute"]<img src="https://x.test/a.jpg">'
        "[/caption]"
    )
    assert "<figcaption>Said in the attribute</figcaption>" in with_attribute
    # img_caption_shortcode(): no usable width, no figure, and only the picture is shown.
    assert convert('[caption]<img src="https://x.test/a.jpg"> Unseen[/caption]') == (
        '<p><img src="https://x.test/a.jpg"></p>'
    )


def test_escaped_shortcode_is_shown_as_text():
    assert convert('Write [[caption]] or [[gallery ids="1"]].') == (
        '<p>Write [caption] or [gallery ids="1"].</p>'
    )


def test_gallery_shows_the_named_pictures_in_order_with_captions():
    media = FakeMedia(
        Picture(1, "https://x.test/one.jpg", "First", "Caption & one"),
        Picture(2, "https://x.test/two.jpg", "Second"),
        Picture(3, "https://x.test/notes.pdf", mime_type="application/pdf"),
    )
    html = convert('[gallery ids="2,1,3"]', media)
    assert html.index("two.jpg") < html.index("one.jpg")
    assert '<img src="https://x.test/one.jpg" alt="First"><figcaption>Caption &amp; one' in html
    assert "notes.pdf" not in html


def test_gallery_without_ids_shows_the_posts_own_pictures():
    media = FakeMedia(
        Picture(5, "https://x.test/mine.jpg"),
        Picture(6, "https://x.test/other.jpg"),
        parent_of={5: 1, 6: 99},
    )
    html = convert("[gallery columns=2]", media)
    assert "mine.jpg" in html and "other.jpg" not in html


def test_embeds_and_media_shortcodes_become_links():
    html = convert(
        "[embed width=640]https://vimeo.com/1[/embed]\n\n"
        '[video width="640" mp4="https://x.test/clip.mp4"][/video]\n\n'
        '[audio src="https://x.test/talk.mp3"]\n\n'
        "[embed]javascript:alert(1)[/embed]"
    )
    assert '<a href="https://vimeo.com/1">https://vimeo.com/1</a>' in html
    assert '<a href="https://x.test/clip.mp4">' in html
    assert '<a href="https://x.test/talk.mp3">' in html
    assert "javascript" not in html


def test_bare_address_on_its_own_line_becomes_a_link_but_not_inside_a_sentence():
    html = convert("Watch:\n\nhttps://www.youtube.com/watch?v=abc&t=1\n\nSee https://x.test/ too.")
    assert (
        '<p><a href="https://www.youtube.com/watch?v=abc&amp;t=1">'
        "https://www.youtube.com/watch?v=abc&amp;t=1</a></p>"
    ) in html
    assert "<p>See https://x.test/ too.</p>" in html


def test_blocks_lose_their_delimiters_keep_their_html_and_get_no_autop():
    html = convert(
        "<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:quote {"className":"is-style-large"} -->\n<blockquote class="wp-block-quote">'
        "<p>Two\nlines</p></blockquote>\n<!-- /wp:quote -->\n\n"
        '<!-- wp:block {"ref":9} /-->\n\n'
        '<!-- wp:latest-posts {"postsToShow":3} /-->',
        blocks={9: "<!-- wp:paragraph --><p>Reused</p><!-- /wp:paragraph -->"},
    )
    assert "wp:" not in html and "<!--" not in html
    assert "<p>One</p>" in html and "<p>Reused</p>" in html
    # No wpautop on block content: the newline inside the quote stays a newline.
    assert "<p>Two\nlines</p>" in html and "<br>" not in html


def test_more_tag_is_removed_and_nextpage_splits_paragraphs():
    html = convert("Teaser.<!--more Read on-->\nRest.<!--nextpage-->Page two.")
    assert html == "<p>Teaser.<br>\nRest.</p>\n<p>Page two.</p>"


def test_hostile_markup_is_removed_whole():
    html = convert(
        '<script>document.write("stolen")</script><style>p{display:none}</style>'
        '<a href="javascript:alert(1)" onclick="steal()">Click</a> '
        '<img src="https://x.test/a.jpg" onerror="steal()">'
        '<iframe src="//www.youtube.com/embed/abc"></iframe>'
    )
    assert "stolen" not in html and "display:none" not in html
    assert "javascript" not in html and "onclick" not in html and "onerror" not in html
    assert '<a href="https://www.youtube.com/embed/abc">' in html


def test_comment_html_becomes_plain_text_keeping_link_addresses():
    text = comment_text(
        'I <em>love</em> <a href="https://x.test/h" rel="nofollow">this</a> &amp; it.<br />'
        'Bare <a href="https://x.test/">https://x.test/</a><p>New paragraph</p>'
        "<script>alert(1)</script>"
    )
    assert text == ("I love this (https://x.test/h) & it.\nBare https://x.test/\n\nNew paragraph")


def test_unknown_shortcodes_are_left_alone():
    assert Shortcodes(NO_MEDIA, 1).expand("[contact-form-7 id=3] [captioned]") == (
        "[contact-form-7 id=3] [captioned]"
    )


def test_an_ampersand_already_escaped_in_an_address_alone_is_escaped_once():
    html = convert(
        "Read it:\n\nhttps://example.org/?a=1&amp;b=2\n\n<p>https://example.org/?c=3&amp;d=4</p>"
    )
    assert '<a href="https://example.org/?a=1&amp;b=2">https://example.org/?a=1&amp;b=2</a>' in html
    assert '<a href="https://example.org/?c=3&amp;d=4">' in html
    assert "&amp;amp;" not in html


def test_embed_blocks_become_addresses_alone_that_the_import_takes_in_as_embeds():
    html = convert(
        '<!-- wp:core-embed/vimeo {"url":"https://vimeo.com/22439234","type":"video"} -->\n'
        '<figure class="wp-block-embed-vimeo"><div class="wp-block-embed__wrapper">\n'
        "https://vimeo.com/22439234\n</div><figcaption>The harbour &amp; its boats</figcaption>"
        "</figure>\n<!-- /wp:core-embed/vimeo -->\n"
        '<!-- wp:embed {"url":"javascript:alert(1)"} -->\n<figure>x</figure>\n<!-- /wp:embed -->'
    )
    assert html.startswith(
        '<p><a href="https://vimeo.com/22439234">https://vimeo.com/22439234</a></p>'
        "<p>The harbour &amp; its boats</p>"
    )
    assert "javascript" not in html
