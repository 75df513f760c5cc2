"""Discussion settings in a real browser (Debian's Chromium through Playwright): an editor
changes the moderation words in the admin, and a reader's next comment, posted from the
story page in another browser, is held for the new word."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment, DiscussionSettings
from tests.factories import make_article, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long browser-test password"


def test_new_moderation_words_hold_the_next_comment(open_tab, screenshot, newsroom_roles, settings):
    # The reader types within seconds, faster than COMMENT_MIN_SECONDS lets a person.
    settings.COMMENT_MIN_SECONDS = 0
    settings.COMMENT_MODERATION_WORDS = []
    make_staff("Editors", username="maya", password=PASSWORD)
    story = make_article(headline="Council votes on the harbour levy")

    # A reader has the story open (and the page cache keeps it).
    reader = open_tab()
    reader.goto(story.get_absolute_url())
    expect(reader.locator("#commentform")).to_be_visible()
    screenshot(reader, "story-before")

    # The editor, in a browser of their own, opens Settings › Discussion.
    desk = open_tab()
    desk.goto("/admin/login/?next=/admin/comments/discussionsettings/")
    desk.fill("#id_username", "maya")
    desk.fill("#id_password", PASSWORD)
    desk.click("input[type=submit], button[type=submit]")
    desk.wait_for_url("**/admin/comments/discussionsettings/1/change/")
    expect(desk.get_by_role("heading", name="Holding comments for a moderator")).to_be_visible()
    desk.fill("#id_moderation_words", "harbour levy\nparking fines")
    screenshot(desk, "settings-filled")
    desk.click("input[name=_save]")
    expect(desk.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert desk.input_value("#id_moderation_words") == "harbour levy\nparking fines"
    screenshot(desk, "settings-saved")
    assert DiscussionSettings.objects.get().words("moderation_words") == (
        "harbour levy",
        "parking fines",
    )

    # The reader's next comment names the new phrase: it waits for a moderator.
    reader.reload()
    reader.fill("#id_body", "The Harbour Levy will empty the marina by spring.")
    reader.fill("#id_author_name", "Dana Reyes")
    reader.fill("#id_author_email", "dana@example.com")
    reader.click("#commentform button[type=submit]")
    reader.wait_for_load_state()
    comment = Comment.objects.get(author_email="dana@example.com")
    expect(reader.locator(f"#comment-{comment.pk}")).to_contain_text(
        "Your comment is awaiting moderation."
    )
    screenshot(reader, "comment-held")
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reason == "Contains “harbour levy”, from the moderation words list."
