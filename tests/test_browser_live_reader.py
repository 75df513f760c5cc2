"""A reader follows a live story in a real browser (static/js/live.js), polling every
second: a new entry waits behind "1 new update" and appears on a click; a correction,
a pin and a deletion show without one; the end of coverage stops the polling.

Entries change the way the desk's saves change them (model saves, committed: this
test's transactions are real), so each change goes through the page cache's exact
invalidation as it would in production.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from live.models import EntryCorrection
from tests.live_factories import make_entry, make_live_story

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_reader_sees_the_coverage_change_without_a_reload(open_tab, screenshot, settings):
    settings.LIVE_POLL_SECONDS = 1
    story = make_live_story(headline="Storm makes landfall")
    first = make_entry(story, minutes_ago=20, headline="Winds pick up")
    second = make_entry(story, minutes_ago=10, headline="Ferries cancelled")

    reader = open_tab()
    reader.goto(story.get_absolute_url())
    entries = reader.locator(".live-entries > .live-entry")
    expect(entries).to_have_count(2)
    screenshot(reader, "open")

    new = make_entry(story, minutes_ago=0, headline="Power cut in the north", is_key_point=True)
    button = reader.locator(".live-new-updates")
    expect(button).to_have_text("1 new update")
    expect(reader.locator(".live-key-points")).to_contain_text("Power cut in the north")
    expect(entries).to_have_count(2)  # the text does not move under the reader
    button.click()
    expect(entries.first).to_have_attribute("id", f"entry-{new.pk}")
    expect(button).to_be_hidden()
    screenshot(reader, "new-update")

    EntryCorrection.objects.create(entry=second, text="The ferries run until noon.")
    expect(reader.locator(f"#entry-{second.pk}")).to_contain_text("The ferries run until noon.")

    first.is_pinned = True
    first.save()
    expect(entries.first).to_have_attribute("id", f"entry-{first.pk}")
    expect(reader.locator(f"#entry-{first.pk}")).to_contain_text("Pinned")

    second.delete()
    expect(reader.locator(f"#entry-{second.pk}")).to_have_count(0)
    screenshot(reader, "corrected-pinned-deleted")

    story.coverage_ended_at = timezone.now()
    story.save()
    expect(reader.locator(".live-status")).to_have_text("Coverage ended")
    expect(reader.locator(".live-stream")).to_have_attribute("data-state", "ended")
    screenshot(reader, "ended")
