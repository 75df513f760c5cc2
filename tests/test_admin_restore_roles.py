"""Restoring and recovering stories, by role: every door that writes asks the workflow
about the story as it is stored now, never about the copy being put back.

The story of issue 13: a writer submits a draft, an editor publishes it, and the
writer opens their own first revision from "History" (``.../history/<version>/``).
"""

from datetime import timedelta

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Credit
from tests.factories import browser_form_data, make_article, make_person, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def revision_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def edit(client, article, **changes):
    page = client.get(change_url(article))
    assert page.status_code == 200
    data = browser_form_data(page.text, "article_form")
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return data


@pytest.fixture
def writer():
    return make_staff("Writers")


@pytest.fixture
def editor():
    return make_staff("Editors")


@pytest.fixture
def published(writer, editor):
    """The writer's story, submitted and then published by an editor, all in the admin.
    Returns the story, the writer's first revision and what the writer's form posted."""
    as_writer = logged_in(writer)
    add = browser_form_data(
        as_writer.get(reverse("admin:articles_article_add")).text, "article_form"
    )
    add.update(headline="First draft", slug="port-story", body="<p>Draft words.</p>")
    assert as_writer.post(reverse("admin:articles_article_add"), add).status_code == 302
    story = Article.objects.get(slug="port-story")
    draft_data = edit(as_writer, story, status=Status.REVIEW)
    edit(logged_in(editor), story, headline="Port reopens", status=Status.PUBLISHED)
    story.refresh_from_db()
    assert story.is_published
    first = Version.objects.get_for_object(story).last()
    assert first.field_dict["headline"] == "First draft"
    return story, first, draft_data


def assert_still_live(story):
    before = (story.headline, story.status, story.published_at, story.body)
    story.refresh_from_db()
    assert (story.headline, story.status, story.published_at, story.body) == before
    assert story.is_published


# The writer's doors.


def test_a_writer_can_neither_open_nor_post_an_old_revision_of_a_published_story(writer, published):
    story, first, draft_data = published
    client = logged_in(writer)

    assert client.get(revision_url(story, first)).status_code == 403
    response = client.post(revision_url(story, first), {**draft_data, "status": Status.DRAFT})

    assert response.status_code == 403
    assert_still_live(story)
    assert Version.objects.get_for_object(story).count() == 3  # no revision was added


def test_the_history_and_compare_pages_offer_a_writer_no_restore(writer, published):
    story, first, _ = published
    client = logged_in(writer)
    newest = Version.objects.get_for_object(story).first()

    history = client.get(reverse("admin:articles_article_history", args=[story.pk]))
    compare = client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"old": first.pk, "new": newest.pk},
    )

    assert history.status_code == compare.status_code == 200  # reading the history is fine
    assert "/history/" + str(first.pk) not in history.text
    assert "Restore the older revision" not in compare.text
    assert "<del>First draft</del>" in compare.text


def test_another_storys_revision_cannot_be_restored_through_ones_own(writer, published):
    """django-reversion finds the version by id and object id alone, of any model: the
    published story's revision also keeps a credit whose id is the writer's draft's."""
    story, _, draft_data = published
    own_draft = make_article(status=Status.DRAFT, created_by=writer, headline="Mine")
    with reversion.create_revision():
        Credit.objects.create(pk=own_draft.pk, article=story, person=make_person())
        Article.objects.get(pk=story.pk).save()
    credit_version = Version.objects.get_for_object_reference(Credit, own_draft.pk).get()
    edit(logged_in(make_staff("Editors")), story, headline="Port reopens at dawn")
    story.refresh_from_db()
    client = logged_in(writer)

    assert client.get(revision_url(own_draft, credit_version)).status_code == 404
    response = client.post(revision_url(own_draft, credit_version), draft_data)

    assert response.status_code == 404
    assert_still_live(story)
    assert story.headline == "Port reopens at dawn"


def test_a_revision_holding_a_published_story_is_refused_to_a_writer(writer, published):
    story, _, _ = published
    own_draft = make_article(status=Status.DRAFT, created_by=writer, headline="Mine")
    # One revision holding both stories, as the admin's bulk actions once made.
    with reversion.create_revision():
        own_draft.save()
        Article.objects.get(pk=story.pk).save()
    version = Version.objects.get_for_object(own_draft).first()

    client = logged_in(writer)
    assert client.get(revision_url(own_draft, version)).status_code == 403
    assert client.post(revision_url(own_draft, version), {"headline": "x"}).status_code == 403


def test_a_writer_restores_their_own_draft(writer):
    client = logged_in(writer)
    draft = make_article(status=Status.DRAFT, created_by=writer, headline="Take one")
    edit(client, draft, headline="Take one")
    edit(client, draft, headline="Take two")
    first = Version.objects.get_for_object(draft).last()

    form = client.get(revision_url(draft, first))
    assert form.status_code == 200
    response = client.post(revision_url(draft, first), browser_form_data(form.text, "article_form"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.headline, draft.status) == ("Take one", Status.DRAFT)


def test_a_writer_cannot_restore_what_only_an_editor_set(writer, editor):
    """An editor embargoed the writer's draft; the revision before it had no embargo.
    Restoring it would lift the embargo, which the writer's form cannot change."""
    client = logged_in(writer)
    draft = make_article(status=Status.DRAFT, created_by=writer, headline="Embargo me")
    edit(client, draft, headline="Embargo me")
    before_embargo = Version.objects.get_for_object(draft).first()
    lifts = timezone.localtime() + timedelta(days=2)
    edit(
        logged_in(editor),
        draft,
        embargo_until_0=lifts.strftime("%Y-%m-%d"),
        embargo_until_1="09:00:00",
    )
    draft.refresh_from_db()
    assert draft.embargo_until is not None

    assert client.get(revision_url(draft, before_embargo)).status_code == 403
    assert client.post(revision_url(draft, before_embargo), {"headline": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.embargo_until is not None
    # An editor may.
    as_editor = logged_in(editor)
    form = as_editor.get(revision_url(draft, before_embargo))
    assert form.status_code == 200
    data = browser_form_data(form.text, "article_form")
    assert as_editor.post(revision_url(draft, before_embargo), data).status_code == 302
    draft.refresh_from_db()
    assert draft.embargo_until is None


def test_a_writer_cannot_list_or_recover_deleted_stories(writer, editor, published):
    story, _, draft_data = published
    logged_in(editor).post(
        reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"}
    )
    assert not Article.objects.filter(pk=story.pk).exists()
    [deleted] = Version.objects.get_deleted(Article)
    client = logged_in(writer)
    recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])

    changelist = client.get(reverse("admin:articles_article_changelist"))
    assert "Recover deleted" not in changelist.text
    assert client.get(reverse("admin:articles_article_recoverlist")).status_code == 403
    assert client.get(recover_url).status_code == 403
    assert client.post(recover_url, draft_data).status_code == 403
    # Nor through the deleted story's history: reverting would create it again.
    first = Version.objects.get_for_object_reference(Article, story.pk).last()
    assert client.get(revision_url(story, first)).status_code == 404
    assert client.post(revision_url(story, first), draft_data).status_code == 404

    assert not Article.objects.filter(pk=story.pk).exists()


def test_bulk_actions_leave_a_writers_published_story_alone(writer, published):
    story, _, _ = published
    client = logged_in(writer)
    changelist = reverse("admin:articles_article_changelist")

    for action in ("submit_for_review", "unpublish", "publish", "delete_selected"):
        client.post(changelist, {"action": action, "_selected_action": [story.pk], "post": "yes"})

    assert_still_live(story)


# Editors keep every door.


def test_an_editor_restores_an_old_revision_of_a_published_story(editor, published):
    story, first, _ = published
    client = logged_in(editor)
    newest = Version.objects.get_for_object(story).first()
    compare = client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"old": first.pk, "new": newest.pk},
    )
    assert "Restore the older revision" in compare.text

    form = client.get(revision_url(story, first))
    assert form.status_code == 200
    response = client.post(revision_url(story, first), browser_form_data(form.text, "article_form"))

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "First draft"


def test_an_editor_lists_and_recovers_a_deleted_story(editor, published):
    story, _, _ = published
    client = logged_in(editor)
    client.post(reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"})
    [deleted] = Version.objects.get_deleted(Article)
    recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])

    assert (
        "Recover deleted stories" in client.get(reverse("admin:articles_article_changelist")).text
    )
    listing = client.get(reverse("admin:articles_article_recoverlist"))
    assert listing.status_code == 200
    assert recover_url in listing.text
    form = client.get(recover_url)
    assert form.status_code == 200
    response = client.post(recover_url, browser_form_data(form.text, "article_form"))

    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).headline == "Port reopens"


def test_recover_takes_only_a_deleted_storys_latest_version(editor, published):
    """django-reversion's recover view would revert any version: of a story that is
    still there (a restore past the history's checks) or of another kind of object."""
    story, first, _ = published
    client = logged_in(editor)

    recover_url = reverse("admin:articles_article_recover", args=[first.pk])
    assert client.get(recover_url).status_code == 404
    assert client.post(recover_url, {"headline": "x"}).status_code == 404
    assert_still_live(story)
