"""WordPress attachments: saved in the first pass, found again in the second.

Featured images become lead images (with their caption and alt text) and
``[gallery]`` shortcodes find their pictures here. With ``--media-from`` or
``--download-media`` their files join the photo library (wordpress/attachments.py)
and stories show them from there; without, they stay at the old site's address and
the summary says so.
"""

import mimetypes
from collections import Counter
from urllib.parse import urlsplit

from core.tasks import queue
from photos.models import Photo
from photos.renditions import stored_prefetch
from wordpress import attachments
from wordpress.content import plain_text
from wordpress.models import Attachment
from wordpress.report import CREATED, UNCHANGED, UPDATED
from wordpress.tasks import download_attachment

NO_LEAD_IMAGE = {"lead_image_url": "", "lead_image_alt": "", "lead_image_caption": ""}
TAKEN_IN = "taken into the photo library"
IN_LIBRARY = "in the photo library already"
QUEUED = "queued for download (they join the photo library in the background)"
LEFT_AS_LINKS = (
    "left at the old site's address (bring them into the photo library with "
    "--media-from DIR or --download-media)"
)
NOT_AN_IMAGE = "not images: left as links to the old site"


class Media:
    """``media_from``: a copy of the site's ``wp-content/uploads``; ``download``: fetch
    the files from the old site in the background; ``redirect(old, new)``: adds a 301."""

    def __init__(self, site, *, media_from=None, download=False, redirect=None):
        self.site = site
        self.media_from = media_from
        self.download = download
        self.redirect = redirect or (lambda old_path, new_path: None)
        self.files = Counter()  # what happened to the files → how many
        self._library = None  # file key → (photo id, caption, rendition address)
        self._redirected = set()
        self._stored = []  # the files of the photos made: removed if the import rolls back

    def save(self, item, report):
        url = item.attachment_url
        if not url.startswith(("http://", "https://")) or len(url) > 500:
            report.skip("attachments", "no usable file address")
            return
        fields = {
            "url": url,
            "title": plain_text(item.title)[:300],
            "caption": plain_text(item.excerpt)[:500],  # WordPress keeps the caption there
            "alt_text": plain_text(item.meta.get("_wp_attachment_image_alt", ""))[:300],
            "credit": attachments.credit_of(item.meta.get("_wp_attachment_metadata", "")),
            "mime_type": mimetypes.guess_type(urlsplit(url).path)[0] or "",
            "parent_wp_id": item.parent or None,
            "position": item.menu_order,
        }
        attachment = Attachment.objects.filter(site=self.site, wp_id=item.wp_id).first()
        if attachment is None:
            attachment = Attachment.objects.create(site=self.site, wp_id=item.wp_id, **fields)
            report.count("attachments", CREATED)
        elif any(getattr(attachment, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(attachment, name, value)
            attachment.save()
            report.count("attachments", UPDATED)
        else:
            report.count("attachments", UNCHANGED)
        self.bring_file(attachment, item.meta.get("_wp_attached_file", ""))

    def bring_file(self, attachment, attached_file):
        """The attachment's file into the library, as the options ask."""
        if not attachment.is_image:
            self.files[NOT_AN_IMAGE] += 1
        elif attachment.photo_id:
            self.files[IN_LIBRARY] += 1  # its old address redirects since it joined
            self._library = None
        elif self.media_from:
            try:
                data = attachments.read_from_folder(self.media_from, attachment, attached_file)
                photo = attachments.take_into_library(attachment, data)
            except attachments.FileProblem as problem:
                attachment.problem = str(problem)[:500]
                attachment.save(update_fields=["problem"])
                self.files[f"not taken in: {problem}"] += 1
                return
            self._stored.append(photo.file)
            self.files[TAKEN_IN] += 1
            self.in_library_now(attachment, photo)
        elif self.download:
            queue(download_attachment, attachment.pk)
            self.files[QUEUED] += 1
        else:
            self.files[LEFT_AS_LINKS] += 1

    def in_library_now(self, attachment, photo):
        self._library = None  # read again, with this one, for the second pass
        old_path = attachments.old_address(attachment.url)
        if old_path:
            self.redirect_once(old_path, photo)

    def discard_files(self):
        for stored_file in self._stored:
            stored_file.storage.delete(stored_file.name)
        self._stored = []

    def lines(self):
        """The summary's words on the files, for the command to print."""
        if not self.files:
            return
        yield f"  {'media files:':<13} {sum(self.files.values())}"
        for what, n in sorted(self.files.items()):
            yield f"    {n} {what}"

    # The second pass --------------------------------------------------------------------

    def library(self):
        """The site's files in the photo library (attachments.library_of()): one query,
        and only what a body's reference needs, however large the library."""
        if self._library is None:
            rows = Attachment.objects.filter(site=self.site, photo__isnull=False)
            self._library = attachments.library_of(
                rows.values_list("url", "photo_id", "photo__caption")
            )
        return self._library

    def redirect_once(self, old_path, photo):
        """``old_path`` answers 301 with ``photo`` (a Photo or its id)."""
        if old_path in self._redirected:
            return
        self._redirected.add(old_path)
        if not isinstance(photo, Photo):
            photo = Photo.objects.prefetch_related(stored_prefetch()).filter(pk=photo).first()
        if photo is not None:
            self.redirect(old_path, attachments.rendition_address(photo))

    def in_library(self, html):
        """A rendered body with its pictures of library photos as references to them."""
        library = self.library()
        if not library:
            return html
        html, shown = attachments.use_library(html, library)
        for old_path, key in shown:
            self.redirect_once(old_path, library[key][0])
        return html

    def by_ids(self, wp_ids):
        """The attachments with these ids, in the order asked (a gallery's order)."""
        found = {a.wp_id: a for a in Attachment.objects.filter(site=self.site, wp_id__in=wp_ids)}
        return [found[wp_id] for wp_id in wp_ids if wp_id in found]

    def attached_to(self, post_id):
        return list(
            Attachment.objects.filter(site=self.site, parent_wp_id=post_id).order_by(
                "position", "wp_id"
            )
        )

    def lead_image(self, item):
        """The Article fields for the item's featured image (``_thumbnail_id``)."""
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        found = self.by_ids([int(thumbnail)]) if thumbnail.isdigit() else []
        if not found:
            return NO_LEAD_IMAGE
        if found[0].photo_id:
            return {**NO_LEAD_IMAGE, "lead_photo_id": found[0].photo_id}
        return {
            "lead_image_url": found[0].url,
            "lead_image_alt": found[0].alt_text,
            "lead_image_caption": found[0].caption,
        }
