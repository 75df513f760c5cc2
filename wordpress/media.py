"""WordPress attachments, kept as references: saved in the first pass, found again in the second.

Featured images become lead images (with their caption and alt text) and
``[gallery]`` shortcodes find their pictures here. Files stay where WordPress
put them; nothing is downloaded.
"""

import mimetypes
from urllib.parse import urlsplit

from wordpress.content import plain_text
from wordpress.models import Attachment
from wordpress.report import CREATED, UNCHANGED, UPDATED

NO_LEAD_IMAGE = {"lead_image_url": "", "lead_image_alt": "", "lead_image_caption": ""}


class Media:
    def __init__(self, site):
        self.site = site

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
            "mime_type": mimetypes.guess_type(urlsplit(url).path)[0] or "",
            "parent_wp_id": item.parent or None,
            "position": item.menu_order,
        }
        attachment = Attachment.objects.filter(site=self.site, wp_id=item.wp_id).first()
        if attachment is None:
            Attachment.objects.create(site=self.site, wp_id=item.wp_id, **fields)
            report.count("attachments", CREATED)
        elif any(getattr(attachment, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(attachment, name, value)
            attachment.save()
            report.count("attachments", UPDATED)
        else:
            report.count("attachments", UNCHANGED)

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
        return {
            "lead_image_url": found[0].url,
            "lead_image_alt": found[0].alt_text,
            "lead_image_caption": found[0].caption,
        }
