"""Embeds as readers get them: the facade's markup, nothing of another site loaded or
named but the player (in a data attribute) and the original, the page's
Content-Security-Policy letting in exactly the players it shows, kept with the
cached page, and the page forgotten when the embed changes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from embeds import rendering
from embeds.models import Embed
from newsdesk import story_text
from tests.embed_fixtures import ready_embed
from tests.factories import make_article
from tests.html_safety import html_problems

pytestmark = pytest.mark.django_db

BASE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:;"
    " media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self';"
    " frame-ancestors 'none'"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def reference(embed):
    return f'<figure data-embed="{embed.pk}"></figure>'


def story_body(page):
    start = page.index('<div class="story-body">')
    return page[start : page.index("</article>", start)]


def addresses(html):
    """Every address in ``html``'s attributes, with the attribute naming it."""
    return re.findall(r'\s([a-z-]+)="((?:https?:)?//[^"]*)"', html)


def mastodon_post(**fields):
    return ready_embed(
        url="https://mastodon.social/@newsroom/113456789012345678",
        provider="mastodon",
        provider_name="Mastodon",
        kind=Embed.Kind.RICH,
        title="The council votes tonight",
        author_name="Newsroom Desk",
        player_url="https://mastodon.social/@newsroom/113456789012345678/embed",
        width=400,
        height=None,
        **fields,
    )


class TestTheFacade:
    def test_a_video_is_its_thumbnail_title_provider_and_a_link_to_the_original(self):
        embed = ready_embed()
        html = rendering.expand(f"<p>Before.</p>{reference(embed)}")
        assert '<figure class="embed embed-video"' in html
        assert 'data-embed-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
        assert 'data-embed-action="Play video"' in html
        assert 'data-embed-width="640" data-embed-height="360"' in html
        assert (
            '<a class="embed-original" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">' in html
        )
        assert "<picture>" in html and 'loading="lazy"' in html
        assert "The mayor&#x27;s press conference" in html
        assert '<span class="embed-provider">YouTube</span>' in html
        assert '<span class="embed-author">City Hall</span>' in html
        assert ">Watch on YouTube</a>" in html
        assert html.count('<script src="/static/js/embeds.js" defer></script>') == 1
        assert html_problems(html, fragment=True) == []

    def test_nothing_of_another_site_is_named_but_the_player_and_the_original(self):
        html = rendering.expand(reference(ready_embed()) + reference(mastodon_post()))
        others = {(name, url) for name, url in addresses(html) if not url.startswith("/")}
        assert others == {
            ("data-embed-player", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
            ("href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            ("data-embed-player", "https://mastodon.social/@newsroom/113456789012345678/embed"),
            ("href", "https://mastodon.social/@newsroom/113456789012345678"),
        }
        # The thumbnail is ours: its renditions are served from our media.
        assert all(
            url.startswith("/") for name, url in addresses(html) if name in ("src", "srcset")
        )

    @pytest.mark.parametrize(
        ("fields", "action"),
        [
            ({"kind": Embed.Kind.AUDIO, "provider": "soundcloud"}, "Play audio"),
            ({"kind": Embed.Kind.RICH, "provider": "mastodon"}, "Load post"),
            ({"kind": Embed.Kind.RICH, "provider": "documentcloud"}, "Load document"),
            ({"kind": Embed.Kind.PHOTO, "provider": "instagram"}, "Load photo"),
        ],
    )
    def test_the_button_says_what_it_loads(self, fields, action):
        html = rendering.facade_html(ready_embed(thumbnail=False, **fields))
        assert f'data-embed-action="{action}"' in html

    def test_a_post_without_a_thumbnail_is_its_title_and_its_author(self):
        html = rendering.expand(reference(mastodon_post(thumbnail=None)))
        assert "<picture>" not in html
        assert '<span class="embed-title">The council votes tonight</span>' in html
        assert "data-embed-height" not in html  # the script picks a post's proportions

    def test_hostile_words_from_a_provider_are_text(self):
        embed = ready_embed(
            title='<script>alert(1)</script>" onmouseover="alert(2)',
            author_name="<img src=x onerror=alert(3)>",
        )
        html = rendering.expand(reference(embed))
        assert html_problems(html, fragment=True) == []
        assert "&lt;script&gt;" in html

    @pytest.mark.parametrize("status", [Embed.Status.PENDING, Embed.Status.FAILED])
    def test_an_embed_without_an_answer_is_a_link_to_its_address(self, status):
        embed = Embed.objects.create(url="https://vimeo.com/76979871", status=status)
        html = rendering.expand(reference(embed))
        assert "data-embed-player" not in html and "<script" not in html
        assert '<a class="embed-original" href="https://vimeo.com/76979871">' in html
        assert '<span class="embed-title">https://vimeo.com/76979871</span>' in html
        assert "fetching" not in html

    def test_an_editor_is_told_it_is_being_fetched_or_why_it_failed(self):
        pending = Embed.objects.create(url="https://vimeo.com/1")
        failed = Embed.objects.create(
            url="https://vimeo.com/2", status=Embed.Status.FAILED, error="The provider timed out."
        )
        html = story_text.body_as_read(reference(pending) + reference(failed))
        assert '<span class="embed-status">fetching…</span>' in html
        assert "did not answer usably: The provider timed out." in html

    def test_a_reference_to_a_deleted_embed_shows_nothing(self):
        assert rendering.expand('<p>A.</p><figure data-embed="999"></figure>') == "<p>A.</p>"

    def test_all_the_embeds_of_a_body_are_read_at_once(self):
        embeds = [ready_embed(url=f"https://vimeo.com/{n}") for n in range(1, 4)]
        with CaptureQueriesContext(connection) as one:
            rendering.expand(reference(embeds[0]))
        with CaptureQueriesContext(connection) as three:
            rendering.expand("".join(reference(embed) for embed in embeds))
        assert len(three) == len(one) == 2  # the embeds with their thumbnails, the renditions
        with CaptureQueriesContext(connection) as none:
            rendering.expand("<p>No embed.</p>")
        assert len(none) == 0

    def test_the_feed_has_a_plain_link_named_by_the_title(self, client):
        embed = ready_embed()
        make_article(body=f"<p>Watch:</p>{reference(embed)}")
        feed = client.get("/feed/").text
        assert (
            '&lt;p&gt;&lt;a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"&gt;'
            "The mayor&amp;#x27;s press conference&lt;/a&gt;&lt;/p&gt;"
        ) in feed
        assert "youtube-nocookie" not in feed and "embeds.js" not in feed


class TestThePage:
    def test_the_story_shows_the_facade_and_lets_in_exactly_its_players(self, client):
        story = make_article(body=reference(ready_embed()) + reference(mastodon_post()))
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        assert 'class="embed embed-video"' in story_body(response.text)
        assert response["Content-Security-Policy"] == (
            f"{BASE_POLICY}; frame-src https://mastodon.social https://www.youtube-nocookie.com"
        )

    def test_a_story_without_embeds_keeps_the_site_policy(self, client):
        story = make_article(body="<p>Words alone.</p>")
        response = client.get(story.get_absolute_url())
        assert response["Content-Security-Policy"] == BASE_POLICY
        assert "embeds.js" not in response.text

    def test_a_story_whose_embed_is_pending_lets_in_no_frame(self, client):
        embed = Embed.objects.create(url="https://vimeo.com/76979871")
        response = client.get(make_article(body=reference(embed)).get_absolute_url())
        assert response["Content-Security-Policy"] == BASE_POLICY
        assert '<a class="embed-original" href="https://vimeo.com/76979871">' in response.text

    def test_the_cached_page_keeps_its_policy(self, client):
        story = make_article(body=reference(ready_embed()))
        first = client.get(story.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            cached = client.get(story.get_absolute_url())
        assert len(queries) == 0  # served from the page cache
        assert cached.content == first.content
        assert cached["Content-Security-Policy"] == first["Content-Security-Policy"]
        assert "frame-src https://www.youtube-nocookie.com" in cached["Content-Security-Policy"]

    def test_a_page_built_from_the_kept_story_keeps_its_policy(self, client):
        story = make_article(body=reference(ready_embed()))
        client.get(story.get_absolute_url())
        # A new comments page is not in the page cache; the story's markup is kept.
        with CaptureQueriesContext(connection) as queries:
            response = client.get(story.get_absolute_url() + "?cpage=2")
        assert not any("embeds_embed" in q["sql"] for q in queries)
        assert "frame-src https://www.youtube-nocookie.com" in response["Content-Security-Policy"]

    def test_the_page_is_forgotten_when_the_provider_answers(self, client, on_commit):
        embed = Embed.objects.create(url="https://vimeo.com/76979871")
        story = make_article(body=reference(embed))
        url = story.get_absolute_url()
        assert "data-embed-player" not in client.get(url).text
        with on_commit():
            embed.status = Embed.Status.READY
            embed.kind = Embed.Kind.VIDEO
            embed.title = "Harbour at dawn"
            embed.provider_name = "Vimeo"
            embed.player_url = "https://player.vimeo.com/video/76979871"
            embed.save()
        response = client.get(url)
        assert 'data-embed-player="https://player.vimeo.com/video/76979871"' in response.text
        assert "Harbour at dawn" in response.text
        assert "frame-src https://player.vimeo.com" in response["Content-Security-Policy"]

    def test_the_admin_reading_view_shows_the_facade_with_its_policy(self, writer):
        # A colleague's story: the writer reads it as readers will, in the admin.
        story = make_article(body=reference(ready_embed()))
        response = writer.get(reverse("admin:articles_article_change", args=[story.pk]))
        assert response.status_code == 200
        assert 'data-embed-player="https://www.youtube-nocookie.com/' in response.text
        assert "frame-src https://www.youtube-nocookie.com" in response["Content-Security-Policy"]

    def test_a_preview_of_a_draft_lets_in_its_players(self, editor):
        story = make_article(body=reference(ready_embed()), status="draft")
        response = editor.get(story.get_absolute_url())
        assert response.status_code == 200
        assert "frame-src https://www.youtube-nocookie.com" in response["Content-Security-Policy"]
