"""A video or audio story's media: a provider's player or an uploaded file, its captions,
how long it runs and what is said in it.

A pasted address (``video_url``) becomes an ``embeds.Embed`` on save, shared by every
story using the address and filled in the background from the provider's oEmbed
answer (embeds.references); readers load the provider's player only when they ask
(embeds.rendering). An uploaded file is played by our own ``<video>`` or ``<audio>``.
"""

import re

from django.db import models

from articles import durations, media_files
from embeds import references

# A BCP 47 language tag as <track srclang> takes it: "en", "pt-BR", "zh-Hant".
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


class DurationField(models.PositiveIntegerField):
    """Seconds, typed in the admin as a clock ("12:34", "1:02:03")."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": durations.ClockField, **kwargs})


class MediaFields(models.Model):
    """The media fields and rules of ``Article`` (whose ``Kind`` they read)."""

    video_url = models.URLField(
        "media address",
        max_length=2000,
        blank=True,
        help_text="A YouTube, Vimeo, SoundCloud or Spotify address (or any page offering "
        "its player): readers get the player when they ask. Or upload a file instead.",
    )
    media_embed = models.ForeignKey(
        "embeds.Embed",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,  # follows video_url (attach_media_embed)
    )
    media_file = models.FileField(
        "video or audio file",
        upload_to="media/%Y/%m/",
        max_length=300,
        blank=True,
        validators=[media_files.validate_media_file],
        help_text=f"Video: {media_files.VIDEO_NAMES}. Audio: {media_files.AUDIO_NAMES}. "
        "The lead photo is its poster.",
    )
    captions = models.FileField(
        "captions or subtitles",
        upload_to="captions/%Y/%m/",
        max_length=300,
        blank=True,
        validators=[media_files.validate_captions],
        help_text="A WebVTT (.vtt) file, for an uploaded file.",
    )
    captions_language = models.CharField(
        max_length=20, blank=True, help_text="The captions' language code, e.g. en or es."
    )
    duration = DurationField(
        null=True, blank=True, help_text="How long it runs, e.g. 12:34 or 1:02:03."
    )
    transcript = models.TextField(blank=True, help_text="For video and audio: the spoken text.")

    class Meta:
        abstract = True

    @property
    def is_video(self):
        return self.kind == self.Kind.VIDEO

    @property
    def is_audio(self):
        return self.kind == self.Kind.AUDIO

    @property
    def is_media(self):
        return self.kind in (self.Kind.VIDEO, self.Kind.AUDIO)

    @property
    def media_mime_type(self):
        """What the uploaded file plays as in this kind of story ("video/mp4"), or None."""
        return media_files.mime_type(self.media_file.name, self.kind) if self.media_file else None

    @property
    def duration_clock(self):
        return durations.clock(self.duration) if self.duration else ""

    @property
    def duration_iso(self):
        return durations.iso8601(self.duration) if self.duration else ""

    def clean_media(self):
        """A story's media fit its kind: one source, of that kind, captions with a file."""
        problems = {}
        if not self.is_media:
            for name in ("video_url", "media_file", "captions", "duration"):
                if getattr(self, name):
                    problems[name] = "Only a video or audio story has media: choose its kind."
            return problems
        if self.video_url and self.media_file:
            problems["media_file"] = (
                "A story plays one thing: give either a media address or an uploaded file, "
                "and clear the other."
            )
        elif self.media_file and self.media_mime_type is None:
            names = media_files.VIDEO_NAMES if self.is_video else media_files.AUDIO_NAMES
            problems["media_file"] = (
                f"This file is not {self.get_kind_display().lower()}: upload a {names} file, "
                "or change the story's kind."
            )
        if self.captions and not self.media_file:
            problems["captions"] = (
                "Captions go with an uploaded file; a provider's player has its own."
            )
        if self.captions and not self.captions_language:
            problems["captions_language"] = "Say which language the captions are in, e.g. en."
        elif self.captions_language and not LANGUAGE_TAG.fullmatch(self.captions_language):
            problems["captions_language"] = (
                f"“{self.captions_language}” is not a language code: type one such as en, "
                "es or pt-BR."
            )
        return problems

    def attach_media_embed(self):
        """Point ``media_embed`` at the Embed of ``video_url`` (made, and its fetch queued
        in this transaction, if no story used the address before)."""
        if not (self.is_media and self.video_url):
            self.media_embed = None
            return
        url = references.normalised(self.video_url)
        if self.media_embed_id and self.media_embed.url == url:
            return
        self.media_embed = references.embeds_for([url])[url] if url else None
