"""The small image the admin shows for a photo (lists, choosers, the story form): a
rendition (photos.renditions), never the original. A list of photos prefetches
``renditions`` so their thumbnails cost one query in all."""

from django.utils.html import format_html

from photos.renditions import thumbnail_url

BOX = 160  # the longest side, in CSS pixels


def thumbnail(photo, box=BOX):
    """An <img> of ``photo`` fitting a ``box``-pixel square, with its real proportions
    (so the list does not jump as images arrive)."""
    scale = min(1, box / max(photo.width, photo.height, 1))
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" class="photo-thumbnail" loading="lazy">',
        thumbnail_url(photo),
        max(1, round(photo.width * scale)),
        max(1, round(photo.height * scale)),
    )
