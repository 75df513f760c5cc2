"""The desk's live coverage: the entry list and form, a live story's tools in the story
admin (its entries, ending and reopening coverage), breaking an entry out into a story,
restoring an entry's versions, and the "Live now" panel. Through the admin's own views,
as each role uses them."""

from datetime import timedelta

import pytest
import reversion
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Credit, RelatedLink
from live.models import Entry
from newsdesk import live_actions
from tests.factories import make_article, make_person, make_section
from tests.live_entries import (
    ADD,
    CHANGELIST,
    change_url,
    entry_form,
    make_entry,
    make_live_story,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
COLUMNS = ["published_at", "summary", "story", "author_names", "status", "is_pinned"]


def story_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def break_out_url(entry):
    return reverse("admin:live_entry_break_out", args=[entry.pk])


# The entry list and form.


def test_the_list_shows_each_entrys_time_words_story_authors_and_flags(editor):
    story = make_live_story(headline="Election night")
    person = make_person(name="Maya Brooks")
    make_entry(story, authors=[person], is_pinned=True, body="<p>Turnout is " + "high " * 30)

    response = editor.get(CHANGELIST)

    assert response.status_code == 200
    for column in [*COLUMNS, "is_key_point"]:
        assert f"column-{column}" in response.text, column
    assert "Turnout is high high" in response.text and "high high high…" in response.text
    assert "Election night" in response.text and "Maya Brooks" in response.text


def list_queries(client, story):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{CHANGELIST}?story={story.pk}").status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_however_many_entries(editor):
    """Stories joined and authors prefetched once: no query per row."""
    story = make_live_story()
    make_entry(story, authors=[make_person()])
    few = list_queries(editor, story)
    for _ in range(10):
        make_entry(story, authors=[make_person(), make_person()])
    assert list_queries(editor, story) == few


def test_the_entry_form_has_the_stories_editor_with_photos_and_embeds(writer):
    page = writer.get(ADD)
    assert page.status_code == 200
    assert 'name="body"' in page.text and "data-rich-text" in page.text
    for script in ("quill.js", "editor.js", "body-photos.js", "body-embeds.js"):
        assert script in page.text, script
    assert reverse("admin:photos_photo_choose") in page.text


def test_an_entry_revision_holds_its_corrections(editor):
    entry = make_entry(make_live_story())
    entry.corrections.create(text="The count was 4,100, not 4,000.")

    with reversion.create_revision():
        entry.save()
    version = Version.objects.get_for_object(entry).get()
    held = [v.object_repr for v in version.revision.version_set.all()]
    assert any(r.startswith("Correction:") for r in held), held


# A live story in the story admin.


def test_a_live_storys_form_counts_its_entries_and_links_to_them(editor):
    story = make_live_story(live_entries_reviewed=True)
    make_entry(story)
    make_entry(story, status=Entry.Status.REVIEW)

    page = editor.get(story_url(story)).text

    assert "2 entries (1 waiting for an editor)" in page
    assert f"{ADD}?story={story.pk}" in page
    assert f"{CHANGELIST}?story={story.pk}" in page
    assert "End live coverage" in page


def test_a_plain_storys_form_has_no_live_tools(editor):
    page = editor.get(story_url(make_article())).text
    assert "Only a live story has entries" in page
    assert "End live coverage" not in page and "Post an entry" not in page


def test_an_editor_ends_and_reopens_coverage_each_a_revision(editor):
    story = make_live_story(headline="Storm live")

    response = editor.post(
        reverse("admin:articles_article_end_coverage", args=[story.pk]), follow=True
    )

    story.refresh_from_db()
    assert story.coverage_ended_at is not None and not story.is_live_open
    assert "Live coverage of “Storm live” ended" in response.text
    assert "Reopen coverage" in response.text
    assert Version.objects.get_for_object(story).first().revision.comment == "Ended live coverage."

    editor.post(reverse("admin:articles_article_reopen_coverage", args=[story.pk]))

    story.refresh_from_db()
    assert story.coverage_ended_at is None
    assert Version.objects.get_for_object(story).first().revision.comment == (
        "Reopened live coverage."
    )


def test_a_writer_cannot_end_coverage(writer):
    story = make_live_story(status=Article.Status.DRAFT, created_by=writer.user)
    assert "End live coverage" not in writer.get(story_url(story)).text

    url = reverse("admin:articles_article_end_coverage", args=[story.pk])
    assert writer.post(url).status_code == 403
    story.refresh_from_db()
    assert story.coverage_ended_at is None


def test_ending_coverage_is_a_post_of_a_story_that_exists(editor):
    url = reverse("admin:articles_article_end_coverage", args=[make_live_story().pk])
    assert editor.get(url).status_code == 405
    missing = reverse("admin:articles_article_end_coverage", args=[999999])
    assert editor.post(missing).status_code == 404


def test_the_bulk_action_ends_only_open_live_coverage(editor):
    live = make_live_story()
    ended = make_live_story(coverage_ended_at=timezone.now() - timedelta(minutes=5))
    plain = make_article()

    response = editor.post(
        reverse("admin:articles_article_changelist"),
        {"action": "end_live_coverage", "_selected_action": [live.pk, ended.pk, plain.pk]},
        follow=True,
    )

    assert "2 stories left as they were" in response.text
    live.refresh_from_db()
    plain.refresh_from_db()
    assert live.coverage_ended_at is not None and plain.coverage_ended_at is None


def test_coverage_of_a_story_scheduled_ahead_cannot_end_before_it_starts(editor):
    story = make_live_story(published_at=timezone.now() + timedelta(hours=2))

    response = editor.post(
        reverse("admin:articles_article_end_coverage", args=[story.pk]), follow=True
    )

    assert "Coverage cannot end before it starts" in response.text
    story.refresh_from_db()
    assert story.coverage_ended_at is None


# Breaking an entry out into a story.


def test_an_editor_breaks_an_entry_out_into_a_linked_draft(editor):
    section = make_section(name="Politics")
    live = make_live_story(headline="Election night", section=section, tags=["Elections", "Ohio"])
    # An entry's authors have no order of their own: the bylines follow their names.
    authors = [make_person(name="Leo Marsh"), make_person(name="Maya Brooks")]
    entry = make_entry(
        live,
        authors=authors[::-1],
        headline="Ohio recount ordered",
        body="<p>A judge ordered it.</p>",
    )

    response = editor.post(break_out_url(entry), follow=True)

    story = Article.objects.get(kind=Article.Kind.STORY)
    assert response.redirect_chain[-1][0] == story_url(story)
    assert "is now the draft story “Ohio recount ordered”" in response.text
    assert (story.headline, story.slug, story.status) == (
        "Ohio recount ordered",
        "ohio-recount-ordered",
        Article.Status.DRAFT,
    )
    assert story.body == entry.body and story.section == section
    assert sorted(story.tags.names()) == ["Elections", "Ohio"]
    assert story.created_by == editor.user
    assert [(c.person, c.role) for c in story.credits.all()] == [
        (authors[0], Credit.Role.BYLINE),
        (authors[1], Credit.Role.BYLINE),
    ]
    assert list(RelatedLink.objects.values_list("from_article", "to_article")) == [
        (story.pk, live.pk)
    ]
    entry.refresh_from_db()
    assert entry.broken_out_to == story
    revision = Version.objects.get_for_object(story).get().revision
    assert revision.user == editor.user
    # The story's revision alone: restoring the entry later never rewinds the story.
    assert not Version.objects.get_for_object(entry).exists()


def test_breaking_out_twice_goes_to_the_same_story(editor):
    entry = make_entry(make_live_story(), headline="Recount")
    editor.post(break_out_url(entry))

    response = editor.post(break_out_url(entry), follow=True)

    assert Article.objects.filter(kind=Article.Kind.STORY).count() == 1
    assert "already broken out" in response.text
    assert "Its story" in editor.get(change_url(entry)).text


def test_an_entry_without_headline_is_named_after_its_story_and_slugs_stay_unique(writer):
    live = make_live_story(headline="Storm live")
    make_article(slug="storm-live-the-levee-held")
    entry = make_entry(live, headline="", body="<p>The levee held overnight.</p>")

    assert writer.post(break_out_url(entry)).status_code == 302

    story = Article.objects.get(created_by=writer.user)
    assert story.headline == "Storm live: The levee held overnight."
    assert story.slug == "storm-live-the-levee-held-overnight"
    # The writer's own draft now: theirs to edit.
    assert 'name="headline"' in writer.get(story_url(story)).text


def test_breaking_out_is_all_or_nothing(editor, monkeypatch):
    entry = make_entry(make_live_story(), headline="Recount")

    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(live_actions.RelatedLink.objects, "create", fail)
    with pytest.raises(RuntimeError):
        live_actions.break_out(entry, editor.user)

    assert not Article.objects.filter(kind=Article.Kind.STORY).exists()
    entry.refresh_from_db()
    assert entry.broken_out_to is None


def test_the_break_out_action_takes_one_entry(editor):
    story = make_live_story()
    one, two = make_entry(story, headline="One"), make_entry(story, headline="Two")

    response = editor.post(
        CHANGELIST, {"action": "break_out_entry", "_selected_action": [one.pk, two.pk]}, follow=True
    )
    assert "Select one entry" in response.text
    assert not Article.objects.filter(kind=Article.Kind.STORY).exists()

    response = editor.post(CHANGELIST, {"action": "break_out_entry", "_selected_action": [one.pk]})
    assert response.status_code == 302
    assert Article.objects.get(kind=Article.Kind.STORY).headline == "One"


def test_break_out_is_a_post_and_an_unknown_entry_is_a_404(editor):
    entry = make_entry(make_live_story())
    assert editor.get(break_out_url(entry)).status_code == 405
    missing = reverse("admin:live_entry_break_out", args=[entry.pk + 1000])
    assert editor.post(missing).status_code == 404


# Restoring an entry: the editors'.


def revision_url(entry, version):
    return reverse("admin:live_entry_revision", args=[entry.pk, version.pk])


def test_a_writer_cannot_restore_a_version_or_recover_an_entry(writer, editor):
    entry = make_entry(make_live_story(), created_by=writer.user)
    data = entry_form(editor, change_url(entry))
    editor.post(change_url(entry), {**data, "is_pinned": "on"})
    data = entry_form(writer, change_url(entry))
    writer.post(change_url(entry), {**data, "headline": "Mine"})
    pinned = Version.objects.get_for_object(entry).last()

    assert writer.post(revision_url(entry, pinned), data).status_code == 403
    assert writer.get(reverse("admin:live_entry_recoverlist")).status_code == 403


def test_an_editor_restores_only_the_entrys_own_versions(editor):
    story = make_live_story()
    entry, other = make_entry(story), make_entry(story)
    for item in (entry, other):
        data = entry_form(editor, change_url(item))
        editor.post(change_url(item), {**data, "headline": f"Saved {item.pk}"})
    others = Version.objects.get_for_object(other).get()

    assert editor.get(revision_url(entry, others)).status_code == 404
    own = Version.objects.get_for_object(entry).get()
    assert editor.get(revision_url(entry, own)).status_code == 200


# The desk's "Live now" panel.


def test_live_now_lists_open_coverage_with_entry_counts(writer, clock):
    now = clock.freeze()
    story = make_live_story(headline="Election night")
    make_entry(story, published_at=now - timedelta(minutes=12))
    make_entry(story, published_at=now - timedelta(minutes=40))
    make_live_story(headline="Last week's storm", coverage_ended_at=now - timedelta(days=2))
    make_live_story(headline="Not yet live", status=Article.Status.DRAFT)

    page = writer.get(INDEX).text

    panel = page.split('id="desk-live"', 1)[1].split("</section>", 1)[0]
    assert "Live now" in panel and "Election night" in panel
    assert "2 entries · latest 12 min ago" in panel
    assert f"{ADD}?story={story.pk}" in panel and "Post an entry" in panel
    assert "storm" not in panel and "Not yet live" not in panel


def test_without_live_coverage_the_panel_says_so(editor):
    assert "No live coverage is open." in editor.get(INDEX).text
