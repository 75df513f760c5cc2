"""The allow-list keeps what carries meaning (core.sanitize), and says what it drops."""

import pytest

from core.sanitize import clean_body, lost_in_cleaning


@pytest.mark.parametrize(
    "given, kept",
    [
        ('<p>Was <del datetime="2024-01-02">£3m</del> £4m</p>', '<del datetime="2024-01-02">'),
        ("<p><s>sold out</s></p>", "<s>sold out</s>"),
        ("<p><strike>wrong</strike></p>", "<s>wrong</s>"),
        ("<p><ins>added later</ins></p>", "<ins>added later</ins>"),
        ("<h5>Minor heading</h5>", "<h5>Minor heading</h5>"),
        ("<h6>Smallest heading</h6>", "<h6>Smallest heading</h6>"),
        ("<dl><dt>Term</dt><dd>Meaning</dd></dl>", "<dl><dt>Term</dt><dd>Meaning</dd></dl>"),
        ("<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd></p>", "<kbd>Ctrl</kbd>+<kbd>C</kbd>"),
        ("<p>Let <var>x</var> be</p>", "<var>x</var>"),
        ("<p><samp>Error 42</samp></p>", "<samp>Error 42</samp>"),
        ('<p><abbr title="World Health Organization">WHO</abbr></p>', '<abbr title="World'),
        ('<p><acronym title="NASA">NASA</acronym></p>', '<abbr title="NASA">NASA</abbr>'),
        ("<p><tt>monospace</tt></p>", "<code>monospace</code>"),
        ("<address>1 Quay Street</address>", "<address>1 Quay Street</address>"),
        (
            "<details open><summary>Methodology</summary>We asked 400.</details>",
            "<details open><summary>Methodology</summary>We asked 400.</details>",
        ),
        (
            "<table><tbody><tr><td>1</td></tr></tbody><tfoot><tr><td>Total</td></tr></tfoot></table>",
            "<tfoot><tr><td>Total</td></tr></tfoot>",
        ),
        ("<p>H<sub>2</sub>O and E=mc<sup>2</sup></p>", "H<sub>2</sub>O and E=mc<sup>2</sup>"),
    ],
)
def test_elements_that_carry_meaning_are_kept(given, kept):
    assert kept in clean_body(given)


def test_a_body_heading_one_ranks_below_the_headline():
    assert clean_body('<h1 class="title">Section</h1>') == "<h2>Section</h2>"


@pytest.mark.parametrize(
    "hostile",
    [
        '<details ontoggle="alert(1)" open><summary>x</summary></details>',
        '<del cite="javascript:alert(1)" onclick="alert(1)">x</del>',
        '<ins datetime="x" style="background:url(javascript:alert(1))">x</ins>',
        '<h1 onmouseover="alert(1)">x</h1>',
        '<acronym title="x" onclick="alert(1)">x</acronym>',
    ],
)
def test_the_new_elements_carry_no_scripts(hostile):
    cleaned = clean_body(hostile)
    assert "alert" not in cleaned
    assert "javascript" not in cleaned


def test_what_cleaning_drops_is_counted_but_not_wrappers_or_kept_elements():
    html = (
        '<div class="wp-block-group"><span style="color:red">Red</span></div>'
        "<form><input name=q><button>Go</button></form><script>x()</script>"
        "<h1>Kept</h1><strike>kept</strike><p>kept <font>text</font></p><svg><circle/></svg>"
    )
    assert lost_in_cleaning(html) == {
        "form": 1,
        "input": 1,
        "button": 1,
        "script": 1,
        "svg": 1,
        "circle": 1,
    }
    assert lost_in_cleaning(clean_body(html)) == {}
