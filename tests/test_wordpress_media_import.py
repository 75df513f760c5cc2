"""``import_wordpress --media-from DIR`` and ``--download-media``: WordPress's media files
in the photo library, the stories showing them from there, their old addresses redirected.

What each attachment should become is read from the export (an XML parser here, not
the importer's); the files are made with Pillow, laid out as ``wp-content/uploads`` is.
Downloads come from a server on loopback that this module starts.
"""

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from defusedxml import ElementTree as ET
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from pages.models import Redirect
from photos.models import Photo
from tests.photo_files import jpeg
from tests.wordpress_exports import REAL_EXPORTS
from wordpress.models import Attachment, ImportedObject

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "fixtures" / "wordpress" / "export.xml"
FIXTURES = REAL_EXPORTS
# WordPress.com's exports name the export namespace with https.
NAMESPACES = ("http://wordpress.org/export/1.2/", "https://wordpress.org/export/1.2/")
LEFT_AS_LINKS = "left at the old site's address"


def wp(item, name, prefix=""):
    for namespace in NAMESPACES:
        found = item.findtext(f"{{{namespace}{prefix}}}{name}")
        if found is not None:
            return found
    return None


def attachments_in(path):
    """What the export says of each attachment: id, file address, path, alt text, caption."""
    for item in ET.parse(path).getroot().iter("item"):
        if wp(item, "post_type") != "attachment":
            continue
        meta = {}
        for namespace in NAMESPACES:
            for pair in item.findall(f"{{{namespace}}}postmeta"):
                key = pair.findtext(f"{{{namespace}}}meta_key")
                meta[key] = pair.findtext(f"{{{namespace}}}meta_value") or ""
        url = wp(item, "attachment_url").strip()
        path = unquote(urlsplit(url).path)
        # WordPress.com serves its uploads folder as files.wordpress.com/2013/03/…
        _, self_hosted, under_uploads = path.partition("/wp-content/uploads/")
        yield {
            "id": int(wp(item, "post_id")),
            "url": url,
            "file": meta.get("_wp_attached_file")
            or (under_uploads if self_hosted else path.lstrip("/")),
            "alt": meta.get("_wp_attachment_image_alt", ""),
            "caption": wp(item, "encoded", "excerpt/") or "",
            "title": item.findtext("title") or "",
            "path": path,
        }


def file_of(number):
    return jpeg((300, 200), color=(40 * number % 256, 90, 160))


def uploads_copy(folder, export=EXPORT, leave_out=()):
    """A copy of the site's wp-content/uploads, as a host would hand it over."""
    for number, attachment in enumerate(attachments_in(export)):
        if attachment["id"] in leave_out:
            continue
        target = folder / attachment["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file_of(number))
    return folder


def run_import(path=EXPORT, *options):
    out = StringIO()
    call_command("import_wordpress", str(path), *options, stdout=out)
    return out.getvalue()


def changed_export(tmp_path, *replacements, export=EXPORT):
    text = export.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "changed.xml"
    path.write_text(text)
    return path


def post(wp_id):
    return ImportedObject.objects.get(kind="post", wp_id=wp_id).content_object


def photo_of(wp_id):
    return Attachment.objects.get(wp_id=wp_id).photo


def files_in(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def uploads(tmp_path):
    return uploads_copy(tmp_path / "uploads")


# --media-from ------------------------------------------------------------------------


def test_every_image_attachment_joins_the_library_with_its_words(media, uploads):
    summary = run_import(EXPORT, "--media-from", str(uploads))
    expected = list(attachments_in(EXPORT))
    assert Photo.objects.count() == len(expected)
    for attachment in expected:
        photo = photo_of(attachment["id"])
        assert photo.alt_text == attachment["alt"]
        assert photo.caption == " ".join(html.unescape(attachment["caption"]).split())
        assert photo.title == attachment["title"]
        assert photo.file.read() != b""  # stored, under MEDIA_ROOT
    assert f"{len(expected)} taken into the photo library" in summary
    assert LEFT_AS_LINKS not in summary


def test_stories_show_the_library_photos_and_the_featured_image_leads(media, uploads, client):
    run_import(EXPORT, "--media-from", str(uploads))
    harbour, port = photo_of(41), photo_of(42)
    story = post(10)
    assert story.lead_photo == harbour
    assert story.lead_image_url == ""
    # The [caption] keeps its own words; the gallery shows both, in its order.
    assert (
        f'<figure data-photo="{harbour.pk}" data-caption="Boats waiting to go out, on Sunday.">'
        in story.body
    )
    assert story.body.index(f'data-photo="{port.pk}"') < story.body.rindex(
        f'data-photo="{harbour.pk}"'
    )
    assert "wp-content/uploads" not in story.body
    block_story = post(11)
    assert f'<figure data-photo="{port.pk}" data-caption="The port of Kobe.">' in block_story.body
    page = client.get(block_story.get_absolute_url())
    assert page.status_code == 200
    assert f"/photos/{port.pk}/" in page.text
    assert "The port of Kobe." in page.text
    assert "oldnews.example.com/wp-content" not in page.text


def test_old_file_addresses_answer_301_with_the_largest_rendition(media, tmp_path, client):
    # The [caption] shows WordPress's 300×200 copy: it redirects as the upload does.
    export = changed_export(
        tmp_path,
        (
            'src="https://oldnews.example.com/wp-content/uploads/2023/11/harbour.jpg"',
            'src="https://oldnews.example.com/wp-content/uploads/2023/11/harbour-300x200.jpg"',
        ),
    )
    run_import(export, "--media-from", str(uploads_copy(tmp_path / "uploads", export)))
    harbour = photo_of(41)
    for old in ("harbour.jpg", "harbour-300x200.jpg"):
        old = f"/wp-content/uploads/2023/11/{old}"
        answer = client.get(old)
        assert answer.status_code == 301, old
        assert answer["Location"].startswith(f"/photos/{harbour.pk}/original/")
    rendition = client.get(client.get("/wp-content/uploads/2023/11/port.jpg")["Location"])
    assert rendition.status_code == 302  # made on the spot, then served from storage
    assert f'data-photo="{harbour.pk}"' in post(10).body


def test_importing_again_changes_nothing(media, uploads):
    run_import(EXPORT, "--media-from", str(uploads))
    photos, redirects = Photo.objects.count(), Redirect.objects.count()
    stored = files_in(media)
    summary = run_import(EXPORT, "--media-from", str(uploads))
    assert Photo.objects.count() == photos
    assert Redirect.objects.count() == redirects
    assert files_in(media) == stored
    assert f"{photos} in the photo library already" in summary
    assert " updated" not in summary and " created" not in summary


def test_the_library_is_read_once_for_all_the_bodies(media, uploads):
    with CaptureQueriesContext(connection) as queries:
        run_import(EXPORT, "--media-from", str(uploads))
    lookups = [q["sql"] for q in queries if '"photos_photo"."caption"' in q["sql"]]
    assert len(lookups) == 1  # not one per post


def test_a_credit_in_the_attachment_metadata_comes_along(media, tmp_path):
    serialized = (
        'a:1:{s:10:"image_meta";a:2:{s:6:"credit";s:16:"Ana Ruiz/Reuters";s:5:"title";s:0:"";}}'
    )
    export = changed_export(
        tmp_path,
        (
            "<wp:meta_value><![CDATA[2023/11/harbour.jpg]]></wp:meta_value>\n\t\t</wp:postmeta>",
            "<wp:meta_value><![CDATA[2023/11/harbour.jpg]]></wp:meta_value>\n\t\t</wp:postmeta>"
            "<wp:postmeta><wp:meta_key>_wp_attachment_metadata</wp:meta_key>"
            f"<wp:meta_value><![CDATA[{serialized}]]></wp:meta_value></wp:postmeta>",
        ),
    )
    run_import(export, "--media-from", str(uploads_copy(tmp_path / "uploads", export)))
    assert photo_of(41).credit == "Ana Ruiz/Reuters"


def test_a_missing_or_unusable_file_is_reported_and_stays_a_link(media, tmp_path):
    uploads = uploads_copy(tmp_path / "uploads", leave_out={42})
    (uploads / "2023/11/harbour.jpg").write_bytes(b"<svg onload=alert(1)>")
    summary = run_import(EXPORT, "--media-from", str(uploads))
    assert Photo.objects.count() == 0
    assert f"not taken in: not found in {uploads}" in summary
    assert "not taken in: SVG files are not accepted" in summary
    assert Attachment.objects.get(wp_id=42).problem == f"not found in {uploads}"
    assert 'src="https://oldnews.example.com/wp-content/uploads/2023/11/port.jpg"' in post(11).body
    assert post(10).lead_image_url.endswith("/harbour.jpg")


def test_a_file_path_never_leads_outside_the_folder(media, tmp_path):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(file_of(3))
    export = changed_export(
        tmp_path, ("<![CDATA[2023/11/harbour.jpg]]>", "<![CDATA[../secret.jpg]]>")
    )
    summary = run_import(export, "--media-from", str(uploads_copy(tmp_path / "uploads", export)))
    assert "leads outside" in summary
    assert Attachment.objects.get(wp_id=41).photo is None


def test_without_an_option_images_stay_links_and_the_summary_says_so(media):
    summary = run_import(EXPORT)
    images = len(list(attachments_in(EXPORT)))
    assert f"{images} {LEFT_AS_LINKS}" in summary
    assert "--media-from DIR or --download-media" in summary
    assert Photo.objects.count() == 0
    assert 'src="https://oldnews.example.com/wp-content/uploads/2023/11/port.jpg"' in post(11).body


def test_a_dry_run_or_a_broken_export_stores_no_photo_and_no_file(media, uploads, tmp_path):
    run_import(EXPORT, "--media-from", str(uploads), "--dry-run")
    assert Photo.objects.count() == 0
    assert files_in(media) == []
    text = EXPORT.read_text()
    broken = tmp_path / "broken.xml"
    broken.write_text(text[: text.index("Second harbour story")])  # after the attachments
    with pytest.raises(CommandError, match="Nothing was imported"):
        run_import(broken, "--media-from", str(uploads))
    assert Photo.objects.count() == Attachment.objects.count() == 0
    assert files_in(media) == []


def test_the_folder_must_exist(media, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        run_import(EXPORT, "--media-from", str(tmp_path / "nowhere"))
    assert Attachment.objects.count() == 0


def test_a_wordpress_com_export_finds_its_files_by_their_path(media, tmp_path):
    export = FIXTURES / "wxr-flat-attachment-same-site.xml"
    expected = list(attachments_in(export))
    run_import(export, "--media-from", str(uploads_copy(tmp_path / "uploads", export)))
    assert Photo.objects.count() == len(expected)
    body = ImportedObject.objects.get(kind="post").content_object.body
    assert f'data-photo="{photo_of(expected[0]["id"]).pk}"' in body
    assert "files.wordpress.com" not in body


# --download-media ------------------------------------------------------------------


class OldSite(BaseHTTPRequestHandler):
    files = {}  # path → bytes; anything else answers 404
    status = {}  # path → a status to answer instead
    requests = []

    def do_GET(self):
        OldSite.requests.append(self.path)
        status = OldSite.status.get(self.path, 200 if self.path in OldSite.files else 404)
        body = OldSite.files.get(self.path, b"") if status == 200 else b"no"
        self.send_response(status)
        self.send_header("Content-Type", "image/jpeg" if status == 200 else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def old_site(settings, tmp_path):
    """The old WordPress site on loopback, serving the export's files; the export
    rewritten to name it."""
    settings.SAFE_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), OldSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    OldSite.files = {
        attachment["path"]: file_of(number)
        for number, attachment in enumerate(attachments_in(EXPORT))
    }
    OldSite.status, OldSite.requests = {}, []
    export = changed_export(
        tmp_path, ("https://oldnews.example.com/wp-content/", f"{base}/wp-content/")
    )
    yield export
    server.shutdown()
    server.server_close()


def test_downloads_are_queued_then_join_the_library_and_stories(media, old_site, run_tasks, client):
    summary = run_import(old_site, "--download-media")
    expected = list(attachments_in(EXPORT))
    assert f"{len(expected)} queued for download" in summary
    assert Photo.objects.count() == 0 and OldSite.requests == []  # nothing fetched yet

    downloads = [job.status for job in run_tasks() if "download" in job.task_path]
    assert downloads == ["SUCCESSFUL"] * len(expected)
    assert sorted(OldSite.requests) == sorted(a["path"] for a in expected)
    harbour, port = photo_of(41), photo_of(42)
    assert harbour.alt_text == "Fishing boats moored in the harbour"
    story = post(10)
    assert story.lead_photo == harbour and story.lead_image_url == ""
    assert f'data-photo="{harbour.pk}"' in story.body and "/wp-content/" not in story.body
    assert f'<figure data-photo="{port.pk}" data-caption="The port of Kobe.">' in post(11).body
    answer = client.get("/wp-content/uploads/2023/11/port.jpg")
    assert answer.status_code == 301 and answer["Location"].startswith(f"/photos/{port.pk}/")
    assert '<figure class="body-photo">' in client.get(post(11).get_absolute_url()).text

    # The next import finds them in the library and downloads nothing.
    OldSite.requests = []
    summary = run_import(old_site, "--download-media")
    assert f"{len(expected)} in the photo library already" in summary
    assert all("download" not in job.task_path for job in run_tasks())
    assert OldSite.requests == []


def test_a_refused_download_is_final_and_said_on_the_attachment(
    media, old_site, run_tasks, settings
):
    OldSite.status["/wp-content/uploads/2023/11/port.jpg"] = 404
    OldSite.files["/wp-content/uploads/2023/11/harbour.jpg"] = jpeg((3000, 2000))
    settings.PHOTO_MAX_UPLOAD_BYTES = 20_000
    run_import(old_site, "--download-media")
    jobs = [job for job in run_tasks() if "download" in job.task_path]
    assert [job.status for job in jobs] == ["SUCCESSFUL", "SUCCESSFUL"]  # nothing to retry
    assert Photo.objects.count() == 0
    assert Attachment.objects.get(wp_id=42).problem == "the old site answered 404"
    assert "the most we take from it" in Attachment.objects.get(wp_id=41).problem
    assert "/wp-content/uploads/2023/11/port.jpg" in post(11).body


def test_a_private_address_is_never_fetched(media, old_site, run_tasks, settings):
    settings.SAFE_FETCH_ALLOWED_ADDRESSES = []
    run_import(old_site, "--download-media")
    run_tasks()
    assert OldSite.requests == []
    assert Photo.objects.count() == 0
    assert "127.0.0.1" in Attachment.objects.get(wp_id=41).problem


def test_an_old_site_that_is_down_is_tried_again_later(media, old_site, run_tasks):
    OldSite.status = {a["path"]: 503 for a in attachments_in(EXPORT)}
    run_import(old_site, "--download-media")
    run_tasks()
    waiting = DBTaskResult.objects.filter(task_path__endswith="download_attachment")
    assert {job.status for job in waiting} == {"READY"}  # again, later (core.tasks)
    assert "503" in Attachment.objects.get(wp_id=42).problem
