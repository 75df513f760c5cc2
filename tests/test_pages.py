from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Correction, Credit, RelatedLink
from comments.models import Comment
from tests.factories import make_article, make_comment, make_person, make_section, make_staff

pytestmark = pytest.mark.django_db


def test_front_page_lists_published_stories_newest_first_and_paginates(client):
    now = timezone.now()
    for i in range(25):
        make_article(headline=f"Story {i:02d}", published_at=now - timedelta(minutes=i + 1))
    make_article(headline="Secret draft", status=Article.Status.DRAFT)
    make_article(headline="Tomorrow's scoop", published_at=now + timedelta(days=1))

    first = client.get("/")
    assert first.status_code == 200
    assert first.text.index("Story 00") < first.text.index("Story 01")
    assert "Story 19" in first.text and "Story 20" not in first.text
    assert "Secret draft" not in first.text
    assert "Tomorrow&#x27;s scoop" not in first.text and "Tomorrow's scoop" not in first.text

    second = client.get("/?page=2")
    assert second.status_code == 200
    assert "Story 24" in second.text
    assert client.get("/?page=3").status_code == 404


def test_sticky_story_leads_the_front_page(client):
    make_article(
        headline="Pinned analysis", is_sticky=True, published_at=timezone.now() - timedelta(days=2)
    )
    make_article(headline="Fresh news")
    text = client.get("/").text
    assert text.index("Pinned analysis") < text.index("Fresh news")


class TestArticlePage:
    def test_renders_the_story_with_bylines_credit_tags_and_corrections(self, client):
        section = make_section(name="World", slug="world")
        writer, contributor = make_person(name="David Pierson"), make_person(name="Olivia Wang")
        article = make_article(
            headline="Pact worries Beijing",
            dek="A new treaty.",
            body="<p>First paragraph.</p><p>Second paragraph.</p>",
            section=section,
            tags=["China", "North Korea"],
            bylines=[writer],
            lead_image_url="https://img.example.com/lead.jpg",
            lead_image_caption="Leaders meet.",
            lead_image_credit="Pool photo",
            lead_image_alt="Two leaders shaking hands",
        )
        Credit.objects.create(
            article=article,
            person=contributor,
            role=Credit.Role.REPORTING,
            note="from Hong Kong",
            position=1,
        )
        Correction.objects.create(article=article, text="An earlier version misstated a date.")

        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        html = response.text
        assert '<h1 class="headline">Pact worries Beijing</h1>' in html
        assert "A new treaty." in html
        assert f'<a href="{writer.get_absolute_url()}" rel="author">David Pierson</a>' in html
        assert "Olivia Wang contributed reporting from Hong Kong." in html
        assert "<p>First paragraph.</p><p>Second paragraph.</p>" in html
        assert '<a href="/tag/china/" rel="tag">China</a>' in html
        assert 'href="/tag/north-korea/"' in html
        assert "An earlier version misstated a date." in html
        assert 'alt="Two leaders shaking hands"' in html and "Pool photo" in html
        local_time = timezone.localtime(article.published_at).isoformat()
        assert f'<time datetime="{local_time}' in html
        assert '<a href="/section/world/">World</a>' in html
        assert "Updated" not in html

    def test_updated_stamp_shows_only_when_set(self, client):
        article = make_article(updated_at=timezone.now())
        assert "Updated" in client.get(article.get_absolute_url()).text

    def test_url_uses_the_publication_date_in_the_site_time_zone(self, settings):
        settings.TIME_ZONE = "America/New_York"
        article = make_article(
            slug="late-night", published_at=datetime(2024, 6, 20, 3, 0, tzinfo=UTC)
        )
        assert article.get_absolute_url() == "/2024/06/19/late-night/"

    def test_wrong_date_redirects_permanently_to_the_right_one(self, client):
        article = make_article(slug="moved", published_at=datetime(2024, 6, 20, 12, tzinfo=UTC))
        response = client.get("/2023/01/02/moved/")
        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()

    @pytest.mark.parametrize(
        "fields",
        [
            {"status": Article.Status.DRAFT},
            {"status": Article.Status.REVIEW},
            {"status": Article.Status.UNPUBLISHED},
            {"published_at": timezone.now() + timedelta(days=1)},
        ],
        ids=["draft", "review", "unpublished", "scheduled"],
    )
    def test_unpublished_stories_are_404_for_readers(self, client, fields):
        article = make_article(slug="hidden", **fields)
        assert client.get(article.get_absolute_url()).status_code == 404

    def test_writers_and_editors_preview_a_draft_and_it_is_not_cached(self, client):
        article = make_article(status=Article.Status.DRAFT, headline="Draft headline")
        client.force_login(make_staff("Writers"))
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert "Draft headline" in response.text and "Preview" in response.text
        assert "no-cache" in response["Cache-Control"]

    def test_unknown_slug_is_404_in_the_site_look(self, client):
        response = client.get("/2024/06/20/no-such-story/")
        assert response.status_code == 404
        assert "We couldn’t find that page" in response.text

    def test_related_block_shows_published_picks_with_excerpts_and_video_marks(self, client):
        story = make_article(tags=["china"])
        video = make_article(
            headline="Watch this", kind=Article.Kind.VIDEO, dek=" ".join(["word"] * 30)
        )
        draft = make_article(headline="Unfinished", status=Article.Status.DRAFT)
        RelatedLink.objects.create(from_article=story, to_article=video)
        RelatedLink.objects.create(from_article=story, to_article=draft, position=1)
        html = client.get(story.get_absolute_url()).text
        assert "Related Posts" in html
        assert '<span class="badge badge-video">Video</span> <a href="' in html
        assert " ".join(["word"] * 27) + "…" in html
        assert "Unfinished" not in html

    def test_only_approved_comments_are_shown_threaded(
        self, client, django_capture_on_commit_callbacks
    ):
        article = make_article()
        # The approved-comment count is kept after commit (comments/signals.py).
        with django_capture_on_commit_callbacks(execute=True):
            parent = make_comment(article, author_name="Ann", body="Top level")
            make_comment(article, author_name="Bob", body="A reply", parent=parent)
            make_comment(article, author_name="Cy", body="Held", status=Comment.Status.PENDING)
            make_comment(article, author_name="Spam", body="Buy now", status=Comment.Status.SPAM)
        html = client.get(article.get_absolute_url()).text
        assert "Top level" in html and "A reply" in html
        assert html.index(f'id="comment-{parent.pk}"') < html.index('<ol class="children">')
        assert "Held" not in html and "Buy now" not in html
        assert "2 Comments" in html
        assert "Leave a Reply" in html
        assert "Your email address will not be published." in html
        assert "Required fields are marked" in html


class TestArchives:
    def test_section_archive_lists_only_its_published_stories(self, client):
        world, sports = make_section(slug="world"), make_section(slug="sports")
        make_article(headline="World story", section=world)
        make_article(headline="Sports story", section=sports)
        make_article(headline="World draft", section=world, status=Article.Status.DRAFT)
        html = client.get("/section/world/").text
        assert "World story" in html
        assert "Sports story" not in html and "World draft" not in html

    def test_tag_archive(self, client):
        make_article(headline="Tagged", tags=["Xi Jinping"])
        make_article(headline="Untagged")
        response = client.get("/tag/xi-jinping/")
        assert response.status_code == 200
        assert "Tagged" in response.text and "Untagged" not in response.text

    def test_author_archive_includes_any_credit_once(self, client):
        person = make_person(name="Olivia Wang", slug="olivia-wang", bio="Hong Kong reporter.")
        story = make_article(headline="Her byline", bylines=[person])
        Credit.objects.create(article=story, person=person, role=Credit.Role.REPORTING)
        other = make_article(headline="Her contribution")
        Credit.objects.create(article=other, person=person, role=Credit.Role.REPORTING)
        make_article(headline="Not hers")
        html = client.get("/author/olivia-wang/").text
        assert html.count("Her byline</a>") == 1
        assert "Her contribution" in html and "Not hers" not in html
        assert "Hong Kong reporter." in html

    @pytest.mark.parametrize("url", ["/section/nope/", "/tag/nope/", "/author/nope/"])
    def test_unknown_archives_are_404(self, client, url):
        assert client.get(url).status_code == 404
