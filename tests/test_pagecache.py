"""The page cache: anonymous readers get stored pages, and never one older than a change.

Changes are made the way the site makes them (model saves, the admin's actions)
inside ``on_commit()``, which runs the after-commit work that touches the cache
tags (articles/signals.py). A cached answer is recognised by its running no SQL.
"""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import views
from articles.models import Article, RelatedLink
from comments.cookies import PENDING
from comments.models import Comment
from core import pagecache, stamp_stores, stamps
from tests.factories import make_article, make_comment, make_person, make_section

pytestmark = pytest.mark.django_db


def assert_cached(client, url, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    return response


def assert_rendered(client, url):
    """The page comes from the views (some SQL runs)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(queries) > 0, f"{url} came from the cache"
    return response


class TestServedFromTheCache:
    def test_a_second_reader_gets_the_stored_page_without_sql(
        self, client, django_assert_num_queries
    ):
        story = make_article(headline="Harbour reopens", tags=["ports"])
        first = assert_rendered(client, story.get_absolute_url())
        again = assert_cached(client, story.get_absolute_url(), django_assert_num_queries)
        assert again.content == first.content
        assert "Harbour reopens" in again.text

    @pytest.mark.parametrize(
        "url",
        [
            "/",
            "/?page=1",
            "/section/harbour/",
            "/tag/ports/",
            "/author/ann-lee/",
            "/feed/",
            "/feed/atom/",
            "/section/harbour/feed/",
            "/sitemap.xml",
            "/news-sitemap.xml",
            "/corrections/",
        ],
    )
    def test_every_public_listing_is_cached(self, client, url, django_assert_num_queries):
        section = make_section(name="Harbour", slug="harbour")
        make_article(section=section, tags=["ports"], bylines=[make_person(slug="ann-lee")])
        assert_rendered(client, url)
        assert_cached(client, url, django_assert_num_queries)

    def test_date_archives_are_cached(self, client, django_assert_num_queries):
        story = make_article()
        day = timezone.localdate(story.published_at)
        for url in [f"/{day:%Y}/", f"/{day:%Y/%m}/", f"/{day:%Y/%m/%d}/"]:
            assert_rendered(client, url)
            assert_cached(client, url, django_assert_num_queries)

    def test_security_headers_are_on_cached_answers_too(self, client, django_assert_num_queries):
        client.get("/")
        response = assert_cached(client, "/", django_assert_num_queries)
        assert "Content-Security-Policy" in response
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "text/html; charset=utf-8"

    def test_tracking_parameters_share_the_page_and_others_do_not(
        self, client, django_assert_num_queries
    ):
        make_article()
        client.get("/")
        assert_cached(client, "/?utm_source=newsletter&fbclid=abc", django_assert_num_queries)
        assert_rendered(client, "/?page=1")

    def test_search_admin_and_errors_are_never_stored(self, client, rf):
        make_article(headline="Harbour news")
        for url in ["/search/?q=harbour", "/no/such/page/", reverse("admin:login")]:
            response = client.get(url)
            assert cache.get(pagecache.page_key(rf.get(url))) is None, url
            assert "public" not in response["Cache-Control"], url

    def test_the_comment_form_works_from_a_cached_page(self, client, django_assert_num_queries):
        story = make_article()
        client.get(story.get_absolute_url())
        page = assert_cached(client, story.get_absolute_url(), django_assert_num_queries)
        assert 'id="commentform"' in page.text
        assert "csrfmiddlewaretoken" not in page.text
        assert "Set-Cookie" not in page


class TestHttpCaching:
    def test_cached_pages_tell_browsers_and_cdns_how_to_keep_them(self, client):
        make_article()
        response = client.get("/")
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"public", "max-age=0", "s-maxage=10", "stale-while-revalidate=30"} <= directives
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"].endswith("GMT")
        assert "Cookie" not in response.get("Vary", "")

    def test_revalidation_answers_304_without_sql(self, client, django_assert_num_queries):
        story = make_article()
        url = story.get_absolute_url()
        first = client.get(url)
        with django_assert_num_queries(0):
            by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
            by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        assert by_etag.status_code == by_date.status_code == 304
        assert by_etag["ETag"] == first["ETag"]
        assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200

    def test_a_changed_page_is_not_304(self, client, on_commit):
        story = make_article(headline="Before")
        first = client.get(story.get_absolute_url())
        with on_commit():
            story.headline = "After"
            story.save()
        response = client.get(story.get_absolute_url(), headers={"if-none-match": first["ETag"]})
        assert response.status_code == 200 and "After" in response.text


class TestInvalidation:
    def test_a_story_edit_shows_at_once_everywhere_it_appears(self, client, on_commit):
        section = make_section(slug="harbour")
        story = make_article(headline="Old headline", section=section, tags=["ports"])
        pages = [story.get_absolute_url(), "/", "/section/harbour/", "/tag/ports/", "/feed/"]
        for url in pages:
            assert "Old headline" in client.get(url).text
        with on_commit():
            story.headline = "New headline"
            story.save()
        for url in pages:
            text = client.get(url).text
            assert "New headline" in text and "Old headline" not in text, url

    def test_an_unrelated_page_stays_cached(self, client, on_commit, django_assert_num_queries):
        one = make_article(headline="One", section=make_section(), tags=["a"])
        other = make_article(headline="Other", section=make_section(), tags=["b"])
        client.get(other.get_absolute_url())
        client.get(other.section.get_absolute_url())
        with on_commit():
            one.body = "<p>Rewritten.</p>"
            one.save()
            make_comment(one)
        assert_cached(client, other.get_absolute_url(), django_assert_num_queries)
        assert_cached(client, other.section.get_absolute_url(), django_assert_num_queries)

    def test_publishing_adds_the_story_to_every_listing(self, client, on_commit):
        section = make_section(slug="harbour")
        make_article(section=section, tags=["ports"])
        draft = make_article(
            headline="Fresh news", section=section, tags=["ports"], status=Article.Status.DRAFT
        )
        pages = ["/", "/section/harbour/", "/tag/ports/", "/feed/", "/sitemap.xml"]
        for url in pages:
            assert "Fresh news" not in client.get(url).text
        with on_commit():
            draft.status = Article.Status.PUBLISHED
            draft.published_at = timezone.now()
            draft.save()
        for url in pages:
            assert ("Fresh news" in client.get(url).text) or (draft.slug in client.get(url).text), (
                url
            )
        assert client.get(draft.get_absolute_url()).status_code == 200

    def test_unpublishing_removes_it_at_once(self, client, on_commit):
        story = make_article(headline="Withdrawn story", tags=["ports"])
        make_article(headline="Stays", tags=["ports"])
        url = story.get_absolute_url()
        for page in [url, "/", "/tag/ports/"]:
            assert client.get(page).status_code == 200
        with on_commit():
            story.status = Article.Status.UNPUBLISHED
            story.save()
        assert client.get(url).status_code == 404
        for page in ["/", "/tag/ports/", "/feed/"]:
            text = client.get(page).text
            assert "Withdrawn story" not in text and "Stays" in text

    def test_publishing_through_the_admin_bulk_action(self, client, editor, on_commit):
        draft = make_article(headline="Bulk published", status=Article.Status.REVIEW)
        assert "Bulk published" not in client.get("/").text
        with on_commit():
            editor.post(
                reverse("admin:articles_article_changelist"),
                {"action": "publish", "_selected_action": [draft.pk]},
            )
        assert "Bulk published" in client.get("/").text

    def test_a_scheduled_story_appears_when_its_time_comes(self, client, clock, on_commit):
        section = make_section(slug="harbour")
        make_article(headline="Already out", section=section)
        with on_commit():
            scheduled = make_article(
                headline="Scheduled story",
                section=section,
                published_at=timezone.now() + timedelta(minutes=5),
            )
        pages = ["/", "/section/harbour/", "/feed/"]
        clock(seconds=2)  # past the margin: the pages below are stored for good
        for url in pages:
            assert "Scheduled story" not in client.get(url).text
        assert client.get(scheduled.get_absolute_url()).status_code == 404
        clock(minutes=5)
        for url in pages:
            assert "Scheduled story" in client.get(url).text, url
        assert client.get(scheduled.get_absolute_url()).status_code == 200

    def test_a_pages_life_ends_at_the_next_scheduled_publication(self, client):
        make_article(published_at=timezone.now() + timedelta(seconds=30))
        response = client.get("/")
        shared = [d for d in response["Cache-Control"].split(", ") if d.startswith("s-maxage")]
        assert shared and int(shared[0].split("=")[1]) <= 30

    def test_an_approved_comment_shows_on_the_story_and_its_count_on_listings(
        self, client, on_commit
    ):
        story = make_article(headline="Talked about")
        held = make_comment(story, body="Held then approved", status=Comment.Status.PENDING)
        assert "Held then approved" not in client.get(story.get_absolute_url()).text
        assert "1 comment" not in client.get("/").text
        with on_commit():
            held.status = Comment.Status.APPROVED
            held.save()
        assert "Held then approved" in client.get(story.get_absolute_url()).text
        assert "1 comment" in client.get("/").text

    def test_an_approved_comment_renders_the_discussion_again_not_the_story(
        self, client, on_commit, django_assert_max_num_queries
    ):
        story = make_article(tags=["ports"], bylines=[make_person()])
        make_article(tags=["ports"])
        held = make_comment(story, body="Approved later", status=Comment.Status.PENDING)
        client.get(story.get_absolute_url())
        with on_commit():
            held.status = Comment.Status.APPROVED
            held.save()
        # The story (with its credits, tags, corrections and related posts) is kept;
        # only the story's row and its comments are read again.
        with django_assert_max_num_queries(2):
            page = client.get(story.get_absolute_url())
        assert "Approved later" in page.text and "Related Posts" in page.text

    def test_comments_approved_with_the_admin_bulk_action(self, client, moderator, on_commit):
        story = make_article()
        held = [
            make_comment(story, body=f"Bulk {n}", status=Comment.Status.PENDING) for n in range(3)
        ]
        assert "Bulk 0" not in client.get(story.get_absolute_url()).text
        moderator.user.user_permissions.add(*Permission.objects.filter(codename="change_comment"))
        with on_commit():
            response = moderator.post(
                reverse("admin:comments_comment_changelist"),
                {"action": "approve", "_selected_action": [c.pk for c in held]},
            )
        assert response.status_code == 302
        text = client.get(story.get_absolute_url()).text
        assert all(f"Bulk {n}" in text for n in range(3))
        assert "3 Comments" in text

    def test_a_related_story_retitled_shows_on_the_story_that_links_it(self, client, on_commit):
        story = make_article(tags=["ports"])
        picked = make_article(headline="Picked story")
        automatic = make_article(headline="Shares a tag", tags=["ports"])
        RelatedLink.objects.create(from_article=story, to_article=picked)
        text = client.get(story.get_absolute_url()).text
        assert "Picked story" in text and "Shares a tag" in text
        with on_commit():
            picked.headline = "Picked, retitled"
            picked.save()
            automatic.headline = "Tagged, retitled"
            automatic.save()
        text = client.get(story.get_absolute_url()).text
        assert "Picked, retitled" in text and "Tagged, retitled" in text

    def test_a_new_story_sharing_tags_joins_the_related_posts(self, client, on_commit):
        story = make_article(tags=["ports"])
        assert "Related Posts" not in client.get(story.get_absolute_url()).text
        with on_commit():
            make_article(headline="Newly related", tags=["ports"])
        assert "Newly related" in client.get(story.get_absolute_url()).text

    def test_a_section_renamed_shows_on_every_page(self, client, on_commit):
        section = make_section(name="Harbour")
        story = make_article(section=section)
        pages = ["/", story.get_absolute_url(), section.get_absolute_url()]
        for url in pages:
            client.get(url)
        with on_commit():
            section.name = "Port & Harbour"
            section.save()
        for url in pages:
            assert "Port &amp; Harbour" in client.get(url).text, url

    def test_a_person_renamed_shows_in_bylines(self, client, on_commit):
        person = make_person(name="Ann Lee")
        story = make_article(bylines=[person])
        assert "Ann Lee" in client.get(story.get_absolute_url()).text
        with on_commit():
            person.name = "Ann Lee-Park"
            person.save()
        assert "Ann Lee-Park" in client.get(story.get_absolute_url()).text

    def test_tagging_a_story_updates_the_tag_archive(self, client, on_commit):
        make_article(tags=["ports"])
        story = make_article(headline="Newly tagged")
        assert "Newly tagged" not in client.get("/tag/ports/").text
        with on_commit():
            story.tags.add("ports")
        assert "Newly tagged" in client.get("/tag/ports/").text

    def test_a_wordpress_import_shows_at_once(self, client, on_commit):
        """The importer writes new stories in bulk, without signals; it touches the
        whole site once its transaction commits."""
        export = Path(__file__).parent / "fixtures" / "wordpress" / "export.xml"
        # Its categories exist already: the import creates no section (whose save
        # would touch the site by itself).
        make_section(name="World & Politics", slug="world-politics")
        make_section(name="News", slug="news")
        make_article(headline="Already here")
        assert "Harbour reopens after the storm" not in client.get("/").text
        with on_commit():
            call_command("import_wordpress", str(export), stdout=StringIO())
        assert "Harbour reopens after the storm" in client.get("/").text


class TestRaces:
    def test_a_change_committed_while_a_page_renders_is_not_hidden_by_it(
        self, client, monkeypatch, clock
    ):
        """The render read the old story; the change landed before the page was
        stored. The stored page must not be trusted, however long afterwards."""
        story = make_article(headline="Old")
        real_related = views.related_articles

        def change_during_render(*args, **kwargs):
            Article.objects.filter(pk=story.pk).update(headline="New")
            stamps.touch(f"article:{story.pk}")
            return real_related(*args, **kwargs)

        monkeypatch.setattr(views, "related_articles", change_during_render)
        assert "Old" in client.get(story.get_absolute_url()).text
        monkeypatch.setattr(views, "related_articles", real_related)
        clock(minutes=10)
        assert "New" in assert_rendered(client, story.get_absolute_url()).text

    def test_a_forgotten_tag_makes_the_page_stale(self, client, monkeypatch):
        # Stamps kept in the shared cache (Redis) can be evicted; in a file they cannot.
        monkeypatch.setattr(stamps, "_store", stamp_stores.CacheStore())
        story = make_article()
        client.get(story.get_absolute_url())
        cache.delete(stamp_stores.key(f"article:{story.pk}"))  # evicted
        assert_rendered(client, story.get_absolute_url())

    def test_pages_kept_in_process_are_dropped_when_the_shared_cache_is_emptied(self, client):
        """A flush loses the stamps of past changes: stamps made afresh afterwards
        (here by another page showing the same stories) must not revive a page
        this process still holds from before."""
        story = make_article(headline="Before the flush")
        assert "Before the flush" in client.get("/").text
        Article.objects.filter(pk=story.pk).update(headline="Changed, stamp lost")
        cache.clear()
        assert "Changed, stamp lost" in client.get("/?page=1").text
        assert "Changed, stamp lost" in client.get("/").text

    def test_a_page_rendered_just_after_a_change_is_not_trusted_until_the_margin_passes(
        self, client, clock, on_commit, django_assert_num_queries
    ):
        clock.freeze()  # "just after" stays just after, however slow the machine
        story = make_article()
        with on_commit():
            story.save()
        assert_rendered(client, story.get_absolute_url())
        assert_rendered(client, story.get_absolute_url())
        clock(seconds=2)
        assert_rendered(client, story.get_absolute_url())
        assert_cached(client, story.get_absolute_url(), django_assert_num_queries)


class TestBypass:
    def test_staff_see_their_draft_and_fresh_pages_never_the_readers_copy(self, client, editor):
        story = make_article(headline="Public version")
        client.get(story.get_absolute_url())
        Article.objects.filter(pk=story.pk).update(headline="Edited, not yet touched")
        response = editor.get(story.get_absolute_url())
        assert "Edited, not yet touched" in response.text
        assert "private" in response["Cache-Control"]
        assert "Public version" in client.get(story.get_absolute_url()).text

    def test_a_staff_preview_is_never_stored_for_readers(self, client, editor):
        draft = make_article(headline="Secret draft", status=Article.Status.DRAFT)
        assert "Secret draft" in editor.get(draft.get_absolute_url()).text
        assert client.get(draft.get_absolute_url()).status_code == 404

    def test_a_commenter_with_a_held_comment_sees_it_not_the_cached_page(self, client):
        story = make_article()
        client.get(story.get_absolute_url())  # stored for everyone
        held = make_comment(story, body="My held words", status=Comment.Status.PENDING)
        response = client.get(story.get_absolute_url())
        assert "My held words" not in response.text
        mine = client.__class__()
        mine.get(story.get_absolute_url())
        mine.cookies[PENDING.name] = _signed_cookie(PENDING, held.pk)
        response = mine.get(story.get_absolute_url())
        assert "My held words" in response.text
        assert "no-store" in response["Cache-Control"]
        assert "My held words" not in client.get(story.get_absolute_url()).text

    def test_nothing_is_cached_when_the_cache_is_switched_off(self, client, settings):
        settings.PAGE_CACHE_ENABLED = False
        make_article()
        client.get("/")
        assert "public" not in assert_rendered(client, "/")["Cache-Control"]


def _signed_cookie(cookie, comment_id):
    return signing.get_cookie_signer(salt=cookie.name + cookie.salt).sign(str(comment_id))


def test_the_page_key_ignores_only_tracking_parameters(rf):
    def key(url):
        return pagecache.page_key(rf.get(url))

    assert key("/") == key("/?utm_campaign=x&fbclid=y")
    assert key("/?page=2&x=1") == key("/?x=1&page=2")
    assert key("/") != key("/?cat=4")
    assert key("/a/") != key("/b/")
