"""Who may do what to live entries: writers and editors through the admin's own views
(newsdesk.live_workflow decides; the forms and saves enforce it)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from live.models import Entry
from tests.factories import make_article, make_person, make_staff
from tests.live_entries import (
    ADD,
    CHANGELIST,
    change_url,
    entry_form,
    make_entry,
    make_live_story,
    post_entry,
)

pytestmark = pytest.mark.django_db

Status = Entry.Status


def delete_url(entry):
    return change_url(entry).replace("/change/", "/delete/")


# Writing.


def test_a_writers_entry_is_published_at_once_with_their_byline(writer):
    person = make_person(name="Ana Ruiz", user=writer.user)
    story = make_live_story()

    response = post_entry(writer, story)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = Entry.objects.get()
    assert (entry.story, entry.status, entry.created_by) == (story, Status.PUBLISHED, writer.user)
    assert list(entry.authors.all()) == [person]
    assert Entry.objects.published().filter(pk=entry.pk).exists()


def test_the_add_form_preselects_the_story_and_the_writers_person(writer):
    person = make_person(user=writer.user)
    story = make_live_story()

    data = entry_form(writer, f"{ADD}?story={story.pk}")

    assert data["story"] == str(story.pk)
    assert data["authors"] == str(person.pk)


def test_without_a_linked_person_the_authors_start_empty(writer):
    make_person()  # someone else's
    data = entry_form(writer, f"{ADD}?story={make_live_story().pk}")
    assert "authors" not in data


def test_a_bad_story_in_the_address_is_just_not_preselected(writer):
    response = writer.get(f"{ADD}?story=not-a-number")
    assert response.status_code == 200


def test_on_a_reviewed_story_a_writers_entry_waits_for_an_editor(writer):
    story = make_live_story(live_entries_reviewed=True)

    response = post_entry(writer, story, follow=True, status=Status.PUBLISHED)

    entry = Entry.objects.get()
    assert entry.status == Status.REVIEW
    assert "waits for an editor" in response.text
    assert not Entry.objects.published().exists()


def test_an_editors_entry_on_a_reviewed_story_is_published(editor):
    story = make_live_story(live_entries_reviewed=True)

    assert post_entry(editor, story).status_code == 302

    assert Entry.objects.get().status == Status.PUBLISHED


def test_an_editor_may_save_an_entry_as_a_draft(editor):
    assert post_entry(editor, make_live_story(), status=Status.DRAFT).status_code == 302
    assert Entry.objects.get().status == Status.DRAFT


def test_no_entry_on_a_story_that_is_not_live(editor):
    story = make_article(headline="Budget passes")
    data = entry_form(editor, ADD)
    data.update(story=str(story.pk), body="<p>Passed.</p>")

    response = editor.post(ADD, data)

    assert response.status_code == 200
    assert "story" in response.context["adminform"].form.errors
    assert not Entry.objects.exists()


def test_no_entry_once_coverage_ended(writer):
    story = make_live_story(headline="Storm live", coverage_ended_at=timezone.now())
    data = entry_form(writer, f"{ADD}?story={story.pk}")
    data.update(story=str(story.pk), body="<p>Late word.</p>")

    response = writer.post(ADD, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["story"]
    assert "Coverage of “Storm live” ended" in errors[0]
    assert "reopen" in errors[0]
    assert not Entry.objects.exists()


def test_an_entry_says_something(editor):
    response = post_entry(editor, make_live_story(), body="", headline="")
    assert response.status_code == 200
    assert "Write the entry" in response.text
    assert not Entry.objects.exists()


def test_each_save_is_a_revision_with_its_user(editor):
    post_entry(editor, make_live_story())
    entry = Entry.objects.get()
    data = entry_form(editor, change_url(entry))
    data.update(headline="Polls close")
    editor.post(change_url(entry), data)

    versions = Version.objects.get_for_object(entry)
    assert versions.count() == 2
    assert {v.revision.user for v in versions} == {editor.user}
    assert versions.first().field_dict["headline"] == "Polls close"


# Pinning: the editors' choice.


def test_a_writer_cannot_pin_by_posting_the_box(writer):
    story = make_live_story()
    page = writer.get(f"{ADD}?story={story.pk}")
    assert 'name="is_pinned"' not in page.text
    assert 'name="status"' not in page.text
    assert "Published when you save it; on a story whose writers" in page.text

    post_entry(writer, story, is_pinned="on", is_key_point="on")

    entry = Entry.objects.get()
    assert (entry.is_pinned, entry.is_key_point) == (False, True)


def test_a_writers_edit_keeps_the_editors_pin(writer):
    entry = make_entry(make_live_story(), created_by=writer.user, is_pinned=True)
    data = entry_form(writer, change_url(entry))
    data.pop("is_pinned", None)

    assert writer.post(change_url(entry), {**data, "headline": "New"}).status_code == 302

    entry.refresh_from_db()
    assert (entry.headline, entry.is_pinned) == ("New", True)


def test_an_editor_pins_in_the_form(editor):
    post_entry(editor, make_live_story(), is_pinned="on")
    assert Entry.objects.get().is_pinned


# Editing and deleting.


def test_a_writer_edits_their_own_entry(writer):
    entry = make_entry(make_live_story(), created_by=writer.user)
    data = entry_form(writer, change_url(entry))

    assert writer.post(change_url(entry), {**data, "headline": "Recount"}).status_code == 302

    entry.refresh_from_db()
    assert entry.headline == "Recount"


def test_a_writer_cannot_edit_or_delete_someone_elses_entry(writer):
    entry = make_entry(make_live_story(), headline="Theirs", created_by=make_staff("Writers"))

    page = writer.get(change_url(entry))
    assert page.status_code == 200  # read-only
    assert 'name="headline"' not in page.text
    assert writer.post(change_url(entry), {"headline": "Mine"}).status_code == 403
    assert writer.post(delete_url(entry), {"post": "yes"}).status_code == 403

    entry.refresh_from_db()
    assert entry.headline == "Theirs"


def test_a_writer_deletes_their_own_entry(writer):
    entry = make_entry(make_live_story(), created_by=writer.user)
    assert writer.post(delete_url(entry), {"post": "yes"}).status_code == 302
    assert not Entry.objects.exists()


def test_on_a_reviewed_story_a_writer_edits_only_until_published(writer):
    story = make_live_story(live_entries_reviewed=True)
    waiting = make_entry(story, created_by=writer.user, status=Status.REVIEW)
    published = make_entry(story, created_by=writer.user, headline="Out")

    data = entry_form(writer, change_url(waiting))
    assert writer.post(change_url(waiting), {**data, "headline": "Fixed"}).status_code == 302
    assert writer.post(change_url(published), {"headline": "Changed"}).status_code == 403
    assert writer.post(delete_url(published), {"post": "yes"}).status_code == 403

    waiting.refresh_from_db()
    published.refresh_from_db()
    assert (waiting.headline, waiting.status) == ("Fixed", Status.REVIEW)
    assert published.headline == "Out"


def test_an_editor_edits_and_deletes_anyones_entry(editor):
    entry = make_entry(make_live_story(), created_by=make_staff("Writers"))
    data = entry_form(editor, change_url(entry))

    assert editor.post(change_url(entry), {**data, "headline": "Edited"}).status_code == 302
    entry.refresh_from_db()
    assert entry.headline == "Edited"
    assert editor.post(delete_url(entry), {"post": "yes"}).status_code == 302
    assert not Entry.objects.exists()


def correction_rows(data, text):
    now = timezone.localtime()
    return {
        **data,
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-text": text,
        "corrections-0-published_at_0": now.strftime("%Y-%m-%d"),
        "corrections-0-published_at_1": now.strftime("%H:%M:%S"),
    }


def test_a_writer_may_not_correct_an_entry(writer):
    """Corrections are the editors' (the roles' grants): a writer's form shows them
    read-only, and a correction posted anyway is not saved."""
    entry = make_entry(make_live_story(), created_by=writer.user)
    data = entry_form(writer, change_url(entry))

    response = writer.post(change_url(entry), correction_rows(data, "Sneaked in."))

    assert response.status_code == 302  # the entry saved, the correction ignored
    assert not entry.corrections.exists()


def test_an_editor_adds_a_correction_inline(editor):
    entry = make_entry(make_live_story())
    data = entry_form(editor, change_url(entry))
    data = correction_rows(data, "An earlier version misstated the turnout.")

    assert editor.post(change_url(entry), data).status_code == 302
    assert entry.corrections.get().text == "An earlier version misstated the turnout."


# Bulk actions.


def act(client, action, entries, follow=True):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [e.pk for e in entries]},
        follow=follow,
    )


def test_an_editor_publishes_the_entries_waiting(editor):
    story = make_live_story(live_entries_reviewed=True)
    entries = [make_entry(story, status=Status.REVIEW) for _ in range(2)]

    response = act(editor, "publish_entries", entries)

    assert "2 entries published" in response.text
    assert Entry.objects.published().count() == 2
    assert all(Version.objects.get_for_object(e).count() == 1 for e in entries)


def test_a_writer_has_no_publish_or_pin_action(writer):
    entry = make_entry(make_live_story(), created_by=writer.user, status=Status.REVIEW)

    page = writer.get(CHANGELIST)
    assert 'value="publish_entries"' not in page.text
    assert 'value="pin_entries"' not in page.text
    act(writer, "publish_entries", [entry])
    act(writer, "pin_entries", [entry])

    entry.refresh_from_db()
    assert (entry.status, entry.is_pinned) == (Status.REVIEW, False)


def test_an_editor_pins_and_unpins(editor):
    entry = make_entry(make_live_story())

    assert "1 entry pinned" in act(editor, "pin_entries", [entry]).text
    entry.refresh_from_db()
    assert entry.is_pinned
    assert "1 entry unpinned" in act(editor, "unpin_entries", [entry]).text
    entry.refresh_from_db()
    assert not entry.is_pinned


def test_a_writer_marks_key_points_on_their_own_entries_only(writer):
    story = make_live_story()
    mine = make_entry(story, created_by=writer.user)
    theirs = make_entry(story, created_by=make_staff("Writers"))

    response = act(writer, "mark_key_points", [mine, theirs])

    assert "1 entry marked as key points" in response.text
    assert "1 entry left as they were" in response.text
    assert list(Entry.objects.filter(is_key_point=True)) == [mine]
    act(writer, "unmark_key_points", [mine])
    mine.refresh_from_db()
    assert not mine.is_key_point


def test_the_list_filters_by_live_story_newest_first(editor):
    story, other = make_live_story(headline="Election night"), make_live_story()
    older = make_entry(
        story, headline="Polls open", published_at=timezone.now() - timedelta(hours=2)
    )
    newer = make_entry(story, headline="Polls close")
    make_entry(other, headline="Elsewhere")
    make_article(headline="Not live at all")

    response = editor.get(f"{CHANGELIST}?story={story.pk}")

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows == [newer, older]
    filters = response.text
    assert "Election night" in filters and "Not live at all" not in filters
    for bad in ("abc", "²"):
        assert editor.get(f"{CHANGELIST}?story={bad}").status_code == 200


def test_only_live_stories_are_offered(editor):
    live = make_live_story(headline="Summit live")
    make_article(headline="A plain story", kind=Article.Kind.STORY)
    form = editor.get(ADD).context["adminform"].form
    assert list(form.fields["story"].queryset) == [live]


def test_a_writers_bulk_delete_spares_someone_elses_entry(writer):
    story = make_live_story()
    mine = make_entry(story, created_by=writer.user)
    theirs = make_entry(story, created_by=make_staff("Writers"))

    response = writer.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert Entry.objects.count() == 2


def test_an_entry_published_for_the_first_time_carries_the_time_it_appears(editor, clock):
    now = clock.freeze()
    story = make_live_story(live_entries_reviewed=True)
    waited = make_entry(story, status=Status.REVIEW, published_at=now - timedelta(minutes=20))
    typed = now - timedelta(hours=1)
    form = entry_form(editor, f"{ADD}?story={story.pk}")
    clock(minutes=5)  # the form stayed open while the editor wrote

    act(editor, "publish_entries", [waited])
    editor.post(ADD, {**form, "body": "<p>Just in.</p>"})
    stamped = Entry.objects.get(body="<p>Just in.</p>")

    waited.refresh_from_db()
    assert waited.published_at == stamped.published_at == now + timedelta(minutes=5)
    # A time typed into the form is kept.
    editor.post(
        ADD,
        {
            **form,
            "body": "<p>Earlier.</p>",
            "published_at_0": timezone.localtime(typed).strftime("%Y-%m-%d"),
            "published_at_1": timezone.localtime(typed).strftime("%H:%M:%S"),
        },
    )
    assert Entry.objects.get(body="<p>Earlier.</p>").published_at == typed.replace(microsecond=0)
