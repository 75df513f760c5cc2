"""WordPress's media files brought into the photo library, and the stories pointed at them.

A file comes from a copy of the site's ``wp-content/uploads`` (``--media-from DIR``,
read during the import) or from the old site itself (``--download-media``: one
background job per file, wordpress/tasks.py, fetched through core.safe_fetch with a
deadline, a size limit and no private addresses). Either way it passes the library's
own check (photos.validation) and becomes a Photo with the attachment's title, alt
text, caption and credit; the file's own metadata fills what the export left empty.

Stories then show the photo by reference (``<figure data-photo="ID">``, expanded by
articles/body_photos.py), featured images become lead photos, and the file's old
address under ``wp-content/uploads`` answers 301 with the photo's largest rendition.

WordPress links resized copies (``harbour-300x200.jpg``) as often as the upload
itself: a file is known by its host and path, without that suffix unless a file
of the library has that very name (library_of()).
"""

import re
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from core import safe_fetch
from pages.models import Page
from photos import renditions, uploads
from photos.models import Photo
from photos.validation import validate_image
from wordpress.addresses import OldAddresses
from wordpress.content import plain_text
from wordpress.models import ImportedObject
from wordpress.report import Report

UPLOADS = "/wp-content/uploads/"
# add_image_size() copies, and the big-image and rotation copies WordPress 5.3+ makes.
RESIZED = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[^./]+$)", re.I)
# What core.sanitize.clean_body leaves of an image block, a [caption] or a bare picture.
IMAGE_FIGURE = re.compile(
    r"<figure>\s*(?:<a [^>]*>\s*)?(?P<img><img [^>]*>)\s*(?:</a>\s*)?"
    r"(?:<figcaption>(?P<caption>.*?)</figcaption>\s*)?</figure>",
    re.S,
)
IMAGE_PARAGRAPH = re.compile(r"<p>\s*(?:<a [^>]*>\s*)?(?P<img><img [^>]*>)\s*(?:</a>\s*)?</p>")
# A cover block's picture, once the sanitizer has dropped its <div>s: alone on its line.
IMAGE_LINE = re.compile(r"^[ \t]*(?:<a [^>]*>\s*)?(?P<img><img [^>]*>)(?:\s*</a>)?[ \t]*$", re.M)
# A gallery block (a figure of figures) whose pictures are all references now.
GALLERY_BLOCK = re.compile(
    r"<figure>(?P<inner>(?:\s*<figure data-photo=\"\d+\"(?: data-caption=\"[^\"]*\")?>"
    r"</figure>)+\s*)</figure>"
)
IMAGE = re.compile(r"<img [^>]*>")
SOURCE = re.compile(r'\ssrc="([^"]*)"')
# The credit WordPress read from the file's IPTC, in the PHP-serialized
# ``_wp_attachment_metadata``: s:6:"credit";s:<length in bytes>:"<credit>";
SERIALIZED_CREDIT = re.compile(r's:6:"credit";s:(\d+):"')


class FileProblem(Exception):
    """Why a file did not join the library, in words for the import's summary."""


def uploads_path(url):
    """The file's path under the uploads folder: after ``wp-content/uploads`` (a
    self-hosted site) or the whole path (WordPress.com's ``files.wordpress.com``)."""
    path = unquote(urlsplit(url).path)
    _, found, rest = path.partition(UPLOADS)
    return rest if found else path.lstrip("/")


def file_key(url, exact=False):
    """What names the upload whatever copy ``url`` shows, http or https: its host and
    path without the resize suffix (``exact``: with it)."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    return f"{parts.netloc.lower()}{path if exact else RESIZED.sub('', path)}"


def library_of(rows):
    """The lookup use_library() takes, from (file address, photo id, caption) rows.

    A file's own name may look like a resized copy's (the theme test data uploads
    ``image-alignment-150x150.jpg`` and ``image-alignment-300x200.jpg`` as two photos):
    its exact address wins over another's stripped one.
    """
    rows = list(rows)
    library = {file_key(url): (photo_id, caption) for url, photo_id, caption in rows}
    library.update({file_key(url, exact=True): (pk, caption) for url, pk, caption in rows})
    return library


def look_up(library, url):
    """The (photo id, caption) of ``url``'s file in the library, and its key; or None."""
    for key in (file_key(url, exact=True), file_key(url)):
        if key in library:
            return library[key], key
    return None, ""


def credit_of(serialized_metadata):
    found = SERIALIZED_CREDIT.search(serialized_metadata)
    if not found:
        return ""
    start, length = found.end(), int(found.group(1))
    raw = serialized_metadata[start:].encode()[:length]
    return plain_text(raw.decode(errors="ignore"))[:200]


def read_from_folder(folder, attachment, attached_file=""):
    """The file's bytes from a copy of ``wp-content/uploads``; never from outside it."""
    relative = attached_file.strip() or uploads_path(attachment.url)
    if not relative:
        raise FileProblem("its address names no file")
    root = Path(folder).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise FileProblem(f"its path {relative!r} leads outside {folder}")
    if not path.is_file():
        raise FileProblem(f"not found in {folder}")
    if path.stat().st_size > settings.PHOTO_MAX_UPLOAD_BYTES:
        raise FileProblem("larger than the photo library accepts")
    return path.read_bytes()


def take_into_library(attachment, data):
    """A new library Photo made of ``data`` and the attachment's words, or FileProblem."""
    name = uploads_path(attachment.url).rsplit("/", 1)[-1] or f"attachment-{attachment.wp_id}"
    upload = SimpleUploadedFile(name, data)
    try:
        validate_image(upload)
    except ValidationError as refused:
        raise FileProblem(" ".join(refused.messages)) from None
    photo = Photo(
        title=(attachment.title or name)[:200],
        alt_text=attachment.alt_text,
        caption=attachment.caption,
        credit=attachment.credit,
        source="WordPress import",
    )
    uploads.take_in(photo, upload)
    uploads.save(photo)
    attachment.photo = photo
    attachment.problem = ""
    attachment.save(update_fields=["photo", "problem"])
    return photo


def rendition_address(photo):
    """Where the file's old address now leads: the photo's largest rendition, uncropped."""
    width = renditions.largest_width(photo, "original")
    return renditions.url(photo, "original", width, renditions.fallback_format(photo))


def old_address(url):
    """The file's address on this site, were readers to come here for it, or ''. Only
    a self-hosted site's files were on its own domain, under ``wp-content/uploads``."""
    path = unquote(urlsplit(url).path)
    return path if UPLOADS in path else ""


def reference(photo_id, caption, shown_caption):
    words = plain_text(shown_caption or "")
    caption_attribute = f' data-caption="{escape(words)}"' if words and words != caption else ""
    return f'<figure data-photo="{photo_id}"{caption_attribute}></figure>'


def use_library(html, library):
    """``html`` (sanitized) with its pictures of library photos as references.

    ``library`` comes from library_of(). A picture
    that stands alone (a figure, a paragraph or a line of its own) becomes a
    reference, a gallery block a gallery of them (articles/body_photos.py); one
    inside a sentence keeps its old address, which redirects to the rendition.
    Returns the new html and the (old address here, file key) of the copies it showed.
    """
    shown = set()

    def known(img):
        found = SOURCE.search(img)
        src = unescape(found.group(1)) if found else ""
        photo, key = look_up(library, src) if src else (None, "")
        if photo and (old_path := old_address(src)):
            shown.add((old_path, key))
        return photo

    def replaced(match):
        photo = known(match["img"])
        if not photo:
            return match.group(0)
        photo_id, caption = photo
        return reference(photo_id, caption, match.groupdict().get("caption"))

    if "<img " not in html:
        return html, shown
    html = IMAGE_FIGURE.sub(replaced, html)
    html = IMAGE_PARAGRAPH.sub(replaced, html)
    html = IMAGE_LINE.sub(replaced, html)
    html = GALLERY_BLOCK.sub(r'<div data-gallery="">\g<inner></div>', html)
    for img in IMAGE.findall(html):
        known(img)
    return html, shown


# After a download (wordpress/tasks.py): the stories imported before the file came. ----

DOWNLOAD_TIMEOUT = 30  # seconds for the whole fetch, redirects included


def download(attachment):
    """Fetch the attachment's file from the old site into the library, then show it in
    the stories already imported. A failure that may pass (a timeout, a 5xx) raises
    FetchFailed, for the job to run again; any other is kept on the attachment."""
    try:
        answer = safe_fetch.fetch(
            attachment.url,
            max_bytes=settings.PHOTO_MAX_UPLOAD_BYTES,
            timeout=DOWNLOAD_TIMEOUT,
            accept="image/*",
        )
        if answer.status >= 500:
            raise safe_fetch.FetchFailed(
                f"{attachment.url} answered {answer.status}.", transient=True
            )
        if answer.status != 200:
            raise FileProblem(f"the old site answered {answer.status}")
        photo = take_into_library(attachment, answer.body)
    except (safe_fetch.FetchError, FileProblem) as problem:
        attachment.problem = str(problem)[:500]
        attachment.save(update_fields=["problem"])
        if getattr(problem, "transient", False):
            raise
        return None
    point_stories_at(attachment, photo)
    return photo


def imported_from(site, kind):
    return ImportedObject.objects.filter(site=site, kind=kind).values("object_id")


def point_stories_at(attachment, photo):
    """The site's stories and pages showing the attachment show ``photo`` instead, saved
    as an edit is (search and the page cache hear of it); its old address redirects."""
    address = rendition_address(photo)
    library = library_of([(attachment.url, photo.pk, photo.caption)])
    stem = uploads_path(attachment.url).rsplit(".", 1)[0]
    shown = {old_address(attachment.url)} - {""}
    for model, kind in ((Article, ImportedObject.Kind.POST), (Page, ImportedObject.Kind.PAGE)):
        candidates = model.objects.filter(
            pk__in=imported_from(attachment.site, kind), body__contains=stem
        )
        for story in candidates:
            body, seen = use_library(story.body, library)
            shown |= {old_path for old_path, _ in seen}
            if body != story.body:
                story.body = body
                story.save()
    leading = Article.objects.filter(
        pk__in=imported_from(attachment.site, ImportedObject.Kind.POST),
        lead_image_url=attachment.url,
        lead_photo=None,
    )
    for story in leading:
        story.lead_photo = photo
        story.lead_image_url = story.lead_image_alt = story.lead_image_caption = ""
        story.save()
    addresses = OldAddresses("/", Report())
    for old_path in shown:
        addresses.redirect(old_path, address)
