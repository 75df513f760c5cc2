"""Pingbacks and trackbacks: listed after a story's threads as "Mentions elsewhere", the
way WordPress's classic themes list them, never counted or answered as comments."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from comments import actions
from comments.models import Comment
from tests.factories import make_article, make_comment
from tests.test_queries import STORY_PAGE_READS, reads
from wordpress.models import ImportedObject

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "fixtures" / "wordpress" / "export.xml"
PINGBACK = Comment.Kind.PINGBACK
TRACKBACK = Comment.Kind.TRACKBACK


def mentions_of(html):
    """The mentions list of a story page, or None when it has none."""
    found = re.search(r'<section class="mentions".*?</section>', html, re.DOTALL)
    return found and found.group(0)


def make_ping(article, kind=PINGBACK, **fields):
    fields.setdefault("author_email", "")
    fields.setdefault("body", f"[…] {fields.get('author_name', 'a site')} linked here […]")
    return make_comment(article, kind=kind, **fields)


def test_imported_pingbacks_and_trackbacks_are_listed_with_links(client):
    call_command("import_wordpress", str(EXPORT), stdout=StringIO())
    story = ImportedObject.objects.get(kind="post", wp_id=10).content_object
    text = client.get(story.get_absolute_url()).text
    listed = mentions_of(text)
    assert '<h3 id="mentions-heading">Mentions elsewhere</h3>' in listed
    pingback = Comment.objects.get(
        pk=ImportedObject.objects.get(kind="comment", wp_id=107).object_id
    )
    assert (
        f'<li class="mention mention-pingback" id="comment-{pingback.pk}">'
        '<span class="mention-kind">Pingback:</span> '
        '<a href="https://another.example.org/harbour/" rel="external nofollow ugc">'
        "Another Blog » Harbour news</a> "
        '<time datetime="2023-11-06T08:00:00-05:00">November 6, 2023 at 8:00 a.m.</time></li>'
    ) in listed
    assert (
        '<span class="mention-kind">Trackback:</span> '
        '<a href="https://coast.example.com/2023/11/ports/" rel="external nofollow ugc">'
        "Coast Weekly</a>"
    ) in listed
    # In the order they came (newest last), after the threads, before the form.
    assert listed.index("Another Blog") < listed.index("Coast Weekly")
    assert text.index("Agreed, and thanks for the photos.") < text.index("Mentions elsewhere")
    assert text.index("Mentions elsewhere") < text.index('<form id="commentform"')
    # Their title and address only: not what the robot sent, and not counted.
    assert "PINGBACK-EXCERPT" not in text and "TRACKBACK-EXCERPT" not in text
    assert "4 Comments" in text and story.comment_count == 4


def test_a_story_without_mentions_has_no_list(client):
    story = make_article()
    make_comment(story)
    make_ping(story, author_name="Held", status=Comment.Status.PENDING)
    make_ping(story, author_name="Spam", kind=TRACKBACK, status=Comment.Status.SPAM)
    assert mentions_of(client.get(story.get_absolute_url()).text) is None


def test_hostile_titles_are_escaped_and_script_addresses_dropped(client):
    story = make_article()
    make_ping(story, author_name='<script>alert(1)</script>"', author_url="javascript:alert(1)")
    make_ping(story, kind=TRACKBACK, author_name="Feed", author_url=' JavaScript:alert(2)"')
    make_ping(story, author_name="Quoted", author_url='https://ok.example/"onmouseover="x')
    listed = mentions_of(client.get(story.get_absolute_url()).text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in listed
    assert "<script" not in listed and "javascript:" not in listed.lower()
    assert 'href="https://ok.example/&quot;onmouseover=&quot;x"' in listed
    # A title without a usable address is shown as text.
    assert '<span class="mention-kind">Trackback:</span> Feed <time' in listed


def test_mentions_are_not_comments_to_count_or_answer(client, on_commit):
    with on_commit():  # the story's count, redone after commit
        story = make_article()
        comment = make_comment(story, body="A reader's comment.")
        ping = make_ping(story, author_name="Another Blog", author_url="https://another.example/")
    story.refresh_from_db()
    assert story.comment_count == 1
    text = client.get(story.get_absolute_url()).text
    assert "1 Comment<" in text and "Another Blog" in mentions_of(text)
    assert f"?replytocom={comment.pk}#respond" in text
    assert "replytocom" not in mentions_of(text)
    # Asking to answer one gets the blank form, not a reply to it.
    answering = client.get(f"{story.get_absolute_url()}?replytocom={ping.pk}").text
    assert 'Leave a Reply<span class="reply-to-name"></span>' in answering


def test_the_story_page_reads_nothing_more_for_its_mentions(client):
    without = make_article()
    make_comment(without)
    assert reads(client, without.get_absolute_url()) == STORY_PAGE_READS
    with_them = make_article()
    make_comment(with_them)
    make_ping(with_them, author_name="Another Blog")
    make_ping(with_them, kind=TRACKBACK, author_name="Coast Weekly")
    # Read with the comments, in the same query.
    assert reads(client, with_them.get_absolute_url()) == STORY_PAGE_READS
    assert "Coast Weekly" in mentions_of(client.get(with_them.get_absolute_url()).text)


def test_unapproving_a_mention_takes_it_off_the_page(client, moderator, on_commit, clock):
    with on_commit():
        story = make_article()
        ping = make_ping(story, author_name="Another Blog")
    clock(seconds=5)  # past the doubt around a change: the page is cached and trusted
    url = story.get_absolute_url()
    assert "Another Blog" in mentions_of(client.get(url).text)
    assert "Another Blog" in mentions_of(client.get(url).text)  # from the page cache
    with on_commit():
        response = moderator.post(
            reverse("admin:comments_comment_moderate", args=[ping.pk]), {"verdict": "pending"}
        )
    assert response.status_code == 302
    assert mentions_of(client.get(url).text) is None
    with on_commit():
        actions.approve(ping)
    assert "Another Blog" in mentions_of(client.get(url).text)


def test_moderators_filter_by_kind_and_cannot_answer_a_mention(moderator):
    story = make_article(headline="Harbour story")
    make_comment(story, author_name="Maria Lopez", status=Comment.Status.PENDING)
    ping = make_ping(story, author_name="Another Blog", status=Comment.Status.PENDING)
    changelist = reverse("admin:comments_comment_changelist")
    page = moderator.get(changelist, {"kind__exact": "pingback"}).text
    assert "Another Blog" in page and "Maria Lopez" not in page
    assert '<span class="queue-badge">Pingback</span>' in page
    assert f'form="queue-reply-{ping.pk}"' not in page
    response = moderator.post(
        reverse("admin:comments_comment_reply", args=[ping.pk]), {"body": "Thanks!"}
    )
    assert response.status_code == 400
    assert "A pingback or trackback cannot be answered" in response.text
    assert Comment.objects.filter(parent=ping).count() == 0
    # Nor from the admin's page for staff comments.
    response = moderator.post(
        reverse("admin:comments_comment_add"),
        {"article": story.pk, "parent": ping.pk, "body": "Thanks!"},
    )
    assert response.status_code == 400
    assert "A pingback or trackback cannot be answered" in response.text
    assert Comment.objects.filter(parent=ping).count() == 0
