"""``manage.py import_wordpress``: what a realistic export becomes in the database.

The export (tests/fixtures/wordpress/export.xml) is written the way WordPress
6.x writes one: items out of id order, terms listed twice, a child category
before its parent, drafts with zero dates, nested and out-of-order comments,
pingbacks, private, password-protected, scheduled and trashed posts, unicode
slugs, CDATA with HTML, shortcodes, blocks and a reusable block.
"""

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult
from taggit.models import Tag

from articles.models import Article, Credit, Person, Section
from comments.models import Comment
from embeds.models import Embed
from embeds.tasks import fetch_embed
from pages.models import Page, Redirect
from wordpress.models import Attachment, ImportedObject

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "fixtures" / "wordpress" / "export.xml"
MODELS = [Article, Person, Section, Tag, Comment, Credit, Page, Redirect, Attachment]


def run_import(path=EXPORT, *options):
    out = StringIO()
    call_command("import_wordpress", str(path), *options, stdout=out)
    return out.getvalue()


def imported(kind, wp_id):
    return ImportedObject.objects.get(kind=kind, wp_id=wp_id).content_object


def post(wp_id):
    return imported("post", wp_id)


def changed_export(tmp_path, *replacements):
    text = EXPORT.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "newer.xml"
    path.write_text(text)
    return path


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def summary():
    return run_import()


def test_statuses_dates_and_flags_follow_wordpress(summary):
    expected = {
        10: ("published", datetime(2023, 11, 5, 14, 30, tzinfo=UTC)),
        11: ("published", datetime(2023, 11, 7, 2, 30, tzinfo=UTC)),
        12: ("published", datetime(2023, 11, 8, 12, 0, tzinfo=UTC)),
        14: ("published", datetime(2099, 1, 15, 14, 0, tzinfo=UTC)),  # future: scheduled
        15: ("draft", None),  # a zero post_date_gmt
        16: ("review", None),
        17: ("unpublished", datetime(2023, 11, 10, 12, 0, tzinfo=UTC)),  # private
        18: ("unpublished", datetime(2023, 11, 11, 12, 0, tzinfo=UTC)),  # password
        19: ("unpublished", datetime(2023, 10, 1, 12, 0, tzinfo=UTC)),  # trash
    }
    for wp_id, (status, published_at) in expected.items():
        article = post(wp_id)
        assert (wp_id, article.status, article.published_at) == (wp_id, status, published_at)
    assert Article.objects.count() == len(expected)
    assert post(14).is_scheduled
    assert set(Article.objects.published()) == {post(10), post(11), post(12)}
    assert post(10).is_sticky and not post(12).is_sticky
    assert post(10).comments_open and not post(12).comments_open
    # post_modified_gmt is kept as the story's last modification.
    assert post(10).modified_at == datetime(2023, 11, 6, 13, 0, tzinfo=UTC)


def test_titles_slugs_and_excerpts_are_decoded(summary):
    assert post(11).slug == "日本の港"
    assert post(11).headline == "日本の港が再開"
    assert post(12).headline == "Second harbour story: boats & bridges"
    assert post(10).dek == "The harbour is open again – three weeks after the storm."
    assert post(15).slug == "draft-ferry-timetable"  # no post_name: from the title
    assert post(19).slug == "old-story"  # WordPress's "__trashed" suffix dropped


def test_authors_categories_and_tags(summary):
    assert {(p.name, p.slug) for p in Person.objects.all()} == {
        ("Jane Doe", "jane-doe"),
        ("Zoë Åberg", "zoe-aberg"),
    }
    # Listed twice, child first, entities decoded; WordPress's "Uncategorized" left out.
    assert {(s.name, s.slug, s.description) for s in Section.objects.all()} == {
        ("News", "news", ""),
        ("World & Politics", "world-politics", "Beyond the harbour & the town hall."),
    }
    assert {(t.name, t.slug) for t in Tag.objects.all()} == {
        ("Harbour", "harbour"),
        ("日本", "日本"),
        ("Café & culture", "cafe-culture"),
    }
    # The primary category chosen in Yoast wins over the first one listed.
    assert post(10).section.slug == "world-politics"
    assert post(12).section.slug == "news"  # its terms are listed three times
    assert post(15).section is None  # only in Uncategorized
    assert set(post(10).tags.names()) == {"Harbour", "Café & culture"}
    assert list(post(11).tags.names()) == ["日本"]
    assert [c.person.name for c in post(10).credits.bylines()] == ["Jane Doe"]
    assert [c.person.name for c in post(11).credits.bylines()] == ["Zoë Åberg"]


def test_featured_image_becomes_the_lead_image_and_attachments_are_kept(summary):
    article = post(10)
    assert article.lead_image_url == (
        "https://oldnews.example.com/wp-content/uploads/2023/11/harbour.jpg"
    )
    assert article.lead_image_alt == "Fishing boats moored in the harbour"
    assert article.lead_image_caption == "Fishing boats return at dawn. Photo: Ana Ruiz & crew"
    assert post(12).lead_image_url == ""
    assert {(a.wp_id, a.parent_wp_id, a.mime_type) for a in Attachment.objects.all()} == {
        (41, 10, "image/jpeg"),
        (42, 11, "image/jpeg"),
    }


def test_content_is_formatted_as_wordpress_showed_it_and_sanitized(summary):
    body = post(10).body
    assert body.startswith(
        "<p>The harbour reopened on Sunday, <strong>three weeks</strong> after the storm.<br>\n"
        "Fishermen were back before dawn.</p>\n<p>Officials said repairs would continue"
    )
    assert "<figcaption>Boats waiting to go out, on Sunday.</figcaption></figure>" in body
    # Addresses alone on their line are embeds, as when a story is saved (issue 17).
    embeds = {embed.url: embed.pk for embed in Embed.objects.all()}
    for address in (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
        "https://vimeo.com/76979871",
    ):
        assert f'<figure data-embed="{embeds[address]}"></figure>' in body
    # The gallery, in its order, linked to the files as link="file" asked.
    assert body.index("port.jpg") < body.rindex("harbour.jpg")
    assert "<figcaption>The port of Kobe, Japan.</figcaption>" in body
    assert (
        f'<figure data-embed="{embeds["https://www.youtube.com/embed/abc123"]}"></figure>' in body
    )
    assert "<p>[caption] is how you write a caption shortcode.</p>" in body
    for hostile in ("<script", "stolen cookies", "javascript:", "onclick", "<iframe", "more"):
        assert hostile not in body
    blocks = post(11).body
    assert "wp:" not in blocks and "<!--" not in blocks
    assert "<p>Ports in <em>Japan</em> reopened too.</p>" in blocks
    assert f'<figure data-embed="{embeds["https://youtu.be/xyz789"]}"></figure>' in blocks
    fetches = DBTaskResult.objects.filter(task_path=fetch_embed.module_path)
    assert sorted(job.args_kwargs["args"][0] for job in fetches) == sorted(embeds.values())
    assert "<p>Sign up for our <strong>newsletter</strong>.</p>" in blocks  # the reusable block


def test_comments_keep_threads_statuses_kinds_and_details(summary, mailoutbox):
    comments = {c.pk: c for c in Comment.objects.all()}
    by_wp = {
        row.wp_id: comments[row.object_id] for row in ImportedObject.objects.filter(kind="comment")
    }
    assert {wp_id: (c.kind, c.status) for wp_id, c in by_wp.items()} == {
        101: ("comment", "approved"),
        102: ("comment", "approved"),
        103: ("comment", "approved"),
        104: ("comment", "pending"),
        105: ("comment", "spam"),
        106: ("comment", "trash"),
        107: ("pingback", "approved"),
        108: ("trackback", "approved"),
        109: ("comment", "approved"),
        110: ("comment", "trash"),  # post-trashed
    }
    # 103 answers 102, which the file lists after it.
    assert by_wp[103].parent == by_wp[102] and by_wp[102].parent == by_wp[101]
    assert by_wp[101].parent is None
    maria = by_wp[101]
    assert (maria.author_name, maria.author_email, maria.author_url, maria.ip_address) == (
        "Maria Lopez",
        "maria@example.net",
        "https://maria.example.net",
        "203.0.113.5",
    )
    assert maria.created_at == datetime(2023, 11, 5, 16, 0, tzinfo=UTC)
    assert by_wp[103].ip_address == "2001:db8::7"
    assert by_wp[109].ip_address is None  # "not-an-ip"
    assert by_wp[109].body == (
        "I love this harbour (https://harbour.example.org/history) & its cafés.\n\n"
        "Second paragraph, with a  surprise."
    )
    assert by_wp[107].author_name == "Another Blog » Harbour news"
    assert by_wp[102].is_staff_reply and not by_wp[101].is_staff_reply  # Jane is an author
    assert by_wp[110].article == post(19)
    # Approved reader comments only: pingbacks, trackbacks, pending, spam and trash do not count.
    assert post(10).comment_count == 4
    # Decade-old replies are not news to anyone: no e-mail, and none later either.
    assert mailoutbox == []
    assert all(c.reply_announced for c in comments.values())


def test_pages_keep_their_paths_and_parents(summary):
    about, team, contact = (imported("page", wp_id) for wp_id in (2, 3, 22))
    assert (about.path, about.status, about.parent) == ("/about/", "published", None)
    assert (team.path, team.status, team.parent) == ("/about/team/", "published", about)
    assert team.title == "Our team"
    # A draft had no address in WordPress (?page_id=22): it goes under its slug.
    assert (contact.path, contact.status) == ("/contact/", "draft")
    assert "<h2>Since 1998</h2>\n<p>The Gazette covers the harbour &amp; the town.</p>" in (
        about.body
    )


def test_summary_counts_and_explains_what_was_skipped(summary):
    assert "posts:        9 created" in summary
    assert "comments:     10 created" in summary
    assert "pages:        3 created" in summary
    assert "1 nav_menu_item: not imported" in summary
    assert "1 revision: not imported" in summary
    assert "1 comments: type 'order_note' (a plugin's) is not imported" in summary
    assert "1 comments: on a page: pages have none here" in summary
    assert "Reading authors, categories, tags and media…" in summary  # progress


def test_importing_the_same_export_twice_changes_nothing(summary):
    before = row_counts()
    post(12).__class__.objects.filter(pk=post(12).pk).update(headline="Edited here")
    again = run_import()
    assert row_counts() == before
    assert " created" not in again and " updated" not in again
    assert "posts:        9 unchanged" in again
    # Drafts, private and scheduled posts have none: a redirect would give their address away.
    assert "redirects:    34 unchanged" in again
    # An unchanged WordPress post does not overwrite what editors changed here.
    assert post(12).headline == "Edited here"


def test_a_newer_export_updates_what_changed(summary, tmp_path):
    newer = changed_export(
        tmp_path,
        ("Harbour reopens after the storm]]></title>", "Harbour reopens, at last]]></title>"),
        ("<wp:comment_approved><![CDATA[0]]>", "<wp:comment_approved><![CDATA[1]]>"),
        (
            "<wp:comment_id>111</wp:comment_id>",
            "<wp:comment_id>112</wp:comment_id>",
        ),
        ("[CDATA[order_note]]", "[CDATA[comment]]"),
    )
    before = row_counts()
    output = run_import(newer)
    assert post(10).headline == "Harbour reopens, at last"
    assert "posts:        1 updated, 8 unchanged" in output
    assert "comments:     1 created, 1 updated, 9 unchanged" in output
    assert row_counts()["Comment"] == before["Comment"] + 1
    assert row_counts()["Article"] == before["Article"]
    assert post(10).comment_count == 6  # the approved question and the new comment


def test_a_changed_slug_keeps_every_old_address_working(summary, tmp_path, client):
    first_url = post(12).get_absolute_url()
    newer = changed_export(
        tmp_path,
        (
            "<wp:post_name><![CDATA[second-harbour-story]]>",
            "<wp:post_name><![CDATA[boats-and-bridges]]>",
        ),
    )
    run_import(newer)
    new_url = post(12).get_absolute_url()
    assert new_url == "/2023/11/08/boats-and-bridges/"
    for old in (first_url, "/2023/11/second-harbour-story/", "/?p=12"):
        response = client.get(old)
        assert (old, response.status_code, response["Location"]) == (old, 301, new_url)


def test_what_editors_deleted_here_stays_deleted(summary):
    post(16).delete()
    output = run_import()
    assert not Article.objects.filter(slug="council-budget").exists()
    assert "1 posts: deleted here after an earlier import; left deleted" in output


def test_dry_run_saves_nothing():
    output = run_import(EXPORT, "--dry-run")
    assert "posts:        9 created" in output
    assert "Dry run: nothing was saved." in output
    assert all(count == 0 for count in row_counts().values())
    assert ImportedObject.objects.count() == 0


def test_a_truncated_export_is_refused_naming_the_line_and_imports_nothing(tmp_path):
    text = EXPORT.read_text()
    cut = text.index("<wp:post_id>17</wp:post_id>")  # well into the posts
    truncated = tmp_path / "export.xml"
    truncated.write_text(text[:cut])
    last_line = text[:cut].count("\n") + 1
    with pytest.raises(CommandError) as refused:
        run_import(truncated)
    message = str(refused.value)
    assert message.startswith(f"{truncated} is not a complete WordPress export: ")
    assert f"at line {last_line}, column" in message
    assert "Nothing was imported" in message
    assert all(count == 0 for count in row_counts().values())
    assert ImportedObject.objects.count() == 0


def test_a_malformed_export_is_refused_with_the_line_of_the_error(tmp_path):
    text = EXPORT.read_text()
    broken = text.replace("<wp:post_name><![CDATA[staff-memo]]></wp:post_name>", "<wp:post_name>")
    path = tmp_path / "broken.xml"
    path.write_text(broken)
    # The parser notices at the item's end, where </wp:post_name> was due.
    line = broken[: broken.index("</item>", broken.index("<wp:post_name>\n"))].count("\n") + 1
    with pytest.raises(CommandError, match=rf"mismatched tag at line {line}, column"):
        run_import(path)
    assert Article.objects.count() == 0


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("<html><body>Not an export</body></html>", "its root element is <html>, not <rss>"),
        ('<rss version="2.0"><channel><title>Feed</title></channel></rss>', "no <wp:wxr_version>"),
        (
            '<rss xmlns:wp="http://wordpress.org/export/1.0/"><channel>'
            "<wp:wxr_version>0.9</wp:wxr_version><item/></channel></rss>",
            "it is WXR 0.9, and only WXR 1.0, 1.1, 1.2 are read",
        ),
    ],
)
def test_what_is_not_a_wordpress_export_is_refused(tmp_path, document, reason):
    path = tmp_path / "export.xml"
    path.write_text(document)
    with pytest.raises(CommandError, match=reason):
        run_import(path)


def test_a_missing_file_is_named():
    with pytest.raises(CommandError, match="nope.xml is not a file"):
        run_import(Path("nope.xml"))


def test_existing_sections_people_and_tags_are_matched_not_duplicated():
    news = Section.objects.create(name="Local news", slug="news", description="Ours.")
    jane = Person.objects.create(name="Jane Doe", slug="jane-doe", title="Editor")
    Tag.objects.create(name="harbour", slug="harbour-1")
    output = run_import()
    assert "categories:   1 created, 1 matched to an existing one" in output
    assert Section.objects.get(slug="news") == news
    assert Section.objects.get(slug="news").description == "Ours."  # left as editors had it
    assert imported("author", 2) == jane
    assert Tag.objects.filter(name__iexact="harbour").count() == 1
    assert post(12).section == news


def test_another_sites_export_is_kept_apart(summary, tmp_path):
    other = changed_export(
        tmp_path,
        (
            "<wp:base_blog_url>https://oldnews.example.com</wp:base_blog_url>",
            "<wp:base_blog_url>https://sister.example.org</wp:base_blog_url>",
        ),
    )
    run_import(other)
    assert Article.objects.count() == 18
    assert Article.objects.filter(slug__startswith="harbour-reopens-after-the-storm").count() == 2
    assert (
        ImportedObject.objects.filter(
            site="sister.example.org", content_type=ContentType.objects.get_for_model(Article)
        ).count()
        == 9
    )
