"""Embeds for the body's tests: rows as a provider's answer leaves them, and the fetch
task the references queue (embeds.tasks.fetch_embed) standing in for the real one, so
that these tests see what was queued without asking any provider."""

import sys
import types

from django_tasks_db.models import DBTaskResult

from core.tasks import background_task
from embeds.models import Embed
from tests.photo_files import make_photo


@background_task(attempts=1)
def fetch_embed(embed_id):
    """What a save queued, recorded as the job's argument; nothing is fetched."""


def stand_in_fetch_task(monkeypatch):
    """This module's task in place of embeds.tasks.fetch_embed; returns a function giving
    the embed ids the saves so far queued a fetch for, in order."""
    monkeypatch.setitem(sys.modules, "embeds.tasks", types.SimpleNamespace(fetch_embed=fetch_embed))
    return lambda: [
        job.args_kwargs["args"][0]
        for job in DBTaskResult.objects.filter(task_path=fetch_embed.module_path).order_by(
            "enqueued_at"
        )
    ]


def ready_embed(url="https://www.youtube.com/watch?v=dQw4w9WgXcQ", thumbnail=True, **fields):
    """A video whose provider answered: thumbnail in our library, a player to load."""
    fields.setdefault("provider", "youtube")
    fields.setdefault("provider_name", "YouTube")
    fields.setdefault("kind", Embed.Kind.VIDEO)
    fields.setdefault("title", "The mayor's press conference")
    fields.setdefault("author_name", "City Hall")
    fields.setdefault("player_url", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    fields.setdefault("width", 640)
    fields.setdefault("height", 360)
    if thumbnail:
        fields.setdefault("thumbnail", make_photo(size=(480, 360), alt_text=""))
    return Embed.objects.create(url=url, status=Embed.Status.READY, **fields)
