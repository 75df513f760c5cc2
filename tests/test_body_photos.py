"""Photos from the library in a story's body: the stored reference, the figure readers
get, which photos a body holds (so none is deleted from under it), and caching."""

import json
import re
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import body_photos
from articles.models import Article, BodyPhoto
from core.sanitize import clean_body
from newsdesk import text_diff
from photos import renditions
from tests.factories import make_article
from tests.html_safety import html_problems
from tests.photo_files import make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def small_photo(**fields):
    fields.setdefault("caption", "Fishing boats leave at first light.")
    fields.setdefault("credit", "Ana Ruiz/Harbour Press")
    return make_photo(size=(480, 320), **fields)


def reference(photo, **attributes):
    extra = "".join(f' data-{name}="{value}"' for name, value in attributes.items())
    return f'<figure data-photo="{photo.pk}"{extra}></figure>'


def story_body(page):
    start = page.index('<div class="story-body">')
    return page[start : page.index("</article>", start)]


class TestTheStoredReference:
    def test_the_sanitizer_keeps_a_reference_and_a_gallery(self):
        body = (
            '<p>Text.</p><figure data-photo="12" data-size="wide" data-caption="At dawn">'
            '</figure><div data-gallery=""><figure data-photo="3"></figure>'
            '<figure data-photo="4"></figure></div>'
        )
        assert clean_body(body) == body

    @pytest.mark.parametrize(
        ("hostile", "kept"),
        [
            (
                '<figure data-photo="5" onclick="alert(1)"></figure>',
                '<figure data-photo="5"></figure>',
            ),
            (
                '<figure data-photo="5" style="x" class="y" id="z"></figure>',
                '<figure data-photo="5"></figure>',
            ),
            ('<figure data-photo="5 onload=alert(1)"></figure>', "<figure></figure>"),
            ('<figure data-photo="javascript:alert(1)"></figure>', "<figure></figure>"),
            ('<figure data-photo="05"></figure>', "<figure></figure>"),
            (
                '<figure data-photo="5" data-size="huge"></figure>',
                '<figure data-photo="5"></figure>',
            ),
            (
                '<figure data-photo="5" data-src="https://evil.example/x.jpg"></figure>',
                '<figure data-photo="5"></figure>',
            ),
            (
                '<figure data-photo="5" data-caption="&quot;><script>alert(1)</script>"></figure>',
                '<figure data-photo="5" data-caption="&quot;>"></figure>',
            ),
            ('<div data-gallery="" onmouseover="alert(1)">x</div>', '<div data-gallery="">x</div>'),
            ('<div data-gallery="yes">x</div>', "x"),
            ('<div class="wrapper"><p>Kept text</p></div>', "<p>Kept text</p>"),
        ],
    )
    def test_the_sanitizer_drops_what_is_not_a_reference(self, hostile, kept):
        assert clean_body(hostile) == kept

    def test_the_photos_of_a_body_in_order_once_each(self):
        body = clean_body(
            '<figure data-photo="7"></figure><p>x</p><div data-gallery="">'
            '<figure data-photo="3"></figure><figure data-photo="7"></figure></div>'
        )
        assert body_photos.photo_ids(body) == [7, 3]


class TestTheReaderPage:
    def test_a_reference_is_shown_as_a_figure_with_picture_caption_and_credit(self, client):
        photo = small_photo()
        story = make_article(body=f"<p>Before.</p>{reference(photo, size='wide')}<p>After.</p>")

        page = client.get(story.get_absolute_url())

        assert page.status_code == 200
        body = story_body(page.text)
        figure = re.search(r'<figure class="body-photo body-photo-wide">(.*?)</figure>', body, re.S)
        assert figure, body
        assert '<source type="image/avif"' in figure[1] and '<source type="image/webp"' in figure[1]
        assert 'alt="Boats in the harbour at dawn"' in figure[1] and 'loading="lazy"' in figure[1]
        assert (
            "<figcaption>Fishing boats leave at first light. "
            '<span class="image-credit">Ana Ruiz/Harbour Press</span></figcaption>'
        ) in figure[1]
        assert "data-photo" not in body
        assert html_problems(page.text) == []

    def test_caption_and_credit_are_shown_as_text(self, client):
        photo = small_photo(
            caption="<script>alert(1)</script>", credit='"><img src=x onerror=alert(2)>'
        )
        story = make_article(body=reference(photo, caption="<b>override</b> &amp; more"))

        page = client.get(story.get_absolute_url())

        body = story_body(page.text)
        assert "&lt;b&gt;override&lt;/b&gt; &amp;amp; more" not in body  # escaped once, not twice
        assert "&lt;b&gt;override&lt;/b&gt; &amp; more" in body
        assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in body
        assert "<script>" not in body
        assert html_problems(page.text) == []

    def test_a_caption_in_the_body_overrides_the_librarys(self, client):
        photo = small_photo()
        story = make_article(body=reference(photo, caption="The same boats, a year later."))
        body = story_body(client.get(story.get_absolute_url()).text)
        assert "The same boats, a year later." in body
        assert "Fishing boats leave at first light." not in body

    def test_a_gallery_is_a_grid_of_figures(self, client):
        photos = [small_photo(caption=f"Boat {n}") for n in range(3)]
        gallery = "".join(reference(photo) for photo in photos)
        story = make_article(body=f'<div data-gallery="">{gallery}</div>')

        body = story_body(client.get(story.get_absolute_url()).text)

        grid = re.search(r'<div class="body-gallery">(.*)</div>', body, re.S)
        assert grid, body
        assert grid[1].count('<figure class="body-photo">') == 3
        assert [f"Boat {n}" for n in range(3)] == re.findall(r"<figcaption>(Boat \d)", grid[1])

    def test_a_reference_to_a_missing_photo_shows_nothing(self, client):
        photo = small_photo()
        story = make_article(
            body=f'<p>Text.</p><figure data-photo="987654"></figure>{reference(photo)}'
        )
        gone = make_article(body='<div data-gallery=""><figure data-photo="987655"></figure></div>')

        page = client.get(story.get_absolute_url())
        empty = client.get(gone.get_absolute_url())

        assert page.status_code == 200 and empty.status_code == 200
        assert story_body(page.text).count("<figure") == 1
        assert "<figure" not in story_body(empty.text) and "body-gallery" not in empty.text

    def test_three_photos_cost_what_one_does(self, client):
        """Every photo of the body is read at once, with its stored renditions."""

        def queries(body):
            story = make_article(body=body)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(story.get_absolute_url()).status_code == 200
            return len(captured)

        photos = [small_photo() for _ in range(3)]
        queries("<p>A first page, to read what every page reads once.</p>")
        none = queries("<p>No photo.</p>")
        one = queries(reference(photos[0]))
        gallery = f'<div data-gallery="">{reference(photos[1])}{reference(photos[2])}</div>'
        three = queries(reference(photos[0]) + gallery)
        assert three == one == none + 2  # the photos, their renditions

    def test_the_page_forgets_the_story_when_a_body_photos_credit_changes(self, client, on_commit):
        photo = small_photo(credit="Old Credit")
        story = make_article(body=reference(photo))
        url = story.get_absolute_url()
        assert "Old Credit" in client.get(url).text
        with CaptureQueriesContext(connection) as cached:
            assert "Old Credit" in client.get(url).text
        assert len(cached) == 0  # served from the page cache

        with on_commit():
            photo.credit = "Fixed Credit"
            photo.save()

        text = client.get(url).text
        assert "Fixed Credit" in text and "Old Credit" not in text

    def test_the_feed_carries_the_figures_with_absolute_addresses(self, client, settings):
        photo = small_photo()
        make_article(body=reference(photo))

        feed = client.get("/feed/").text

        assert "Ana Ruiz/Harbour Press" in feed
        addresses = re.findall(r'(?:src|srcset)="(.*?)"', feed)
        assert addresses
        for address in addresses:
            for entry in address.split(", "):
                assert entry.startswith(settings.SITE_URL), entry


class TestWhichPhotosABodyHolds:
    def test_rows_follow_the_body(self):
        first, second, third = small_photo(), small_photo(), small_photo()
        story = make_article(body=reference(first) + reference(second))
        assert set(story.body_photos.values_list("photo", flat=True)) == {first.pk, second.pk}

        story.body = f'<div data-gallery="">{reference(second)}{reference(third)}</div>'
        story.save()
        assert set(story.body_photos.values_list("photo", flat=True)) == {second.pk, third.pk}

        story.body = "<p>No photos now.</p>"
        story.save()
        assert not BodyPhoto.objects.filter(article=story).exists()

    def test_a_reference_to_a_missing_photo_gets_no_row(self):
        story = make_article(body='<figure data-photo="424242"></figure>')
        assert not story.body_photos.exists()

    def test_a_photo_used_in_a_body_cannot_be_deleted(self):
        photo = small_photo()
        story = make_article(body=reference(photo))

        with pytest.raises(ProtectedError):
            photo.delete()
        assert type(photo).objects.filter(pk=photo.pk).exists()

        story.body = "<p>The photo is gone from the text.</p>"
        story.save()
        photo.delete()
        assert not type(photo).objects.filter(pk=photo.pk).exists()

    def test_the_admin_refuses_to_delete_a_photo_a_body_shows(self, admin_client):
        photo = small_photo()
        story = make_article(headline="Cranes over the quay", body=reference(photo))
        url = reverse("admin:photos_photo_delete", args=[photo.pk])

        page = admin_client.post(url, {"post": "yes"})

        assert page.status_code == 200
        assert "Cranes over the quay" in page.text  # named as what protects it
        assert type(photo).objects.filter(pk=photo.pk).exists()
        assert story.body_photos.filter(photo=photo).exists()

    def test_deleting_the_story_frees_its_photos(self):
        photo = small_photo()
        make_article(body=reference(photo)).delete()
        photo.delete()
        assert not type(photo).objects.filter(pk=photo.pk).exists()


class TestTheEditor:
    def test_the_story_form_tells_the_editor_where_the_library_is(self, editor):
        photo = small_photo()
        story = make_article(body=reference(photo))

        page = editor.get(reverse("admin:articles_article_change", args=[story.pk]))

        assert page.status_code == 200
        textarea = re.search(r'<textarea name="body"[^>]*>', page.text)[0]
        assert f'data-photo-upload="{reverse("admin:photos_photo_upload")}"' in textarea
        assert f'data-photo-choose="{reverse("admin:photos_photo_choose")}"' in textarea
        known = json.loads(unescape(re.search(r'data-body-photos="([^"]*)"', textarea)[1]))
        assert known == [
            {
                "id": photo.pk,
                "thumbnail": renditions.thumbnail_url(photo),
                "alt_text": photo.alt_text,
                "caption": photo.caption,
            }
        ]

    def test_the_editor_never_asks_for_an_image_address(self):
        scripts = {}
        for path in ("admin-editor/editor.js", "admin-editor/body-photos.js"):
            with open(finders.find(path)) as source:
                scripts[path] = source.read()
            assert "prompt(" not in scripts[path] and "https://" not in scripts[path], path
        formats = re.search(r"const FORMATS = \[(.*?)\];", scripts["admin-editor/editor.js"])
        assert '"image"' not in formats[1]  # so a pasted <img> from elsewhere is dropped

    def test_a_story_showing_an_undescribed_photo_cannot_be_published(self):
        photo = small_photo(alt_text="", title="Crane at night")
        story = make_article(status=Article.Status.DRAFT, body=reference(photo))
        story.full_clean()  # a draft may hold it

        story.status = Article.Status.PUBLISHED
        with pytest.raises(ValidationError) as refused:
            story.full_clean()
        assert "“Crane at night”" in refused.value.message_dict["body"][0]

        photo.decorative = True
        photo.save()
        story.full_clean()

    def test_a_revision_diff_shows_a_photo_added_or_changed(self):
        before = "<p>Text.</p>"
        after = '<p>Text.</p><figure data-photo="12" data-size="wide" data-caption="Dusk"></figure>'
        diff = str(text_diff.diff_body(before, after))
        assert "[Photo 12: wide, Dusk]" in diff and "<ins" in diff

    def test_the_admin_shows_a_submitted_story_with_its_photos(self, writer):
        photo = small_photo()
        story = make_article(
            status=Article.Status.REVIEW, created_by=writer.user, body=reference(photo)
        )

        page = writer.get(reverse("admin:articles_article_change", args=[story.pk]))

        assert page.status_code == 200
        assert '<figure class="body-photo"><picture>' in page.text
        assert "Ana Ruiz/Harbour Press" in page.text
