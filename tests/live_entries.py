"""Builders for the desk's live-coverage tests: a live story, an entry, and the entry
form as the admin renders it (read back as a browser would post it)."""

from django.urls import reverse

from tests.factories import browser_form_data
from tests.live_factories import make_entry, make_live_story

__all__ = ["make_entry", "make_live_story", "change_url", "entry_form", "post_entry"]

ADD = reverse("admin:live_entry_add")
CHANGELIST = reverse("admin:live_entry_changelist")


def change_url(entry):
    return reverse("admin:live_entry_change", args=[entry.pk])


def entry_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return browser_form_data(response.text, "entry_form")


def post_entry(client, story, follow=False, **changes):
    """Post a new entry on ``story`` through the add form, as a browser would."""
    data = entry_form(client, f"{ADD}?story={story.pk}")
    data.update({"body": "<p>Turnout passed 60 percent.</p>", **changes})
    return client.post(ADD, data, follow=follow)
