"""Embeds for the body's tests: rows as a provider's answer leaves them, and the fetches
the references queued (embeds.tasks.fetch_embed), read off the queue without running
them, so that these tests ask no provider."""

from django_tasks_db.models import DBTaskResult

from embeds.models import Embed
from embeds.tasks import fetch_embed
from tests.photo_files import make_photo


def queued_fetches():
    """The embed ids the saves so far queued a fetch for, in order."""
    jobs = DBTaskResult.objects.filter(task_path=fetch_embed.module_path).order_by("enqueued_at")
    return [job.args_kwargs["args"][0] for job in jobs]


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
