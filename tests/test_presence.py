"""Presence (newsdesk.presence): who has a story open, in the form and the change list,
taking a story over; and the stale-save refusal, the backstop, side by side."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsdesk.models import EditingSession
from tests.factories import browser_form_data, make_article, make_person, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def heartbeat(client, story):
    return client.post(reverse("admin:articles_article_presence", args=[story.pk]))


def editor_named(name, username):
    """A logged-in editor whose linked person (their byline) is ``name``."""
    client = Client()
    client.user = make_staff("Editors", username=username)
    make_person(name=name, user=client.user)
    client.force_login(client.user)
    return client


@pytest.fixture
def maya(newsroom_roles):
    return editor_named("Maya Brooks", "mbrooks")


def hh_mm(moment):
    return f"{timezone.localtime(moment):%H:%M}"


def test_two_editors_on_one_story_each_see_the_other(editor, maya, clock):
    opened = clock.freeze()
    story = make_article()
    editor.user.first_name, editor.user.last_name = "Ed", "Itor"
    editor.user.save()

    assert maya.get(change_url(story)).status_code == 200  # opening is a heartbeat
    clock(seconds=30)
    second = editor.get(change_url(story))

    assert f"Maya Brooks is editing this story (since {hh_mm(opened)})" in second.text
    answer = heartbeat(maya, story).json()
    assert answer == {
        "others": [f"Ed Itor is editing this story (since {hh_mm(opened + timedelta(seconds=30))})"]
    }
    assert "is editing" not in maya.get(change_url(make_article())).text


def test_presence_expires_without_a_heartbeat(editor, maya, clock):
    clock.freeze()
    story = make_article()
    maya.get(change_url(story))

    clock(seconds=50)
    assert heartbeat(editor, story).json()["others"] != []
    clock(seconds=20)  # 70 s since Maya's last beat: she has left
    assert heartbeat(editor, story).json()["others"] == []

    # Back after the gap: a new session, since now.
    heartbeat(maya, story)
    session = EditingSession.objects.get(user=maya.user)
    assert session.since == session.last_seen == timezone.now()


def test_one_session_per_user_and_story(maya, clock):
    story = make_article()
    for _ in range(3):
        heartbeat(maya, story)
        clock(seconds=20)
    assert EditingSession.objects.filter(user=maya.user, story=story).count() == 1


def test_taking_over_tells_the_other_editor_once(editor, maya, clock):
    clock.freeze()
    story = make_article()
    editor.get(change_url(story))
    clock(seconds=40)
    take_over = reverse("admin:articles_article_take_over", args=[story.pk])

    assert maya.post(take_over).json() == {"others": []}

    answer = heartbeat(editor, story).json()
    assert answer["takenOver"] == (
        f"Maya Brooks took over editing at {hh_mm(timezone.now())}; your unsaved text is kept "
        "in your draft buffer."
    )
    assert answer["others"][0].startswith("Maya Brooks is editing this story")
    assert not EditingSession.objects.filter(user=editor.user).exists()
    assert heartbeat(maya, story).json() == {"others": []}
    # Reopening the form is a fresh start: both see each other again.
    assert "Maya Brooks is editing" in editor.get(change_url(story)).text


def test_presence_is_for_those_who_may_edit(writer, editor):
    theirs = make_article(status=Article.Status.DRAFT, created_by=editor.user)
    assert heartbeat(writer, theirs).status_code == 403
    take_over = reverse("admin:articles_article_take_over", args=[theirs.pk])
    assert writer.post(take_over).status_code == 403
    assert heartbeat(writer, Article(pk=987654)).status_code == 404
    assert writer.get(change_url(theirs)).status_code == 200  # read-only: not "editing"
    assert not EditingSession.objects.exists()
    assert (
        editor.get(reverse("admin:articles_article_presence", args=[theirs.pk])).status_code == 405
    )


def test_the_change_list_shows_who_is_editing_in_one_query(editor, clock):
    clock.freeze()
    stories = [make_article(headline=f"Story {n}") for n in range(4)]
    with CaptureQueriesContext(connection) as nobody:
        editor.get(CHANGELIST)
    for n, story in enumerate(stories[:3]):
        colleague = editor_named(f"Reporter Number {n}", f"reporter{n}")
        colleague.get(change_url(story))
    make_staff("Editors", username="plainuser")
    EditingSession.objects.create(
        user=make_staff("Editors", username="nameless"),
        story=stories[0],
        since=timezone.now(),
        last_seen=timezone.now(),
    )

    # The same queries whoever is editing: their names (with their persons) come in one.
    with CaptureQueriesContext(connection) as three_editing:
        response = editor.get(CHANGELIST)

    assert len(three_editing.captured_queries) == len(nobody.captured_queries)
    presence = [q for q in three_editing.captured_queries if "editingsession" in q["sql"]]
    assert len(presence) == 1  # the page's sessions, with their users and persons joined
    since = hh_mm(timezone.now())
    assert f"Reporter Number 0 (since {since}); nameless (since {since})" in response.text
    assert f"Reporter Number 2 (since {since})" in response.text
    rows = {a.headline: a.editing_sessions_now for a in response.context["cl"].result_list}
    assert rows["Story 3"] == []
    # Gone a minute later.
    clock(minutes=2)
    later = editor.get(CHANGELIST)
    assert all(a.editing_sessions_now == [] for a in later.context["cl"].result_list)
    assert "(since " not in later.text


def test_a_stale_save_shows_both_versions_side_by_side(editor, maya):
    story = make_article(headline="Shared story", body="<p>Original text.</p>")
    stale = browser_form_data(editor.get(change_url(story)).text, "article_form")
    data = browser_form_data(maya.get(change_url(story)).text, "article_form")
    data.update(headline="Maya's headline", body="<p>Maya <strong>rewrote</strong> it.</p>")
    assert maya.post(change_url(story), data).status_code == 302

    stale.update(headline="Ed's headline", body='<p>Ed\'s text.</p><script>alert("x")</script>')
    response = editor.post(change_url(story), stale)

    assert response.status_code == 200
    assert "your changes were not saved" in response.text
    saved, refused = response.text.split('class="stale-version"')[1:3]
    assert "Maya&#x27;s headline" in saved
    assert "<p>Maya <strong>rewrote</strong> it.</p>" in saved  # rendered as readers see it
    assert "Ed&#x27;s headline" in refused
    assert "<p>Ed's text.</p>" in refused
    assert "<script>" not in refused  # cleaned, as a save would have
    # A read-only copy of the refused body to copy from, and the text still in the form.
    assert "&lt;p&gt;Ed&#x27;s text.&lt;/p&gt;&lt;script&gt;" in refused
    assert response.context["adminform"].form["headline"].value() == "Ed's headline"
    story.refresh_from_db()
    assert story.headline == "Maya's headline"


def test_no_comparison_on_an_ordinary_error(editor):
    story = make_article()
    data = browser_form_data(editor.get(change_url(story)).text, "article_form")
    data["headline"] = ""
    response = editor.post(change_url(story), data)
    assert response.status_code == 200
    assert "stale-versions" not in response.text
