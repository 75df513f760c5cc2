"""Autosave into a per-user draft buffer (newsdesk.autosave): never a revision, offered
back to its owner only when newer than the story's last save, cleared by a save."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from newsdesk.autosave import MAX_DRAFT_CHARACTERS, SAVED_COOKIE
from newsdesk.models import DraftBuffer
from tests.factories import browser_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def autosave_url(story=None):
    if story is None:
        return reverse("admin:articles_article_autosave_new")
    return reverse("admin:articles_article_autosave", args=[story.pk])


def autosave(client, story=None, raw=None, **fields):
    """What autosave.js posts: the form's values as {name: [values]}, in JSON."""
    if raw is None:
        raw = json.dumps({name: [value] for name, value in fields.items()})
    return client.post(autosave_url(story), {"fields": raw})


def offer(response):
    return response.context["desk_editing"]["offer"]


def test_a_buffer_is_kept_per_user_and_story_and_is_no_revision(editor):
    story = make_article(headline="Port strike")
    versions = Version.objects.count()

    assert autosave(editor, story, headline="Port strike, day two").status_code == 200
    assert autosave(editor, story, headline="Port strike, day three").status_code == 200
    assert autosave(editor, None, headline="A new story").status_code == 200
    assert autosave(editor, None, headline="A new story, retitled").status_code == 200

    buffers = DraftBuffer.objects.filter(user=editor.user)
    assert buffers.count() == 2  # one for the story, one for the story being written
    assert buffers.get(story=story).fields["headline"] == ["Port strike, day three"]
    assert buffers.get(story=None).fields["headline"] == ["A new story, retitled"]
    assert Version.objects.count() == versions  # the history is not flooded
    story.refresh_from_db()
    assert story.headline == "Port strike"


def test_the_restore_offer_is_shown_to_its_owner_only(editor, clock):
    story = make_article()
    moment = timezone.localtime(clock.freeze() + timedelta(minutes=5))
    clock(minutes=5)
    autosave(editor, story, headline="Rewritten", body="<p>New lead.</p>")

    mine = editor.get(change_url(story))
    assert offer(mine)["fields"]["body"] == ["<p>New lead.</p>"]
    label = f"{moment:%H:%M}"
    assert offer(mine)["label"] == label
    assert f"Restore your unsaved changes from <span data-restore-label>{label}</span>" in mine.text

    colleague = make_staff("Editors", username="maya")
    editor.force_login(colleague)
    theirs = editor.get(change_url(story))
    assert offer(theirs) is None
    assert "New lead." not in theirs.text


def test_no_offer_when_the_story_was_saved_after_the_buffer(editor, clock):
    story = make_article(headline="Before")
    clock.freeze()
    autosave(editor, story, headline="My unsaved idea")
    clock(minutes=1)
    Article.objects.get(pk=story.pk).save()  # a colleague's save since

    assert offer(editor.get(change_url(story))) is None
    # A draft of a new story has no save to be older than.
    autosave(editor, None, headline="A new one")
    assert offer(editor.get(ADD))["fields"]["headline"] == ["A new one"]


def test_saving_the_story_clears_its_buffer(editor):
    story = make_article(headline="Before")
    autosave(editor, story, headline="Typed")
    data = browser_form_data(editor.get(change_url(story)).text, "article_form")
    data["headline"] = "Saved"

    response = editor.post(change_url(story), data)

    assert response.status_code == 302
    assert not DraftBuffer.objects.filter(story=story).exists()
    # The page after the save tells autosave.js which copy of its own to drop.
    assert response.cookies[SAVED_COOKIE].value == f"newsdesk-draft:{editor.user.pk}:{story.pk}"


def test_adding_the_story_clears_the_new_story_buffer(editor):
    autosave(editor, None, headline="Harbour cranes")
    data = browser_form_data(editor.get(ADD).text, "article_form")
    data.update(headline="Harbour cranes", slug="harbour-cranes", status="draft")

    response = editor.post(ADD, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not DraftBuffer.objects.filter(user=editor.user).exists()
    assert response.cookies[SAVED_COOKIE].value == f"newsdesk-draft:{editor.user.pk}:new"


def test_a_refused_save_keeps_the_buffer(editor):
    story = make_article()
    autosave(editor, story, headline="Typed")
    data = browser_form_data(editor.get(change_url(story)).text, "article_form")
    data["headline"] = ""  # invalid: nothing saved

    assert editor.post(change_url(story), data).status_code == 200
    assert DraftBuffer.objects.filter(story=story).exists()


def test_a_writer_cannot_autosave_into_a_story_they_may_not_edit(writer, editor):
    theirs = make_article(status=Article.Status.DRAFT, created_by=editor.user)
    submitted = make_article(status=Article.Status.REVIEW, created_by=writer.user)
    own = make_article(status=Article.Status.DRAFT, created_by=writer.user)

    assert autosave(writer, theirs, headline="Mine now").status_code == 403
    assert autosave(writer, submitted, headline="Late fix").status_code == 403
    assert autosave(writer, own, headline="Fine").status_code == 200
    assert list(DraftBuffer.objects.values_list("story", flat=True)) == [own.pk]
    assert autosave(writer, Article(pk=987654), headline="Gone").status_code == 404


def test_only_those_who_write_stories_autosave_new_ones(moderator):
    response = autosave(moderator, None, headline="Not mine to write")
    assert response.status_code == 403
    assert not DraftBuffer.objects.exists()


def test_an_expired_session_is_sent_to_sign_in_and_nothing_is_kept(client):
    story = make_article()
    response = autosave(client, story, headline="Typed")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not DraftBuffer.objects.exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "not valid JSON"),
        ('["a", "list"]', "one object"),
        ('{"headline": "not a list"}', "must be a list of texts"),
        ('{"headline": [1, 2]}', "must be a list of texts"),
        ('{"headline": ["\\ud800"]}', "not text"),
        ("x" * (MAX_DRAFT_CHARACTERS + 1), "too large"),
    ],
)
def test_bad_drafts_get_a_400_with_a_message(editor, raw, message):
    story = make_article()
    response = autosave(editor, story, raw=raw)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not DraftBuffer.objects.exists()


def test_a_draft_without_fields_is_refused(editor):
    response = editor.post(autosave_url(make_article()), {})
    assert response.status_code == 400
    assert "“fields”" in response.json()["error"]


def test_control_characters_are_dropped_and_the_token_is_not_kept(editor):
    story = make_article()
    raw = json.dumps({"headline": ["Nul\x00 byte"], "csrfmiddlewaretoken": ["secret"]})
    assert autosave(editor, story, raw=raw).status_code == 200
    assert DraftBuffer.objects.get().fields == {"headline": ["Nul byte"]}


def test_autosave_takes_only_posts(editor):
    assert editor.get(autosave_url(make_article())).status_code == 405


def test_discard_deletes_the_buffer(editor):
    story = make_article()
    autosave(editor, story, headline="Typed")
    autosave(editor, None, headline="New")

    discard = reverse("admin:articles_article_autosave_discard", args=[story.pk])
    assert editor.post(discard).status_code == 200
    assert list(DraftBuffer.objects.values_list("story", flat=True)) == [None]
    assert editor.post(reverse("admin:articles_article_autosave_discard_new")).status_code == 200
    assert not DraftBuffer.objects.exists()
    assert offer(editor.get(change_url(story))) is None


def test_a_read_only_view_has_no_autosave(writer, editor):
    theirs = make_article(status=Article.Status.DRAFT, created_by=editor.user)
    response = writer.get(change_url(theirs))
    assert response.status_code == 200
    assert "desk_editing" not in response.context
    assert "desk-editing-config" not in response.text


def test_a_form_sent_back_with_errors_offers_nothing(editor):
    story = make_article()
    autosave(editor, story, headline="Typed")
    data = browser_form_data(editor.get(change_url(story)).text, "article_form")
    data["headline"] = ""

    response = editor.post(change_url(story), data)

    assert response.status_code == 200
    assert offer(response) is None
    assert response.context["desk_editing"]["offersRestore"] is False
