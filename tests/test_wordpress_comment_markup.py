"""Imported comments keep the HTML WordPress let commenters write, sanitized."""

from io import StringIO

import pytest
from django.core.management import call_command

from comments.models import Comment
from comments.rendering import render_body, render_markup

pytestmark = pytest.mark.django_db

COMMENTS = {
    1: '<a href="https://example.org/report?a=1&amp;b=2">the report</a> says <strong>no</strong>'
    "\n\n<blockquote>It was <del>Tuesday</del> Wednesday.</blockquote>",
    2: "Plain words, and https://example.org/plain linked.",
    3: '<script>steal()</script><img src=x onerror="alert(1)"><a href="javascript:alert(1)">'
    'click</a> <em>ok</em> <span style="x">kept text</span>',
}


def write_export(path, comments=COMMENTS):
    listed = "".join(
        f"<wp:comment><wp:comment_id>{n}</wp:comment_id>"
        f"<wp:comment_author>Reader {n}</wp:comment_author>"
        f"<wp:comment_author_email>r{n}@example.com</wp:comment_author_email>"
        "<wp:comment_date_gmt>2023-01-02 10:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[{text}]]></wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent>"
        "</wp:comment>"
        for n, text in comments.items()
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" ?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Old</title>'
        "<link>https://old.test</link><wp:wxr_version>1.2</wp:wxr_version>"
        "<wp:base_site_url>https://old.test</wp:base_site_url>"
        "<wp:base_blog_url>https://old.test</wp:base_blog_url>"
        "<item><title>Story</title><link>https://old.test/story/</link>"
        "<content:encoded><![CDATA[Text.]]></content:encoded><wp:post_id>10</wp:post_id>"
        "<wp:post_date_gmt>2023-01-01 12:00:00</wp:post_date_gmt>"
        "<wp:post_name>story</wp:post_name><wp:status>publish</wp:status>"
        f"<wp:post_type>post</wp:post_type><wp:comment_status>open</wp:comment_status>{listed}"
        "</item></channel></rss>"
    )
    return path


def imported(tmp_path):
    call_command("import_wordpress", str(write_export(tmp_path / "c.xml")), stdout=StringIO())
    return {c.author_name: c for c in Comment.objects.all()}


def test_a_linked_phrase_and_a_correction_stay_as_written(tmp_path):
    comment = imported(tmp_path)["Reader 1"]
    assert (
        '<a href="https://example.org/report?a=1&amp;b=2" rel="nofollow ugc noopener">'
        "the report</a> says <strong>no</strong>" in comment.body_html
    )
    assert "<blockquote>" in comment.body_html and "<del>Tuesday</del>" in comment.body_html
    # The plain text (search, duplicates, moderation) still reads as words.
    assert comment.body.startswith("the report (https://example.org/report?a=1&b=2) says no")


def test_a_plain_comment_is_shown_as_any_other(tmp_path):
    comment = imported(tmp_path)["Reader 2"]
    assert comment.body_markup == ""
    assert comment.body_html == render_body(comment.body)


def test_what_wordpress_would_not_allow_is_removed(tmp_path):
    html = imported(tmp_path)["Reader 3"].body_html
    assert "steal" not in html and "alert" not in html and "<img" not in html
    assert "<span" not in html and "kept text" in html and "<em>ok</em>" in html
    assert "click" in html and "javascript" not in html


def test_markup_survives_moderation_and_a_second_import_changes_nothing(tmp_path):
    comment = imported(tmp_path)["Reader 1"]
    comment.status = Comment.Status.PENDING
    comment.save()
    comment.refresh_from_db()
    assert "<strong>no</strong>" in comment.body_html
    out = StringIO()
    call_command("import_wordpress", str(tmp_path / "c.xml"), stdout=out)
    assert "comments:     3 unchanged" in out.getvalue()


def test_a_moderators_edit_of_the_text_replaces_the_imported_markup(tmp_path):
    comment = imported(tmp_path)["Reader 1"]
    comment = Comment.objects.get(pk=comment.pk)
    comment.body = "Edited by a moderator: the report says yes."
    comment.save()
    comment.refresh_from_db()
    assert comment.body_markup == ""
    assert (
        "Edited by a moderator" in comment.body_html
        and "<strong>no</strong>" not in comment.body_html
    )
    # Importing the same export again changes nothing here: the edit stands.
    out = StringIO()
    call_command("import_wordpress", str(tmp_path / "c.xml"), stdout=out)
    assert "comments:     3 unchanged" in out.getvalue()
    assert "Edited by a moderator" in Comment.objects.get(pk=comment.pk).body_html


def test_render_markup_alone_is_safe():
    html = render_markup('<p onclick="x()">Hi <a href="https://e.test" onclick="y()">e</a></p>')
    assert html == '<p>Hi <a href="https://e.test" rel="nofollow ugc noopener">e</a></p>'
