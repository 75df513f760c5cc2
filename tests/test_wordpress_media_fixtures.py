"""``--media-from`` on WordPress's own sample site (shared/wordpress-fixtures): a
WordPress.com export, whose files live at files.wordpress.com/<year>/<month>/, with
images, a GIF, a movie and a song, and featured images on several posts."""

import mimetypes
import re

import pytest
from defusedxml import ElementTree as ET

from articles.models import Article
from photos.models import Photo
from tests.test_wordpress_media_import import (
    FIXTURES,
    NAMESPACES,
    attachments_in,
    photo_of,
    post,
    run_import,
    uploads_copy,
    wp,
)
from wordpress import attachments

pytestmark = pytest.mark.django_db

SAMPLE = FIXTURES / "themeunittestdata.wordpress.xml"


def featured_images(path):
    """Post id → its featured image's attachment id, as the export says."""
    found = {}
    for item in ET.parse(path).getroot().iter("item"):
        if wp(item, "post_type") != "post":
            continue
        for namespace in NAMESPACES:
            for pair in item.findall(f"{{{namespace}}}postmeta"):
                if pair.findtext(f"{{{namespace}}}meta_key") == "_thumbnail_id":
                    found[int(wp(item, "post_id"))] = int(
                        pair.findtext(f"{{{namespace}}}meta_value")
                    )
    return found


def test_a_file_named_like_a_resized_copy_is_its_own_photo():
    """The theme test data uploads image-alignment-150x150.jpg and -300x200.jpg as
    photos of their own; a real copy (canola2-150x150.jpg) still finds its upload."""
    found = list(attachments_in(SAMPLE))
    assert any(a["url"].endswith("image-alignment-150x150.jpg") for a in found)
    library = attachments.library_of((a["url"], a["id"], "") for a in found)
    for attachment in found:
        body, _ = attachments.use_library(f'<p><img src="{attachment["url"]}"></p>', library)
        assert body == f'<figure data-photo="{attachment["id"]}"></figure>'
    canola = next(a for a in found if a["url"].endswith("/canola2.jpg"))
    copy = canola["url"].replace("canola2.jpg", "canola2-150x150.jpg")
    body, _ = attachments.use_library(f'<p><img src="{copy}" alt="x"></p>', library)
    assert body == f'<figure data-photo="{canola["id"]}"></figure>'


def test_the_sample_sites_images_join_the_library_and_lead_their_posts(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    summary = run_import(SAMPLE, "--media-from", str(uploads_copy(tmp_path / "uploads", SAMPLE)))
    found = list(attachments_in(SAMPLE))
    images = [a for a in found if (mimetypes.guess_type(a["url"])[0] or "").startswith("image/")]
    assert Photo.objects.count() == len(images)
    assert f"{len(images)} taken into the photo library" in summary
    assert f"{len(found) - len(images)} not images: left as links" in summary
    leading = {
        post_id: thumbnail
        for post_id, thumbnail in featured_images(SAMPLE).items()
        if thumbnail in {a["id"] for a in images}
    }
    assert leading  # the sample has featured images
    for post_id, thumbnail in leading.items():
        assert post(post_id).lead_photo == photo_of(thumbnail), post_id

    # Pictures standing alone (figures, paragraphs, cover blocks' lines) are references
    # now, and the gallery block a gallery; only pictures inside a sentence are left.
    stories = list(Article.objects.all())
    alone = re.compile(r"^\s*<img [^>]*>\s*$|<p>\s*<img [^>]*>\s*</p>|<figure>\s*<img", re.M)
    assert [story.slug for story in stories if alone.search(story.body)] == []
    gallery = re.compile(r'<div data-gallery="">(\s*<figure data-photo="\d+"[^>]*></figure>){2,}')
    shown = next(s for s in stories if gallery.search(s.body) and s.status == s.Status.PUBLISHED)
    page = client.get(shown.get_absolute_url())
    assert page.status_code == 200
    assert re.search(r'<div class="body-gallery">\s*<figure class="body-photo">', page.text)
