"""Script injection: every payload of tests/xss_vectors.py through every input.

A stranger controls the comment form (comment, name, website), the search query,
URL slugs and query strings; an editor controls what is pasted into the admin
(body, headline, summary, dateline, tags, credits, captions...). Every page, feed
and JSON-LD block that shows a payload is parsed the way a browser would parse it
(tests/html_safety.py): no executable script, no event handler, no
javascript:/data:/vbscript: address. Each test also checks that the payload
arrived, as text, where it should show: a test that never rendered the payload
could not fail.

Every payload goes through what escapes and sanitizes it: the sanitizer, the
comment renderer, the JSON-LD and revision-diff writers, and the views, forms and
templates, called directly (``ViewCaller``: no HTTP, no middleware). The slow
round trips through the real doors (the admin's forms, the story page's form
over HTTP, the moderators' queue) take one payload of each kind
(xss_vectors.ROUND_TRIP); reader requests (a search, a URL, a query string) are
cheap, and take every payload.
"""

import xml.etree.ElementTree as ET
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone

from articles.models import Article, Correction, Credit
from articles.seo import json_ld_script
from comments import actions
from comments.models import Comment
from comments.rendering import render_body
from core.sanitize import clean_body, strip_control_characters
from newsdesk import revisions, text_diff
from search.query import normalize_query
from search.views import SearchView
from tests.factories import (
    browser_form_data,
    comment_form_data,
    make_article,
    make_comment,
    make_person,
    make_section,
)
from tests.html_safety import (
    by_class,
    by_id,
    elements,
    feed_problems,
    html_problems,
    json_ld,
    parse_html,
    text_of,
    unsafe_url,
)
from tests.xss_vectors import KINDS, ROUND_TRIP, VECTORS

pytestmark = pytest.mark.django_db

VECTOR_PARAMS = [pytest.param(payload, id=name) for name, payload in VECTORS.items()]
ROUND_TRIP_PARAMS = [pytest.param(VECTORS[name], id=name) for name in ROUND_TRIP.values()]
# A word no payload contains, to find the stories by search.
MARKER = "zebracorn"


def test_the_corpus_is_large_and_hostile():
    """At least 60 payloads, and most of them run when a page shows them unescaped:
    proof that the corpus (and the checker) would catch a template that forgot to escape."""
    assert len(VECTORS) >= 60
    # Each payload is of one kind, and each kind sends one payload on the round trips.
    assert sum(len(vectors) for vectors in KINDS.values()) == len(VECTORS)
    assert all(ROUND_TRIP[kind] in vectors for kind, vectors in KINDS.items())
    dangerous_raw = [name for name, v in VECTORS.items() if html_problems(f"<p>{v}</p>")]
    assert len(dangerous_raw) >= 60


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="&#1;javascript:alert(1)">x</a>',
        '<img src="data:image/svg+xml,x">',
        "<svg><a><animate attributeName=href values=javascript:alert(1) /></a></svg>",
        "<noscript><p title='</noscript><img src=x onerror=alert(1)>'>",
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}</script>',
        '<script src="//cdn.example/static/x.js"></script>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    ],
)
def test_the_checker_sees_what_a_browser_would_run(markup):
    assert html_problems(f"<!doctype html><title>t</title>{markup}")


def test_the_checker_accepts_the_sites_own_markup(client):
    article = make_article(body='<p>A <a href="https://example.com/">link</a>.</p>')
    assert html_problems(client.get(article.get_absolute_url()).text) == []


def same_text(shown, typed):
    """``typed`` as a browser shows it: newlines normalized, NUL dropped, spaces collapsed."""

    def normal(text):
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
        return " ".join(text.replace("\ufffd", "").split())

    return normal(shown) == normal(typed)


def storable(payload):
    """What the site keeps of an editor's text: control characters (NUL included, which
    PostgreSQL cannot store) are dropped on save (core/sanitize.py)."""
    return strip_control_characters(payload)


def assert_safe_headers(response):
    location = response.get("Location")
    if location:
        parts = urlsplit(location)
        assert not unsafe_url(location), location
        assert parts.netloc in ("", "testserver", urlsplit(settings.SITE_URL).netloc), location
    assert "xss" not in response.cookies, "a payload set a cookie (header injection)"


def assert_safe(response):
    """The response holds nothing a browser would run; returns the parsed page."""
    assert response.status_code < 500
    assert_safe_headers(response)
    content_type = response.get("Content-Type", "")
    if "xml" in content_type:
        problems = feed_problems(response.content)
        assert problems == [], f"{response.request['PATH_INFO']}: {problems}"
        return None
    if "html" not in content_type:
        return None
    root = parse_html(response.content.decode())
    problems = html_problems(root)
    assert problems == [], f"{response.request['PATH_INFO']}: {problems}"
    return root


class ViewCaller(RequestFactory):
    """``get``/``post`` like the test client, but the view a URL resolves to is called
    directly: no HTTP, no middleware (no page cache, no session), so what is under test
    is what the views, forms and templates make of the text. Keeps cookies as a
    browser does (a commenter's held comments)."""

    def request(self, **request):
        request = super().request(**request)
        request.user = AnonymousUser()
        match = resolve(request.path_info)
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
        self.cookies.update(response.cookies)
        response.request = {"PATH_INFO": request.path_info}
        return response


class TestEscapingFunctions:
    """Each payload through the functions that turn text into markup, on its own."""

    @pytest.mark.parametrize("payload", VECTOR_PARAMS)
    def test_the_body_sanitizer_leaves_nothing_that_runs(self, payload):
        body = clean_body(f"<p>The {MARKER} report.</p>{payload}")
        assert html_problems(body, fragment=True) == []
        assert MARKER in body
        assert strip_control_characters(body) == body  # XML 1.0 (feeds) can carry it

    @pytest.mark.parametrize("payload", VECTOR_PARAMS)
    def test_a_comment_is_shown_as_the_text_typed(self, payload):
        typed = payload.strip()  # as the form cleans it
        html = render_body(typed)
        assert html_problems(html, fragment=True) == []
        assert same_text(text_of(parse_html(html)), typed)

    @pytest.mark.parametrize("payload", VECTOR_PARAMS)
    def test_json_ld_keeps_the_text_inside_its_block(self, payload):
        data = {"@type": "NewsArticle", "headline": payload, "keywords": [payload]}
        root = parse_html(f"<!doctype html><title>t</title>{json_ld_script(data)}")
        assert html_problems(root) == []
        assert json_ld(root) == [data]

    @pytest.mark.parametrize("payload", VECTOR_PARAMS)
    def test_a_revision_diff_shows_the_text_escaped(self, payload):
        for old, new in [("Calm words.", payload), (payload, "Calm words.")]:
            html = f"<p>{text_diff.diff_words(old, new)}</p>"
            assert html_problems(html, fragment=True) == []
            assert "Calm words." in text_of(parse_html(html))
            # A body's diff reads its HTML for the text: what a revision holds (even
            # unsanitized) comes out as text in the diff's own markup, never as markup.
            html = str(text_diff.diff_body(f"<p>{old}</p>", f"<p>{new}</p>"))
            assert html_problems(html, fragment=True) == []
            assert "Calm words." in text_of(parse_html(html))


class TestCommentForm:
    """Comment, name and website through the story page's form, held, then approved."""

    @pytest.fixture(autouse=True)
    def _settings(self, settings):
        settings.COMMENT_RATE_LIMIT = 0

    @pytest.fixture
    def thread(self):
        article = make_article(headline="A calm story")
        return article, make_comment(article, author_name="First reader", body="Opening words.")

    @staticmethod
    def refilled(root, field):
        """What the form shows back in ``field`` after a refusal."""
        widget = by_id(root, f"id_{field}")
        return widget.text or "" if widget.tag.endswith("textarea") else widget.get("value", "")

    @pytest.mark.parametrize("payload", ROUND_TRIP_PARAMS)
    def test_payload_in_comment_body_name_and_website(
        self, client, thread, moderator, on_commit, payload
    ):
        """Over HTTP; the moderators see the comments in their queue and approve them."""

        def approve(comments):
            queue = reverse("admin:comments_comment_changelist")
            assert_safe(moderator.get(f"{queue}?status=all"))
            with on_commit():
                response = moderator.post(
                    queue, {"action": "approve", "_selected_action": [c.pk for c in comments]}
                )
            assert response.status_code == 302

        self.check_comments(client, Client, approve, thread, on_commit, payload)

    @pytest.mark.parametrize("payload", VECTOR_PARAMS)
    def test_every_payload_through_the_comment_views(self, thread, on_commit, payload):
        """The same views and templates, called directly; approved as the queue does."""

        def approve(comments):
            with on_commit():
                pks = [c.pk for c in comments]
                actions.moderate(Comment.objects.filter(pk__in=pks), Comment.Status.APPROVED)

        self.check_comments(ViewCaller(), ViewCaller, approve, thread, on_commit, payload)

    def check_comments(self, commenter, reader, approve, thread, on_commit, payload):
        """Three comments, the payload in a different field of each, posted by
        ``commenter``, approved by ``approve(comments)``, read by a new ``reader()``."""
        article, parent = thread
        posted = {}
        for field in ("body", "author_name", "author_url"):
            with on_commit():
                response = commenter.post(
                    reverse("comments:post", args=[article.pk]),
                    comment_form_data(article, parent=parent.pk, **{field: payload}),
                )
            if response.status_code == 303:
                posted[field] = Comment.objects.latest("pk")
                continue
            # Refused (a control character in a name, a website that is not http or
            # https...): the form comes back holding what was typed, as text.
            assert response.status_code == 400, field
            root = assert_safe(response)
            assert same_text(self.refilled(root, field), payload), field
        assert Comment.objects.count() == 1 + len(posted)  # nothing stored from a refusal
        if not posted:
            return

        # The author sees their held comments (the pending cookie)...
        root = assert_safe(commenter.get(article.get_absolute_url()))
        for comment in posted.values():
            held = by_id(root, f"comment-{comment.pk}")
            assert "Your comment is awaiting moderation." in text_of(held)
        # ...the moderators approve them...
        approve(list(posted.values()))
        # ...and every reader sees them, nested under their parent.
        root = assert_safe(reader().get(article.get_absolute_url()))
        shown = {
            field: by_id(by_id(root, f"comment-{parent.pk}"), f"comment-{comment.pk}")
            for field, comment in posted.items()
        }
        assert None not in shown.values()
        if "body" in shown:
            content = by_class(shown["body"], "comment-content")[0]
            assert same_text(text_of(content), posted["body"].body)
        if "author_name" in shown:
            name = shown["author_name"]
            assert same_text(text_of(by_class(name, "comment-author")[0]), payload)
            reply_link = by_class(name, "comment-reply-link")[0]
            assert same_text(reply_link.get("aria-label"), f"Reply to {payload}")
            reply_to = posted["author_name"].pk
            root = assert_safe(reader().get(f"{article.get_absolute_url()}?replytocom={reply_to}"))
            title = text_of(by_id(root, "reply-title"))
            assert same_text(title, f"Leave a Reply to {payload} Cancel reply")
        if "author_url" in shown:
            link = next(elements(by_class(shown["author_url"], "comment-author")[0], "a"))
            assert link.get("href") == posted["author_url"].author_url
            assert urlsplit(link.get("href")).scheme in ("http", "https")


class TestReaderRequests:
    """The search query, URL slugs and query strings: reflected, never run."""

    @pytest.mark.parametrize("payload", VECTOR_PARAMS)
    def test_payload_as_search_query(
        self, client, monkeypatch, django_capture_on_commit_callbacks, payload
    ):
        # Two stories holding the payload, one result per page: the query is also
        # carried in the page links and the canonical address.
        monkeypatch.setattr(SearchView, "paginate_by", 1)
        with django_capture_on_commit_callbacks(execute=True):
            for n in (1, 2):
                make_article(headline=f"{storable(payload)}"[:290] + f" {MARKER}{n}")
        root = assert_safe(client.get(reverse("search:search"), {"q": payload}))
        box = by_id(root, "search-page-q")
        assert box.get("value") == normalize_query(payload)
        assert same_text(by_id(root, "site-search-q").get("value"), normalize_query(payload))
        for page in (2, 3):
            assert_safe(client.get(reverse("search:search"), {"q": payload, "page": page}))

    @pytest.mark.parametrize("payload", VECTOR_PARAMS)
    def test_payload_in_url_path(self, client, public_pages, payload):
        segment = quote(payload, safe="")
        for path in [
            f"/2024/06/20/{segment}/",
            f"/section/{segment}/",
            f"/tag/{segment}/",
            f"/author/{segment}/",
            f"/section/{segment}/feed/",
            f"/author/{segment}/feed/atom/",
            f"/{segment}/",
            f"/{segment}",
            f"/search/{segment}",
            f"{public_pages['article']}{segment}/",
        ]:
            response = client.get(path)
            assert response.status_code in (200, 301, 302, 404), path
            assert_safe(response)

    @pytest.mark.parametrize("payload", VECTOR_PARAMS)
    def test_payload_in_query_string(self, client, public_pages, payload):
        query = urlencode(
            {
                "q": payload,
                "cpage": payload,
                "replytocom": payload,
                "unapproved": payload,
                "utm_source": payload,
                payload: "1",
            }
        )
        for path in [
            "/",
            public_pages["article"],
            public_pages["section"],
            reverse("search:search"),
            "/feed/",
            "/feed/atom/",
        ]:
            response = client.get(f"{path}?{query}")
            assert response.status_code == 200, path
            assert_safe(response)
        for path in ["/", reverse("search:search")]:
            bad_page = client.get(f"{path}?{urlencode({'q': payload, 'page': payload})}")
            assert bad_page.status_code in (200, 404), path
            assert_safe(bad_page)


class TestEditorInput:
    """What an editor pastes into the admin, on every page, feed and block that shows it."""

    @pytest.fixture
    def publish(self, editor, django_capture_on_commit_callbacks):
        """Publish a video story through the admin's add form with ``payload`` in every
        text field (as an editor would paste it); returns the story, or the refusal."""

        def publish(payload):
            section = make_section(name=storable(payload)[:100], slug="hostile-section")
            reporter = make_person(name=storable(payload)[:200], slug="hostile-reporter")
            helper = make_person(name="Olivia Wang", slug="olivia-wang")
            add_url = reverse("admin:articles_article_add")
            data = browser_form_data(editor.get(add_url).text, "article_form")
            data.update(
                {
                    "headline": payload[:300],
                    "slug": "hostile-story",
                    "dek": payload,
                    "body": f"<p>The {MARKER} report.</p>{payload}",
                    "dateline": payload[:100],
                    "status": Article.Status.PUBLISHED,
                    "section": str(section.pk),
                    "tags": [payload[:100], "Hong Kong"],
                    "kind": Article.Kind.VIDEO,
                    "video_url": "https://video.example/clip.mp4",
                    "transcript": payload,
                    "lead_image_url": "https://images.example/lead.jpg",
                    "lead_image_alt": payload[:300],
                    "lead_image_caption": payload[:500],
                    "lead_image_credit": payload[:200],
                    "source_name": payload[:200],
                    "credits-TOTAL_FORMS": "2",
                    "credits-0-position": "0",
                    "credits-0-person": str(reporter.pk),
                    "credits-0-role": "byline",
                    "credits-1-position": "1",
                    "credits-1-person": str(helper.pk),
                    "credits-1-role": "reporting",
                    "credits-1-note": payload[:200],
                }
            )
            with django_capture_on_commit_callbacks(execute=True):
                response = editor.post(add_url, data)
                if response.status_code != 302:
                    return response
                article = Article.objects.get(slug="hostile-story")
                Correction.objects.create(
                    article=article, text=payload, published_at=timezone.now()
                )
                # A second story sharing a tag lists the first under Related Posts.
                neighbour = make_article(headline="A calm neighbour", tags=["Hong Kong"])
            return article, neighbour

        return publish

    @pytest.fixture
    def store(self, on_commit):
        """The same story with ``payload`` in the same fields, saved by the models
        (which sanitize the body and drop control characters) instead of the admin."""

        def store(payload):
            with on_commit():
                section = make_section(name=storable(payload)[:100], slug="hostile-section")
                reporter = make_person(name=storable(payload)[:200], slug="hostile-reporter")
                helper = make_person(name="Olivia Wang", slug="olivia-wang")
                article = make_article(
                    headline=payload[:300],
                    slug="hostile-story",
                    dek=payload,
                    body=f"<p>The {MARKER} report.</p>{payload}",
                    dateline=payload[:100],
                    section=section,
                    # A name PostgreSQL can look up (the admin refuses a NUL outright).
                    tags=[storable(payload)[:100], "Hong Kong"],
                    bylines=[reporter],
                    kind=Article.Kind.VIDEO,
                    video_url="https://video.example/clip.mp4",
                    transcript=payload,
                    lead_image_url="https://images.example/lead.jpg",
                    lead_image_alt=payload[:300],
                    lead_image_caption=payload[:500],
                    lead_image_credit=payload[:200],
                    source_name=payload[:200],
                )
                Credit.objects.create(
                    article=article,
                    person=helper,
                    position=1,
                    role=Credit.Role.REPORTING,
                    note=payload[:200],
                )
                Correction.objects.create(
                    article=article, text=payload, published_at=timezone.now()
                )
                neighbour = make_article(headline="A calm neighbour", tags=["Hong Kong"])
            return article, neighbour

        return store

    # One payload of each kind, and the one the database cannot hold (refused).
    @pytest.mark.parametrize(
        "payload", [*ROUND_TRIP_PARAMS, pytest.param(VECTORS["null-in-tag"], id="null-in-tag")]
    )
    def test_payload_pasted_by_an_editor(self, client, editor, publish, payload):
        published = publish(payload)
        if not isinstance(published, tuple):
            # The admin refuses what the database cannot hold (a NUL character),
            # showing the form again with the text escaped.
            assert "\x00" in payload
            assert published.status_code == 200
            assert_safe(published)
            assert not Article.objects.filter(slug="hostile-story").exists()
            return
        article, neighbour = published
        self.check_reader_pages(client, article, neighbour, payload)

        # Other editors open it, rewrite it, and compare the two revisions.
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        assert_safe(editor.get(reverse("admin:articles_article_changelist")))
        response = editor.get(change_url)
        assert_safe(response)
        data = browser_form_data(response.text, "article_form")
        data.update({"headline": "A calmer headline", "body": "<p>Calmer words.</p>"})
        assert editor.post(change_url, data).status_code == 302
        new, old = (version.pk for version in revisions.versions_of(article)[:2])
        compare = reverse("admin:articles_article_compare", args=[article.pk])
        root = assert_safe(editor.get(f"{compare}?old={old}&new={new}"))
        assert "Calmer words." in text_of(root)

    @pytest.mark.parametrize("payload", VECTOR_PARAMS)
    def test_every_payload_on_every_page_that_shows_a_story(self, store, payload):
        """The reader pages of the test above, called directly (``ViewCaller``): each
        template and feed writer that shows the story once."""
        article, neighbour = store(payload)
        self.check_reader_pages(ViewCaller(), article, neighbour, payload, every_copy=False)

    @staticmethod
    def check_reader_pages(reader, article, neighbour, payload, every_copy=True):
        """The story, every listing, feed and sitemap that shows it, as ``reader`` gets
        them. Without ``every_copy``, the pages and feeds that show it again with the same
        templates and writers are left out: the front page and the day's archive (the
        author's archive has the same cards), the neighbour's related posts (cards again),
        the "Hong Kong" archive (the payload's tag has the same page) and the site's own
        feeds (the author's are written by the same classes)."""
        root = assert_safe(reader.get(article.get_absolute_url()))
        assert same_text(text_of(by_class(root, "headline")[0]), storable(payload[:300]))
        assert MARKER in text_of(by_class(root, "story-body")[0])
        (data,) = json_ld(root)
        assert data["headline"] == article.headline
        assert data["author"][0]["name"] == storable(payload)[:200]
        assert sorted(data["keywords"]) == sorted(tag.name for tag in article.tags.all())
        assert article.tags.count() == 2  # the payload became a tag, beside "Hong Kong"

        day = timezone.localdate(article.published_at)
        tags = article.tags.all() if every_copy else article.tags.exclude(name="Hong Kong")
        pages = [
            *(["/"] if every_copy else []),
            article.section.get_absolute_url(),
            *(reverse("articles:tag", args=[tag.slug]) for tag in tags),
            reverse("articles:author", args=["hostile-reporter"]),
            *([f"/{day:%Y/%m/%d}/"] if every_copy else []),
            reverse("articles:corrections"),
            *([neighbour.get_absolute_url()] if every_copy else []),
            f"{reverse('search:search')}?q={MARKER}",
        ]
        for path in pages:
            response = reader.get(path)
            assert response.status_code == 200, path
            assert_safe(response)
            assert article.get_absolute_url() in response.text, path  # the story is listed

        # Feeds and the news sitemap are XML 1.0: control characters were dropped on save.
        sitemap = reader.get(reverse("news-sitemap"))
        ET.fromstring(sitemap.content)  # noqa: S314  (our own output)
        assert article.get_absolute_url() in sitemap.text
        # The section's, the tag's and the reporter's feeds carry the payload in the
        # channel's own title and description too.
        collections = [("section", "hostile-section"), ("author", "hostile-reporter")]
        collections += [("tag", tag.slug) for tag in article.tags.all()]
        for feed in [
            *(["/feed/", "/feed/atom/"] if every_copy else []),
            *(reverse(f"articles:{kind}-feed", args=[slug]) for kind, slug in collections),
            *(reverse(f"articles:{kind}-feed-atom", args=[slug]) for kind, slug in collections),
        ]:
            response = reader.get(feed)
            assert response.status_code == 200, feed
            assert_safe(response)
            assert MARKER in response.text, feed  # the story's body is in the feed

    @pytest.mark.parametrize("field", ["source_url", "video_url", "lead_image_url"])
    @pytest.mark.parametrize(
        "address",
        [
            VECTORS["bare-javascript-url"],
            VECTORS["bare-javascript-url-spaced"],
            VECTORS["bare-data-url"],
            VECTORS["bare-vbscript-url"],
            "java\tscript:alert(1)",
            "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
        ],
    )
    def test_dangerous_addresses_are_refused_by_the_admin(self, editor, field, address):
        add_url = reverse("admin:articles_article_add")
        data = browser_form_data(editor.get(add_url).text, "article_form")
        data.update({"headline": "Linked", "slug": "linked", field: address})
        response = editor.post(add_url, data)
        assert response.status_code == 200
        assert_safe(response)
        assert not Article.objects.exists()
