"""Builders for the desk's live-coverage tests: a live story, an entry, and the entry
form as the admin renders it (read back as a browser would post it)."""

from django.urls import reverse

from articles.models import Article
from live.models import Entry
from tests.factories import browser_form_data, make_article

ADD = reverse("admin:live_entry_add")
CHANGELIST = reverse("admin:live_entry_changelist")


def make_live_story(**fields):
    fields.setdefault("kind", Article.Kind.LIVE)
    return make_article(**fields)


def make_entry(story, authors=(), **fields):
    fields.setdefault("body", "<p>Polls have closed in the east.</p>")
    entry = Entry.objects.create(story=story, **fields)
    if authors:
        entry.authors.set(authors)
    return entry


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
