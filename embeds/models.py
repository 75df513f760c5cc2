"""An embed: a post, video, track, document or chart of another site, shown in a story.

The story's body keeps a reference to the row (``<figure data-embed="12"></figure>``,
core.sanitize); what readers see is built from the row (embeds.rendering): a facade
with the thumbnail (kept in our photo library), the title, the provider's name and a
link to the original, which loads the provider's player (``player_url``) in a frame
only when the reader asks. The row is made when a story using the address is saved
and filled in the background from the provider's oEmbed answer (embeds.tasks).
"""

from django.db import models


class Embed(models.Model):
    class Kind(models.TextChoices):
        # oEmbed's "type", with audio told apart from video (a podcast, a track).
        VIDEO = "video", "Video"
        AUDIO = "audio", "Audio"
        RICH = "rich", "Post or document"
        PHOTO = "photo", "Photo"
        LINK = "link", "Link"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the provider"
        READY = "ready", "Ready"
        FAILED = "failed", "Provider did not answer usably"

    url = models.URLField("address", max_length=2000, unique=True)
    provider = models.CharField(
        max_length=50, blank=True, help_text="embeds.providers' key, or 'discovered'."
    )
    provider_name = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LINK)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    title = models.CharField(max_length=500, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    author_url = models.URLField(max_length=2000, blank=True)
    thumbnail = models.ForeignKey(
        "photos.Photo", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    player_url = models.URLField(
        max_length=2000, blank=True, help_text="What the frame loads when the reader asks."
    )
    duration = models.PositiveIntegerField(null=True, blank=True, help_text="In seconds.")
    error = models.CharField(max_length=500, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title or self.url
