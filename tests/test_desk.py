"""The desk: the admin's home page for newsroom staff, by role, and its sections.

Real stories at real times (the ``clock`` fixture stops the clock), read through the
admin's own index page as each role sees it.
"""

import html as html_text
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import Article, Correction
from comments.models import Comment
from newsdesk import times
from tests.factories import make_article, make_comment, make_person, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status
INDEX = reverse("admin:index")
QUEUE = reverse("admin:comments_comment_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def panel(html, key):
    """The text of one panel (``None`` when the page has no such panel), links kept
    as ``[label](url)`` so tests see where each item leads."""
    found = re.search(rf'<section[^>]*id="desk-{key}".*?</section>', html, re.S)
    if not found:
        return None
    text = re.sub(r'<a href="([^"]+)">([^<]+)</a>', r"[\2](\1)", found.group(0))
    return " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.fixture
def day(clock, editor):
    """A newsroom's day, seen at a stopped clock: one story or comment per panel, and
    one just outside each (too far ahead, someone else's)."""
    now = clock.freeze()
    wendy = make_staff("Writers", username="wendy2")
    reporter = make_person(name="Ana Ruiz")
    stories = {
        "draft": make_article(
            headline="Editor's own draft", status=Status.DRAFT, created_by=editor.user
        ),
        "other_draft": make_article(
            headline="Wendy's draft", status=Status.DRAFT, created_by=wendy
        ),
        "review": make_article(
            headline="Port strike ends", status=Status.REVIEW, created_by=wendy, bylines=[reporter]
        ),
        "soon": make_article(
            headline="Budget day", published_at=now + timedelta(hours=2, minutes=15)
        ),
        "later": make_article(headline="Next week's vote", published_at=now + timedelta(days=3)),
        "embargoed": make_article(
            headline="Trial verdict",
            status=Status.REVIEW,
            embargo_until=now + timedelta(hours=5),
        ),
        "live": make_article(headline="Harbour reopens", published_at=now - timedelta(hours=1)),
    }
    Correction.objects.create(
        article=stories["live"], text="An earlier version misspelled the port.", published_at=now
    )
    make_comment(
        stories["live"], status=Comment.Status.PENDING, created_at=now - timedelta(hours=3)
    )
    make_comment(
        stories["live"], status=Comment.Status.PENDING, created_at=now - timedelta(minutes=5)
    )
    make_comment(stories["live"])  # approved: not waiting
    return now, stories


def test_an_editor_sees_every_panel_with_its_stories_and_times(editor, day):
    now, stories = day
    html = editor.get(INDEX).text

    assert f"[Editor's own draft]({change_url(stories['draft'])})" in panel(html, "drafts")
    assert "Wendy's draft" not in panel(html, "drafts")
    review = panel(html, "review")
    assert review.startswith("In review: waiting for an editor")
    assert f"[Port strike ends]({change_url(stories['review'])}) Ana Ruiz" in review
    scheduled = panel(html, "scheduled")
    goes_live = stories["soon"].published_at
    assert f"[Budget day]({change_url(stories['soon'])})" in scheduled
    assert f"({times.zone_name(goes_live)}) · in 2 h 15 min" in scheduled
    assert "Next week's vote" not in scheduled  # beyond 48 hours
    assert "Trial verdict" in panel(html, "embargoes") and "in 5 h · In review" in panel(
        html, "embargoes"
    )
    published = panel(html, "published")
    assert "[Harbour reopens]" in published and "1 h ago" in published
    assert "Budget day" not in published  # scheduled is not published
    corrections = panel(html, "corrections")
    assert f"[Harbour reopens]({change_url(stories['live'])})" in corrections
    assert "Correction: An earlier version misspelled the port." in corrections
    comments = panel(html, "comments")
    assert f"[2 comments awaiting moderation]({QUEUE})" in comments
    assert "the oldest has waited 3 h" in comments


def test_a_writer_sees_their_own_drafts_and_submissions_only(writer, clock):
    clock.freeze()
    colleague = make_staff("Writers")
    make_article(headline="My draft", status=Status.DRAFT, created_by=writer.user)
    make_article(headline="My submission", status=Status.REVIEW, created_by=writer.user)
    make_article(headline="Their submission", status=Status.REVIEW, created_by=colleague)
    make_article(headline="Scheduled story", published_at=clock.now() + timedelta(hours=1))
    make_comment(make_article(), status=Comment.Status.PENDING)

    html = writer.get(INDEX).text

    assert "[My draft]" in panel(html, "drafts")
    review = panel(html, "review")
    assert review.startswith("My stories in review") and "[My submission]" in review
    assert "Their submission" not in html
    for editors_only in ("scheduled", "embargoes", "published", "corrections", "comments"):
        assert panel(html, editors_only) is None
    assert "Scheduled story" not in html


def test_a_moderator_sees_the_comments_only(moderator):
    make_article(headline="A draft", status=Status.DRAFT, created_by=moderator.user)
    make_comment(make_article(), status=Comment.Status.PENDING)

    html = moderator.get(INDEX).text

    assert f"[1 comment awaiting moderation]({QUEUE})" in panel(html, "comments")
    assert panel(html, "drafts") is None and panel(html, "review") is None
    assert "A draft" not in html


def test_empty_panels_say_so(editor):
    html = editor.get(INDEX).text
    assert "Nothing is scheduled for the next 48 hours." in panel(html, "scheduled")
    assert "No comments awaiting moderation." in panel(html, "comments")


def add_a_day_of_stories(editor_user, now, copies):
    writer = make_staff("Writers")
    person = make_person()
    for _ in range(copies):
        make_article(status=Status.DRAFT, created_by=editor_user)
        story = make_article(status=Status.REVIEW, created_by=writer, bylines=[person])
        make_article(published_at=now + timedelta(hours=3))
        make_article(status=Status.UNPUBLISHED, embargo_until=now + timedelta(hours=4))
        Correction.objects.create(article=make_article(), text="Fixed.")
        make_comment(story, status=Comment.Status.PENDING)


@pytest.mark.parametrize("copies", [1, 12])
def test_the_desk_costs_the_same_queries_however_many_stories(
    editor, clock, copies, django_assert_num_queries, settings
):
    now = clock.freeze()
    add_a_day_of_stories(editor.user, now, copies)
    # The session (read from the cache instead with Redis: cached_db), its user, the
    # user's own and their groups' permissions (3-4); then one query per panel: live now
    # (entry counts annotated), drafts, review (+ its bylines, prefetched once),
    # scheduled, embargoes, published, corrections (with their stories joined), comments
    # waiting (count and oldest in one aggregate) (9); and Django's "Recent actions" (1).
    session = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    with django_assert_num_queries(session + 13):
        response = editor.get(INDEX)
    assert response.status_code == 200
    assert panel(response.text, "review").count("Reporter") == min(copies, 5)


# The sections of the admin, by role.


def sections(client):
    """``{section: [model names]}`` as the home page lists them; the sidebar of every
    admin page lists the same (``available_apps``)."""
    response = client.get(INDEX)
    listed = {
        app["name"]: [m["name"] for m in app["models"]] for app in response.context["app_list"]
    }
    sidebar = {
        app["name"]: [m["name"] for m in app["models"]]
        for app in response.context["available_apps"]
    }
    assert sidebar == listed
    return listed


def test_a_writer_sees_their_stories_and_the_photo_library(writer):
    assert sections(writer) == {
        "Stories": ["Articles"],
        "Live coverage": ["Live entries"],
        "Photo library": ["Photos"],
    }
    html = writer.get(INDEX).text
    for technical in ("Groups", "Users", "Access attempts", "Imported objects", "Tags"):
        assert technical not in html


def test_a_moderator_sees_only_the_comments_section(moderator):
    assert list(sections(moderator)) == ["Comments"]


def test_an_editor_sees_the_newsroom_and_the_jobs_their_role_retries(editor):
    listed = sections(editor)
    assert list(listed) == [
        "Stories",
        "Live coverage",
        "Photo library",
        "Embeds",
        "Comments",
        "Tags",
        "Background jobs",
    ]
    assert listed["Stories"] == ["Articles", "People", "Sections"]
    assert "Site administration" not in listed


def test_a_superuser_gets_the_machinery_in_a_section_of_its_own(client):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(root)
    listed = sections(client)
    assert list(listed)[:6] == [
        "Stories",
        "Live coverage",
        "Photo library",
        "Embeds",
        "Comments",
        "Tags",
    ]
    assert list(listed)[-1] == "Site administration"
    machinery = listed["Site administration"]
    assert "Authentication and Authorization: Groups" in machinery
    assert "Authentication and Authorization: Users" in machinery
    assert any(name.startswith("WordPress") for name in machinery), machinery
    assert any(name.startswith("Axes") for name in machinery), machinery
    # An app's own page still lists it, as Django's does.
    assert client.get(reverse("admin:app_list", args=["auth"])).status_code == 200
