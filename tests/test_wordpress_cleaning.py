"""What the import cannot keep of a post is said, post by post (wordpress/losses.py),
and players become links to what they played instead of vanishing."""

import csv
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command

from tests.wordpress_exports import REAL_EXPORTS
from wordpress.content import render
from wordpress.losses import Cleaning
from wordpress.models import ImportedObject

FIXTURES = REAL_EXPORTS
WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
# A player's file in the export: a <video>/<audio> src, or a media shortcode's.
PLAYER_FILE = re.compile(
    r"<(?:video|audio)\b[^>]*?\ssrc=\"(https?://[^\"]+)\""
    r"|\[(?:video|audio)\b[^\]]*?(?:src|mp3|mp4)=\"(https?://[^\"]+)\""
    r"|\[audio (https?://[^\s\]]+)\]"
)


@dataclass
class File:
    wp_id: int
    url: str
    mime_type: str
    alt_text: str = ""
    caption: str = ""

    @property
    def is_image(self):
        return self.mime_type.startswith("image/")


class Attached:
    def __init__(self, *files):
        self.files = files

    def by_ids(self, ids):
        return [f for i in ids for f in self.files if f.wp_id == i]

    def attached_to(self, post_id):
        return list(self.files)


NOTHING_ATTACHED = Attached()


def cleaned(text, media=NOTHING_ATTACHED, blocks=None):
    cleaning = Cleaning()
    html = render(text, media=media, post_id=1, reusable_blocks=blocks or {}, cleaning=cleaning)
    return html, cleaning


def test_video_and_audio_blocks_become_links_with_their_captions():
    html, cleaning = cleaned(
        '<!-- wp:video {"id":9} -->\n<figure class="wp-block-video"><video controls '
        'src="https://x.test/clip.mov"></video><figcaption>The harbour</figcaption></figure>\n'
        '<!-- /wp:video -->\n\n<!-- wp:audio -->\n<figure class="wp-block-audio"><audio controls>'
        '<source src="https://x.test/talk.mp3"></audio></figure>\n<!-- /wp:audio -->'
    )
    assert '<a href="https://x.test/clip.mov">' in html
    assert "<figcaption>The harbour</figcaption>" in html
    assert '<a href="https://x.test/talk.mp3">' in html
    assert cleaning.players == {"video": 1, "audio": 1}
    assert not cleaning.missing


def test_a_covers_background_video_is_linked_and_its_text_kept():
    html, cleaning = cleaned(
        '<!-- wp:cover {"backgroundType":"video"} -->\n<div class="wp-block-cover"><video '
        'class="wp-block-cover__video-background" autoplay muted loop playsinline '
        'src="https://x.test/waves.mp4"></video><div class="wp-block-cover__inner-container">'
        "<p>Over the sea</p></div></div>\n<!-- /wp:cover -->"
    )
    assert '<a href="https://x.test/waves.mp4">' in html and "Over the sea" in html
    assert cleaning.players == {"video": 1}


def test_media_shortcodes_without_a_file_use_the_posts_own_and_playlists_list_them():
    media = Attached(
        File(5, "https://x.test/photo.jpg", "image/jpeg"),
        File(6, "https://x.test/song.mp3", "audio/mpeg"),
        File(7, "https://x.test/film.mp4", "video/mp4"),
    )
    html, cleaning = cleaned('[video]\n\n[audio]\n\n[playlist ids="6"]', media)
    assert html.count('<a href="https://x.test/film.mp4">') == 1
    assert html.count('<a href="https://x.test/song.mp3">') == 2
    assert "photo.jpg" not in html
    assert cleaning.players == {"video": 1, "audio": 2}


def test_players_with_no_usable_file_and_missing_pieces_are_reported():
    html, cleaning = cleaned(
        '<video src="ttps://x.test/typo.mov"></video>\n\n[audio]\n\n'
        '[gallery ids="40,41"]\n\n<!-- wp:block {"ref":77} /-->\n\n'
        "<form><input name=q></form><script>track()</script>"
    )
    assert "typo" not in html and "track" not in html
    assert cleaning.missing == {
        "video without a usable file address": 1,
        "audio without a usable file address": 1,
        "gallery whose pictures are not in the export": 1,
        "reusable block not in the export": 1,
    }
    assert cleaning.dropped == {"script": 1, "form": 1, "input": 1}
    assert cleaning.lost().startswith("<form>, <input>, <script>, audio without")


def test_videopress_becomes_a_link_to_its_player():
    html, cleaning = cleaned("[videopress OcobLTqC]")
    assert '<a href="https://videopress.com/v/OcobLTqC">' in html
    assert cleaning.players == {"video": 1}


def player_files_by_post(export):
    """What the export itself says: each post's or page's player files, in its content."""
    found = {}
    for _, element in ET.iterparse(export):  # noqa: S314 (WordPress's own sample files)
        if element.tag != "item":
            continue
        if element.findtext(f"{WP}post_type") in ("post", "page"):
            files = [
                next(url for url in match.groups() if url)
                for match in PLAYER_FILE.finditer(element.findtext(CONTENT) or "")
            ]
            if files:
                kind = element.findtext(f"{WP}post_type")
                found[(kind, int(element.findtext(f"{WP}post_id")))] = files
        element.clear()
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["64-block-test-data.xml", "a11y-unit-test-data.xml"])
def test_every_player_of_the_sample_sites_is_a_link_and_counted(name, tmp_path):
    export = shutil.copy(FIXTURES / name, tmp_path / name)
    out = StringIO()
    call_command("import_wordpress", str(export), stdout=out)
    expected = player_files_by_post(export)
    assert expected, "the sample site has players"
    for (kind, wp_id), files in expected.items():
        row_kind = ImportedObject.Kind.POST if kind == "post" else ImportedObject.Kind.PAGE
        body = ImportedObject.objects.get(kind=row_kind, wp_id=wp_id).content_object.body
        for url in files:
            assert f'<a href="{url}">' in body, (wp_id, url)
    total = sum(len(files) for files in expected.values())
    played = re.search(r"players: +(?:(\d+) audio)?(?:, )?(?:(\d+) video)?", out.getvalue())
    assert sum(int(n or 0) for n in played.groups()) == total


def write_export(path, *bodies):
    items = "".join(
        f"<item><title>Post {n}</title><link>https://old.test/post-{n}/</link>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>{n}</wp:post_id>"
        f"<wp:post_name>post-{n}</wp:post_name><wp:status>publish</wp:status>"
        "<wp:post_type>post</wp:post_type></item>"
        for n, body in enumerate(bodies, start=1)
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" ?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Old</title>'
        "<link>https://old.test</link><wp:wxr_version>1.2</wp:wxr_version>"
        "<wp:base_site_url>https://old.test</wp:base_site_url>"
        f"<wp:base_blog_url>https://old.test</wp:base_blog_url>{items}</channel></rss>"
    )
    return path


@pytest.mark.django_db
def test_posts_that_lost_something_are_listed_in_a_csv_next_to_the_export(tmp_path):
    export = write_export(
        tmp_path / "site.xml",
        "<p>Sign up:</p><form><input name=email><button>Go</button></form>",
        "<p>Nothing <del>lost</del> here.</p>",
        '<p>Chart</p><script>draw()</script><object data="x.swf"></object>',
    )
    out = StringIO()
    call_command("import_wordpress", str(export), stdout=out)
    listing = tmp_path / "site-cleaning.csv"
    with listing.open(newline="") as rows:
        rows = list(csv.DictReader(rows))
    assert [(r["wordpress_id"], r["lost"]) for r in rows] == [
        ("1", "<button>, <form>, <input>"),
        ("3", "<object>, <script>"),
    ]
    assert rows[0]["old_address"] == "https://old.test/post-1/"
    summary = out.getvalue()
    assert "cleaning:     2 posts lost something" in summary
    assert f"list: {listing}" in summary


@pytest.mark.django_db
def test_no_list_is_written_when_nothing_was_lost(tmp_path):
    export = write_export(tmp_path / "clean.xml", "<p><s>Nothing</s> lost.</p>")
    out = StringIO()
    call_command("import_wordpress", str(export), stdout=out)
    assert not (tmp_path / "clean-cleaning.csv").exists()
    assert "cleaning:" not in out.getvalue()


@pytest.mark.django_db
def test_a_title_is_no_formula_in_the_list(tmp_path):
    export = write_export(tmp_path / "f.xml", "<form></form>")
    export.write_text(export.read_text().replace("<title>Post 1</title>", "<title>=1+2</title>"))
    call_command("import_wordpress", str(export), stdout=StringIO())
    with (tmp_path / "f-cleaning.csv").open(newline="") as rows:
        assert next(csv.DictReader(rows))["title"] == "'=1+2"
