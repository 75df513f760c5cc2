"""A story shown read-only in the admin reads as readers will read it, never as source."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_staff
from tests.html_safety import html_problems

pytestmark = pytest.mark.django_db

Status = Article.Status

BODY = (
    "<h2>What the council decided</h2>"
    "<p>The vote was <strong>seven to two</strong>, after a <em>long</em> night.</p>"
    "<blockquote><p>We listened.</p></blockquote>"
    "<ul><li>Bus lanes</li><li>Night buses</li></ul>"
)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def body_line(page):
    """The HTML of the read-only body line of a change page."""
    start = page.index('<div class="story-text">')
    return page[start : page.index("</div>", start)]


def test_a_writers_submitted_story_shows_its_body_rendered(writer):
    article = make_article(status=Status.REVIEW, created_by=writer.user, body=BODY)

    page = writer.get(change_url(article))

    assert page.status_code == 200
    assert 'name="body"' not in page.text  # still read-only
    # What readers get: the elements themselves, not their source.
    assert "&lt;p&gt;" not in page.text and "&lt;h2&gt;" not in page.text
    line = body_line(page.text)
    assert "<h2>What the council decided</h2>" in line
    assert "<strong>seven to two</strong>" in line
    assert "<blockquote><p>We listened.</p></blockquote>" in line
    assert "<li>Night buses</li>" in line
    assert 'href="/static/admin-editor/reading.css"' in page.text


def test_a_colleagues_story_and_a_published_one_read_the_same_way(writer):
    colleague = make_staff("Writers")
    drafts = make_article(status=Status.DRAFT, created_by=colleague, body=BODY)
    live = make_article(created_by=colleague, body=BODY)

    for article in (drafts, live):
        line = body_line(writer.get(change_url(article)).text)
        assert "<h2>What the council decided</h2>" in line


def test_summary_and_transcript_read_as_paragraphs(writer):
    article = make_article(
        status=Status.REVIEW,
        created_by=writer.user,
        dek="Seven to two.\n\nA long night & a short vote.",
        kind=Article.Kind.VIDEO,
        transcript="First speaker.\nSecond line.",
    )

    page = writer.get(change_url(article)).text

    assert (
        '<div class="story-text story-text-dek"><p>Seven to two.</p>\n\n'
        "<p>A long night &amp; a short vote.</p></div>"
    ) in page
    assert '<div class="story-text story-text-plain"><p>First speaker.<br>Second line.</p>' in page


def test_what_the_reader_page_would_not_allow_is_not_shown_either(writer):
    article = make_article(status=Status.REVIEW, created_by=writer.user)
    # Written past Article.save (a bulk update): the display cleans it again.
    hostile = '<p onclick="steal()">Hi</p><script>alert(1)</script><img src=x onerror=alert(2)>'
    Article.objects.filter(pk=article.pk).update(body=hostile, dek="<b>bold?</b>")

    page = writer.get(change_url(article)).text

    line = body_line(page)
    assert "<p>Hi</p>" in line
    assert "<script" not in line and "onclick" not in line and "onerror" not in line
    assert "&lt;b&gt;bold?&lt;/b&gt;" in page  # a summary is text
    assert html_problems(line + "</div>", fragment=True) == []


def test_an_empty_body_shows_the_empty_mark(writer):
    article = make_article(status=Status.REVIEW, created_by=writer.user, body="")

    page = writer.get(change_url(article)).text

    assert '<div class="story-text">' not in page
    assert "Body:" in page


def test_who_may_change_the_story_still_gets_the_form(editor, writer):
    article = make_article(status=Status.DRAFT, created_by=writer.user, body=BODY)

    for client in (editor, writer):
        page = client.get(change_url(article)).text
        assert 'name="body"' in page
        assert '<div class="story-text">' not in page


def test_a_view_only_staff_member_reads_the_story_rendered():
    from django.contrib.auth.models import Permission

    reader = make_staff("Moderators")
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(reader)
    article = make_article(body=BODY)

    page = client.get(change_url(article))

    assert page.status_code == 200
    assert "<h2>What the council decided</h2>" in body_line(page.text)
