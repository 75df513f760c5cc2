"""A stored story text shown inside the admin as readers see it.

The reader page renders the stored body as it is (core.sanitize.clean_body ran on
save), its library photos as figures (articles.body_photos) and its embeds as facades
(embeds.rendering, telling the editor of one still being fetched). Here it passes through
that one cleaner again before it is marked safe: a body that reached the database
some other way (a bulk update, an old revision's copy) still cannot bring markup the
reader page would not allow. The wrapper's class gives it the story's typography in
the admin (static/admin-editor/reading.css).
"""

from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html

from articles import body_photos
from core.sanitize import clean_body
from embeds import rendering as embed_rendering


def body_as_read(body):
    """The body's HTML as the reader page renders it, in the admin's story typography."""
    cleaned = body_photos.expand(clean_body(body))  # the allow-list is all that is left
    cleaned = embed_rendering.expand(cleaned, for_editors=True)
    return format_html('<div class="story-text">{}</div>', cleaned)


def text_as_read(text, kind="plain"):
    """Plain text (summary, transcript) as escaped paragraphs; ``kind`` names its style."""
    paragraphs = linebreaks_filter(text, autoescape=True)
    return format_html('<div class="story-text story-text-{}">{}</div>', kind, paragraphs)
