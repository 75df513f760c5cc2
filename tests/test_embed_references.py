"""An address alone on its line of a story's body becomes an embed reference when the
story is saved: the stored markup, which addresses count, the Embed rows and the
fetches queued for them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.sanitize import clean_body
from embeds import references
from embeds.models import Embed
from tests import embed_fixtures
from tests.factories import make_article

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
POST = "https://mastodon.social/@newsroom/113456789012345678"


@pytest.fixture
def queued_fetches():
    return embed_fixtures.queued_fetches


def reference(embed):
    return f'<figure data-embed="{embed.pk}"></figure>'


class TestTheStoredReference:
    def test_the_sanitizer_keeps_a_reference(self):
        assert (
            clean_body('<figure data-embed="12"></figure>') == '<figure data-embed="12"></figure>'
        )

    @pytest.mark.parametrize(
        ("hostile", "kept"),
        [
            (
                '<figure data-embed="5" onclick="alert(1)"></figure>',
                '<figure data-embed="5"></figure>',
            ),
            (
                '<figure data-embed="5" data-size="wide" data-caption="x"></figure>',
                '<figure data-embed="5"></figure>',
            ),
            (
                '<figure data-embed="5"><img src="https://tracker.example/p.gif"><p>x</p></figure>',
                '<figure data-embed="5"></figure>',
            ),
            (
                '<figure data-embed="5"><figure data-photo="3"></figure>words</figure><p>after</p>',
                '<figure data-embed="5"></figure><p>after</p>',
            ),
            ('<figure data-embed="5 onload=alert(1)"></figure>', "<figure></figure>"),
            ('<figure data-embed="https://evil.example/"></figure>', "<figure></figure>"),
            ('<figure data-embed="05"></figure>', "<figure></figure>"),
            ('<figure data-embed=""></figure>', "<figure></figure>"),
            ('<figure data-photo="4" data-embed="5"></figure>', '<figure data-embed="5"></figure>'),
        ],
    )
    def test_only_a_reference_by_digits_is_kept_and_nothing_else_of_it(self, hostile, kept):
        assert clean_body(hostile) == kept


class TestAddressLines:
    def test_a_bare_address_on_its_line_becomes_a_reference(self, queued_fetches):
        story = make_article(body=f"<p>Before.</p><p>{VIDEO}</p><p>After.</p>")
        embed = Embed.objects.get()
        assert embed.url == VIDEO
        assert embed.status == Embed.Status.PENDING
        assert story.body == f"<p>Before.</p>{reference(embed)}<p>After.</p>"
        story.refresh_from_db()
        assert story.body == f"<p>Before.</p>{reference(embed)}<p>After.</p>"

    def test_a_link_whose_text_is_its_address_as_the_editor_makes_it(self, queued_fetches):
        body = (
            f'<p><a href="{POST}" rel="noopener noreferrer" target="_blank">{POST}</a></p>'
            f'<p> <a href="{VIDEO.replace("&", "&amp;")}">{VIDEO}</a> <br></p>'
        )
        story = make_article(body=body)
        post, video = Embed.objects.get(url=POST), Embed.objects.get(url=VIDEO)
        assert story.body == reference(post) + reference(video)

    def test_an_address_with_a_query_keeps_it_and_loses_its_fragment(self, queued_fetches):
        story = make_article(
            body="<p>HTTPS://WWW.YouTube.com:443/watch?v=abc&amp;t=30#comments</p>"
        )
        embed = Embed.objects.get()
        assert embed.url == "https://www.youtube.com/watch?v=abc&t=30"
        assert story.body == reference(embed)

    @pytest.mark.parametrize(
        "body",
        [
            f"<p>Watch it here: {VIDEO}</p>",
            f'<p>Watch <a href="{VIDEO}">the press conference</a>.</p>',
            f'<p><a href="{VIDEO}">the press conference</a></p>',
            f'<p><a href="{VIDEO}">{POST}</a></p>',
            f"<p><strong>{VIDEO}</strong></p>",
            f"<blockquote>{VIDEO}</blockquote>",
            "<p>ftp://files.example.org/report.pdf</p>",
            "<p>mailto:desk@example.org</p>",
            "<p>https://user:secret@example.org/post</p>",
            "<p>https://</p>",
            "<p>https://exa mple.org/</p>",
            f"<p>{'https://example.org/' + 'a' * 2000}</p>",
        ],
    )
    def test_anything_else_stays_as_it_was(self, body, queued_fetches):
        story = make_article(body=body)
        assert story.body == clean_body(body)
        assert not Embed.objects.exists()
        assert queued_fetches() == []

    def test_a_javascript_address_never_becomes_an_embed(self, queued_fetches):
        story = make_article(body='<p><a href="javascript:alert(1)">javascript:alert(1)</a></p>')
        assert story.body == "<p><a>javascript:alert(1)</a></p>"  # the sanitizer's doing
        assert not Embed.objects.exists()


class TestRowsAndFetches:
    def test_a_new_address_is_fetched_once_the_story_is_saved(self, queued_fetches):
        make_article(body=f"<p>{VIDEO}</p><p>{POST}</p>")
        video, post = Embed.objects.get(url=VIDEO), Embed.objects.get(url=POST)
        assert queued_fetches() == [video.pk, post.pk]

    def test_saving_again_keeps_the_embed_and_queues_nothing_more(self, queued_fetches):
        story = make_article(body=f"<p>{VIDEO}</p>")
        embed = Embed.objects.get()
        story.headline = "A new headline"
        story.save()
        story.body += f"<p>Later.</p><p>{VIDEO}</p>"  # pasted again, by another hand
        story.save()
        assert Embed.objects.count() == 1
        assert story.body == f"{reference(embed)}<p>Later.</p>{reference(embed)}"
        assert queued_fetches() == [embed.pk]

    def test_two_stories_share_one_embed(self, queued_fetches):
        make_article(body=f"<p>{VIDEO}</p>")
        other = make_article(body=f'<p><a href="{VIDEO}">{VIDEO}</a></p>')
        embed = Embed.objects.get()
        assert other.body == reference(embed)
        assert queued_fetches() == [embed.pk]

    def test_a_failed_embed_is_fetched_again_a_ready_one_is_not(self, queued_fetches):
        failed = Embed.objects.create(url=POST, status=Embed.Status.FAILED, error="timed out")
        ready = Embed.objects.create(url=VIDEO, status=Embed.Status.READY)
        make_article(body=f"<p>{POST}</p><p>{VIDEO}</p>")
        assert queued_fetches() == [failed.pk]
        assert ready.pk not in queued_fetches()

    def test_a_story_without_address_lines_asks_nothing_of_embeds(self, queued_fetches):
        with CaptureQueriesContext(connection) as queries:
            assert references.take_in("<p>Plain text, https://example.org inside.</p>")
        assert len(queries) == 0

    def test_known_addresses_are_read_in_one_query(self, queued_fetches):
        urls = [f"https://vimeo.com/{n}" for n in range(1, 6)]
        for url in urls:
            Embed.objects.create(url=url, status=Embed.Status.READY)
        body = "".join(f"<p>{url}</p>" for url in urls)
        with CaptureQueriesContext(connection) as queries:
            stored = references.take_in(body)
        reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
        assert len(reads) == 1
        assert stored.count("<figure data-embed=") == 5
