"""A large export imports in flat memory: nothing kept per item, by the parser or the import."""

import tracemalloc
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from comments.models import Comment
from search.models import SearchDocument
from wordpress import wxr

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Big</title><link>https://{site}.example.com</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://{site}.example.com</wp:base_site_url>
<wp:base_blog_url>https://{site}.example.com</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>ed</wp:author_login>
<wp:author_display_name>Ed Itor</wp:author_display_name></wp:author>
<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>{site}</wp:category_nicename>
<wp:cat_name>{site}</wp:cat_name></wp:category>
"""
COMMENT = """<wp:comment><wp:comment_id>{id}</wp:comment_id>
<wp:comment_author>Reader {id}</wp:comment_author>
<wp:comment_author_email>r{id}@example.com</wp:comment_author_email>
<wp:comment_date_gmt>2023-01-02 10:00:00</wp:comment_date_gmt>
<wp:comment_content>Comment {id}</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent>
</wp:comment>"""
ITEM = """<item><title>Story {n}</title>
<link>https://{site}.example.com/story-{n}/</link><dc:creator>ed</dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_date_gmt>2023-01-01 12:00:00</wp:post_date_gmt>
<wp:post_name>{site}-{n}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="{site}">{site}</category>
{comments}</item>
"""


def write_export(path, posts, comments_per_post=0, body_size=100, site="big"):
    with path.open("w") as export:
        export.write(HEADER.format(site=site))
        for n in range(1, posts + 1):
            comments = "".join(
                COMMENT.format(id=n * 100 + i) for i in range(1, comments_per_post + 1)
            )
            body = f"Paragraph of story {n}. " * (body_size // 20)
            export.write(ITEM.format(n=n, body=body, comments=comments, site=site))
        export.write("</channel></rss>\n")
    return path


def peak_memory_reading(path):
    tracemalloc.start()
    try:
        for _ in wxr.read(path):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_ten_times_more_items_takes_no_more_memory(tmp_path):
    small = write_export(tmp_path / "small.xml", posts=150, comments_per_post=3, body_size=2000)
    large = write_export(tmp_path / "large.xml", posts=1500, comments_per_post=3, body_size=2000)
    assert large.stat().st_size > 9 * small.stat().st_size
    # Kept in memory, the large file's tree would outweigh the file itself; read item by
    # item, both peak at a few parse buffers and one item (give or take allocator noise).
    small_peak, large_peak = peak_memory_reading(small), peak_memory_reading(large)
    assert large_peak < large.stat().st_size / 20
    assert large_peak < small_peak + 500_000


@pytest.mark.django_db
def test_an_import_leaves_no_work_queued_per_post(
    tmp_path, django_capture_on_commit_callbacks, run_tasks
):
    """Work queued for after the commit (by signal handlers) would grow with the export."""
    queued = []
    for site, posts in (("small", 5), ("large", 40)):
        export = write_export(tmp_path / f"{site}.xml", posts, comments_per_post=2, site=site)
        with django_capture_on_commit_callbacks() as callbacks:
            call_command("import_wordpress", str(export), stdout=StringIO())
        queued.append(len(callbacks))
    assert queued[0] == queued[1]
    assert Article.objects.filter(slug__startswith="large-").count() == 40
    assert Comment.objects.filter(status=Comment.Status.APPROVED).count() == 90
    # Stories written without signals are in the search index all the same, once the
    # job each import queued has run.
    assert [job.task_name for job in run_tasks()] == ["index_missing_stories"] * 2
    assert SearchDocument.objects.count() == 45
    assert Article.objects.get(slug="large-7").comment_count == 2
