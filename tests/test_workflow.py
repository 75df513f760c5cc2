"""The workflow: scheduling by the clock, the embargo, and the reader-facing "Updated" stamp."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from newsdesk import workflow
from tests.factories import (
    browser_form_data,
    make_article,
    make_comment,
    make_section,
    make_staff,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def edit(client, article, **changes):
    data = browser_form_data(client.get(change_url(article)).text, "article_form")
    data.update(changes)
    return client.post(change_url(article), data)


def split(moment):
    """A datetime as the admin's split date and time inputs send it."""
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def travel_to(monkeypatch, moment):
    """Move the clock that published_q() reads, as the passing of time would."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_scheduled_story_appears_everywhere_when_its_time_comes(client, monkeypatch):
    section = make_section(name="Harbour")
    goes_live = timezone.now() + timedelta(hours=2)
    story = make_article(
        headline="Ferry timetable changes", section=section, published_at=goes_live
    )
    pages = ["/", section.get_absolute_url(), story.get_absolute_url()]

    travel_to(monkeypatch, goes_live - timedelta(minutes=1))
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "Ferry timetable changes" not in client.get("/").text
    assert "Ferry timetable changes" not in client.get(section.get_absolute_url()).text

    travel_to(monkeypatch, goes_live + timedelta(minutes=1))
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        assert "Ferry timetable changes" in response.text


def test_embargo_blocks_publishing_now_and_says_why(editor):
    lifts = timezone.now() + timedelta(days=1)
    story = make_article(status=Status.REVIEW, embargo_until=lifts)

    response = edit(editor, story, status=Status.PUBLISHED)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["status"]
    assert "Embargoed until" in errors[0]
    assert "clear the embargo" in errors[0]
    story.refresh_from_db()
    assert story.status == Status.REVIEW


def test_embargo_blocks_scheduling_before_it_lifts(editor):
    lifts = timezone.now() + timedelta(days=1)
    story = make_article(status=Status.REVIEW, embargo_until=lifts)
    date, time = split(lifts - timedelta(hours=1))

    response = edit(
        editor, story, status=Status.PUBLISHED, published_at_0=date, published_at_1=time
    )

    assert response.status_code == 200
    story.refresh_from_db()
    assert story.status == Status.REVIEW


def test_a_story_can_be_scheduled_for_when_the_embargo_lifts(editor):
    lifts = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    story = make_article(status=Status.REVIEW, embargo_until=lifts)
    date, time = split(lifts)

    response = edit(
        editor, story, status=Status.PUBLISHED, published_at_0=date, published_at_1=time
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_scheduled
    assert story.published_at == lifts
    page = editor.get(change_url(story))
    assert "Embargoed until" in page.text  # the admin still says why it waits


def test_the_publish_action_refuses_an_embargoed_story(editor):
    story = make_article(status=Status.REVIEW, embargo_until=timezone.now() + timedelta(days=1))

    response = editor.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [story.pk]},
        follow=True,
    )

    story.refresh_from_db()
    assert story.status == Status.REVIEW
    assert "Not published" in response.text
    assert "Embargoed until" in response.text


def test_the_database_refuses_going_live_before_the_embargo():
    story = make_article(status=Status.DRAFT, embargo_until=timezone.now() + timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=story.pk).update(
            status=Status.PUBLISHED, published_at=timezone.now()
        )


def test_a_lifted_embargo_no_longer_blocks(editor):
    story = make_article(status=Status.REVIEW, embargo_until=timezone.now() - timedelta(hours=1))
    assert edit(editor, story, status=Status.PUBLISHED).status_code == 302
    story.refresh_from_db()
    assert story.is_published


def test_editing_a_live_story_stamps_updated(editor):
    story = make_article(headline="Bridge closes")
    assert story.updated_at is None

    edit(editor, story, headline="Bridge closes for repairs")

    story.refresh_from_db()
    assert story.updated_at is not None
    assert "Updated" in editor.get(story.get_absolute_url()).text


def test_editing_a_draft_or_only_flags_does_not_stamp_updated(editor):
    draft = make_article(status=Status.DRAFT)
    live = make_article()

    edit(editor, draft, headline="Draft headline changed")
    edit(editor, live, comments_open="")  # a flag, not the story

    draft.refresh_from_db()
    live.refresh_from_db()
    assert (draft.updated_at, live.updated_at) == (None, None)


def test_new_comments_never_stamp_updated():
    story = make_article()
    with transaction.atomic():
        make_comment(story)
        make_comment(story, status=Comment.Status.PENDING)
    story.refresh_from_db()
    assert story.updated_at is None


def test_adding_a_correction_stamps_updated_and_shows_on_the_story(editor):
    story = make_article(headline="Mayor resigns")
    data = browser_form_data(editor.get(change_url(story)).text, "article_form")
    date, time = split(timezone.now() - timedelta(minutes=1))
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-published_at_0": date,
            "corrections-0-published_at_1": time,
            "corrections-0-text": "An earlier version misstated the mayor's age.",
        }
    )

    assert editor.post(change_url(story), data).status_code == 302

    story.refresh_from_db()
    assert story.updated_at is not None
    page = editor.get(story.get_absolute_url())
    assert "misstated the mayor&#x27;s age" in page.text


def test_workflow_rules_in_one_place():
    writer, editor = make_staff("Writers"), make_staff("Editors")
    own_draft = make_article(status=Status.DRAFT, created_by=writer)
    own_submitted = make_article(status=Status.REVIEW, created_by=writer)

    assert workflow.can_edit(writer, own_draft)
    assert not workflow.can_edit(writer, own_submitted)
    assert workflow.can_edit(editor, own_submitted)
    assert workflow.statuses_for(writer) == [Status.DRAFT, Status.REVIEW]
    assert set(workflow.statuses_for(editor)) == set(Status)
