"""The revision comparison: the body's text word by word, block by block, all escaped."""

import json
import re

import pytest
from django.urls import reverse
from reversion.models import Version

from newsdesk import text_diff
from tests.factories import browser_form_data, make_article
from tests.html_safety import html_problems, parse_html, text_of

pytestmark = pytest.mark.django_db

WORDS = (
    "the",
    "council",
    "met",
    "on",
    "tuesday",
    "and",
    "voted",
    "for",
    "bus",
    "lanes",
    "at",
    "night",
)


def long_paragraph(start, count=300):
    """``count`` words of council-report prose, numbered so each is findable."""
    return " ".join(f"{WORDS[i % len(WORDS)]}{start + i}" for i in range(count))


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def edit(client, article, **changes):
    data = browser_form_data(client.get(change_url(article)).text, "article_form")
    data.update(changes)
    assert client.post(change_url(article), data).status_code == 302


def compare_newest_two(client, article):
    new, old = Version.objects.get_for_object(article)[:2]
    url = reverse("admin:articles_article_compare", args=[article.pk])
    response = client.get(url, {"old": old.pk, "new": new.pk})
    assert response.status_code == 200
    return response


def marked(html):
    return re.findall(r"<(del|ins)>(.*?)</\1>", html, flags=re.S)


def diff_table(page):
    start = page.index('<table class="revision-diff">')
    return page[start : page.index("</table>", start) + len("</table>")]


def test_one_word_edited_in_a_long_paragraph_marks_only_that_word(editor):
    first, second = long_paragraph(0), long_paragraph(1000)
    body = f"<h2>The vote</h2><p>{first}</p><p>{second}</p>"
    article = make_article(body=body)
    edit(editor, article, dek="Opened.")
    edit(editor, article, body=body.replace("voted1006", "argued1006"))

    response = compare_newest_two(editor, article)

    assert marked(diff_table(response.text)) == [("del", "voted1006 "), ("ins", "argued1006 ")]
    # The text as it reads, in its blocks: the heading and both paragraphs, no source.
    assert '<p class="diff-block diff-h2">The vote</p>' in response.text
    assert f'<p class="diff-block diff-p">{first}</p>' in response.text
    assert "&lt;p&gt;" not in response.text and "&lt;h2&gt;" not in response.text
    assert 'href="/static/admin-editor/reading.css"' in response.text


def test_headline_and_summary_are_compared_word_by_word_other_fields_whole(editor):
    article = make_article(headline="Council backs bus lanes", slug="bus-lanes")
    edit(editor, article, dek="A close vote on Tuesday.")
    edit(
        editor,
        article,
        headline="Council rejects bus lanes",
        dek="A close vote on Tuesday night.",
        slug="bus-lanes-rejected",
    )

    changes = dict(compare_newest_two(editor, article).context["changes"])

    assert str(changes["Headline"]) == "Council <del>backs </del><ins>rejects </ins>bus lanes"
    assert str(changes["Summary"]) == "A close vote on Tuesday <ins>night</ins>."
    assert str(changes["Slug"]) == (
        '<div class="diff-side">Before: <del>bus-lanes</del></div>'
        '<div class="diff-side">After: <ins>bus-lanes-rejected</ins></div>'
    )


def test_a_paragraph_added_before_an_edited_one_is_marked_whole(editor):
    article = make_article(body="<p>Intro stays.</p><p>Buses run until midnight.</p>")
    edit(editor, article, dek="Opened.")
    edit(
        editor,
        article,
        body="<p>Intro stays.</p><p>A new paragraph.</p><p>Buses run until one.</p>",
    )

    diff = str(dict(compare_newest_two(editor, article).context["changes"])["Body"])

    assert '<p class="diff-block diff-p"><ins>A new paragraph.</ins></p>' in diff
    assert "Buses run until <del>midnight</del><ins>one</ins>." in diff
    assert '<p class="diff-block diff-p">Intro stays.</p>' in diff


def test_a_removed_list_item_is_struck_and_a_formatting_change_is_said():
    removed = text_diff.diff_body("<ul><li>Bus</li><li>Tram</li></ul>", "<ul><li>Bus</li></ul>")
    assert str(removed) == (
        '<div class="diff-text"><p class="diff-block diff-li">Bus</p>'
        '<p class="diff-block diff-li"><del>Tram</del></p></div>'
    )

    bolded = str(text_diff.diff_body("<p>Vote today</p>", "<p>Vote <strong>today</strong></p>"))
    assert "<del>" not in bolded and "<ins>" not in bolded
    assert "only its formatting or links changed" in bolded


def test_a_hostile_revision_is_shown_as_text(editor):
    article = make_article(headline="Calm", body="<p>Calm words.</p>")
    edit(editor, article, dek="Opened.")
    edit(
        editor,
        article,
        headline="<script>alert(1)</script>",
        dek='<img src=x onerror="alert(2)">',
        body="<p>Calm words &lt;script&gt;alert(3)&lt;/script&gt;</p>",
    )
    # And a revision holding a body that never passed the sanitizer (written into the
    # history by other means): the diff reads its text, so none of it becomes markup.
    newest = Version.objects.get_for_object(article).first()
    data = json.loads(newest.serialized_data)
    data[0]["fields"]["body"] += '<p onclick="alert(4)">Hi<script>alert(5)</script></p>'
    Version.objects.filter(pk=newest.pk).update(serialized_data=json.dumps(data))

    response = compare_newest_two(editor, article)

    table = diff_table(response.text)
    assert html_problems(table, fragment=True) == []
    assert "<script" not in table and "<img" not in table
    assert "onclick" not in table
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in table
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in table
    shown = text_of(parse_html(table))
    assert "Calm words <script>alert(3)</script>" in shown.replace("\n", "")
    assert "Hi" in shown and "alert(5)" in shown


def test_a_long_body_compares_only_the_changed_paragraph_word_by_word(monkeypatch):
    paragraphs = [long_paragraph(n * 25, 25) for n in range(400)]  # 10,000 words
    edited = list(paragraphs)
    assert edited[200].split()[11] == "night5011"
    edited[200] = edited[200].replace("night5011", "day5011")
    fed = []
    word_diff = text_diff.diff_words

    def counting(old, new):
        fed.append((old, new))
        return word_diff(old, new)

    monkeypatch.setattr(text_diff, "diff_words", counting)

    diff = str(
        text_diff.diff_body(*("".join(f"<p>{p}</p>" for p in b) for b in (paragraphs, edited)))
    )

    # The 399 unchanged paragraphs never reach the word matcher.
    assert fed == [(paragraphs[200], edited[200])]
    assert marked(diff) == [("del", "night5011 "), ("ins", "day5011 ")]
    assert diff.count('<p class="diff-block diff-p">') == 400


def test_a_rewritten_body_is_struck_and_marked_block_by_block(monkeypatch):
    before = [long_paragraph(n * 25, 25) for n in range(400)]
    after = [f"Entirely new paragraph {n} about something else." for n in range(400)]
    monkeypatch.setattr(text_diff, "diff_words", pytest.fail)  # no two blocks are alike

    diff = str(text_diff.diff_body(*("".join(f"<p>{p}</p>" for p in b) for b in (before, after))))

    # Each old paragraph struck whole, then each new one marked whole, in their order.
    assert marked(diff) == [("del", p) for p in before] + [("ins", p) for p in after]
