"""Every real export of tests/fixtures/wordpress-real (WordPress's own test data) imported.

The expected numbers are read from each XML file here, with the standard
library's parser, not copied from the importer's output: what the file holds is
what must arrive (or be skipped with a reason), as WordPress's importer
(phpunit/tests/*.php) takes it. A file WordPress's parsers refuse is refused,
naming the line and column expat names, and nothing is stored.
"""

import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from io import StringIO
from xml.parsers import expat

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag

from articles.models import Article, Person
from comments.models import Comment
from pages.models import Page, Redirect
from tests.wordpress_exports import REAL_EXPORTS
from wordpress.models import Attachment, ImportedObject

pytestmark = pytest.mark.django_db

FIXTURES = REAL_EXPORTS
EXPORTS = sorted(FIXTURES.glob("*.xml"))
WP = re.compile(r"\{https?://wordpress\.org/export/1\.[012]/\}(.+)")
MODELS = [Article, Page, Person, Tag, Comment, Attachment, Redirect, ImportedObject]


def run_import(path):
    """The command's summary. It runs on a copy: the list of posts that lost something
    in cleaning is written next to the export."""
    out = StringIO()
    with tempfile.TemporaryDirectory() as folder:
        call_command("import_wordpress", shutil.copy(path, folder), stdout=out)
    return out.getvalue()


def wp_fields(element):
    """The WordPress-namespace children of ``element``: local name → text (first wins)."""
    fields = {}
    for child in element:
        match = WP.fullmatch(child.tag)
        if match:
            fields.setdefault(match.group(1), (child.text or "").strip())
    return fields


def truth(path):
    """What the file holds, counted by ElementTree: items by post type, logins, comments."""
    root = ET.parse(path).getroot()  # noqa: S314 (WordPress's own test data)
    channel = root.find("channel")
    kinds, logins, comments = {}, set(), 0
    for element in channel:
        if WP.fullmatch(element.tag) and WP.fullmatch(element.tag).group(1) == "author":
            logins.add(wp_fields(element).get("author_login", ""))
        if element.tag != "item":
            continue
        fields = wp_fields(element)
        kind = fields.get("post_type", "")
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "post":
            comments += sum(
                1 for c in element if WP.fullmatch(c.tag) and c.tag.endswith("}comment")
            )
    version = wp_fields(channel).get("wxr_version", "")
    return {"kinds": kinds, "logins": logins, "comments": comments, "version": version}


def expat_error(path):
    """(line, column) where expat stops reading ``path``, or None when it reads it whole."""
    parser = expat.ParserCreate()
    try:
        with open(path, "rb") as file:
            parser.ParseFile(file)
    except expat.ExpatError as error:
        return error.lineno, error.offset
    return None


@pytest.mark.parametrize("path", EXPORTS, ids=[path.name for path in EXPORTS])
def test_every_export_is_imported_whole_or_refused_with_nothing_stored(path):
    broken = expat_error(path)
    if broken is not None:
        line, column = broken
        with pytest.raises(CommandError, match=rf"at line {line}, column {column}\b"):
            run_import(path)
        assert all(model.objects.count() == 0 for model in MODELS)
        return
    facts = truth(path)
    if facts["version"] not in ("1.0", "1.1", "1.2"):
        with pytest.raises(CommandError, match="wxr_version|only WXR 1.0, 1.1, 1.2"):
            run_import(path)
        assert all(model.objects.count() == 0 for model in MODELS)
        return
    summary = run_import(path)
    kinds = facts["kinds"]
    assert Article.objects.count() == kinds.get("post", 0), summary
    pages_skipped = summary.count("pages: another page is already at")
    assert Page.objects.count() + pages_skipped == kinds.get("page", 0), summary
    assert Attachment.objects.count() == kinds.get("attachment", 0), summary
    # Every listed author is a person (WordPress creates each login), by their display name.
    imported_people = ImportedObject.objects.filter(kind="author").count()
    assert imported_people == len(facts["logins"] - {""}), summary
    stored = Comment.objects.count()
    assert stored <= facts["comments"], summary
    if stored < facts["comments"]:
        assert "comments:" in summary and "skipped" in summary
    # Whatever else the file holds (menus, templates) is named in the summary.
    for kind, n in kinds.items():
        if kind not in ("post", "page", "attachment", "wp_block"):
            assert f"{n} {kind or 'item'}: not imported" in summary, summary


def test_the_theme_unit_test_data_accounts_for_its_186_items():
    path = FIXTURES / "theme-unit-test-data.xml"
    kinds = truth(path)["kinds"]
    assert sum(kinds.values()) == 186  # what WordPress's importer imports of it
    summary = run_import(path)
    imported = Article.objects.count() + Page.objects.count() + Attachment.objects.count()
    assert imported + kinds["nav_menu_item"] == 186
    assert f"{kinds['nav_menu_item']} nav_menu_item: not imported" in summary
    # Bylines are display names (there are no author ids), and a stray "themereviewteam>"
    # in a dc:creator is that author, as WordPress's sanitize_user makes it.
    assert Person.objects.filter(name="Theme Reviewer").exists()
    assert not Person.objects.filter(name__in=["themereviewteam", "themereviewteam>"]).exists()
    # The page whose link has two slashes lives at its one-slash path.
    assert Page.objects.filter(path__startswith="/greek/").exists()
    again = run_import(path)
    assert " created" not in again and " updated" not in again


def test_authors_without_ids_keep_their_names_and_bios():
    run_import(FIXTURES / "64-block-test-data.xml")
    names = set(Person.objects.values_list("name", flat=True))
    assert names == {"Theme Buster", "Theme Reviewer"}
    assert set(Person.objects.values_list("bio", flat=True)) == {
        "I am a tester by day and developer by night."
    }
    for article in Article.objects.all():
        assert article.credits.get().person.name in names


def test_posts_without_ids_stay_apart():
    path = FIXTURES / "theme-preview.xml"
    assert truth(path)["kinds"]["post"] == 7
    run_import(path)
    assert Article.objects.count() == 7
    run_import(path)
    assert Article.objects.count() == 7


def test_two_wordpress_com_blogs_import_side_by_side(tmp_path, client):
    first = FIXTURES / "themeunittestdata.wordpress.xml"
    text = first.read_text()
    assert text.count("<wp:base_site_url>https://wordpress.com/</wp:base_site_url>") == 1
    second = tmp_path / "another-blog.wordpress.xml"
    second.write_text(text.replace("wpthemetestdata.wordpress.com", "anotherblog.wordpress.com"))
    posts = truth(first)["kinds"]["post"]
    run_import(first)
    summary = run_import(second)
    assert f"posts:        {posts} created" in summary
    assert Article.objects.count() == 2 * posts
    sites = set(ImportedObject.objects.values_list("site", flat=True))
    assert sites == {"wpthemetestdata.wordpress.com", "anotherblog.wordpress.com"}


def test_what_wordpress_answers_at_that_we_do_not_have_moves_on(client):
    run_import(FIXTURES / "wxr-simple.xml")
    root = "/path/"
    for old in ("category/uncategorized/", "category/uncategorized/feed/", "comments/feed/"):
        assert Redirect.objects.filter(old_path=f"{root}{old}").exists(), old
