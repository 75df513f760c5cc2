"""The story row a reader's page is built from is kept (articles.views.ArticleDetailView):
a page the page cache cannot answer runs no query, and whatever changes the row shows
at once."""

import pytest

from articles.models import Article
from comments import actions
from comments.models import Comment
from tests.factories import make_article, make_comment
from tests.photo_files import make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(on_commit, clock):
    with on_commit():
        story = make_article(headline="Harbour reopens", lead_photo=make_photo())
        make_comment(story, body="First!")
    clock(seconds=5)  # past the doubt around a change (PAGE_CACHE_MARGIN): kept parts trusted
    return story


def test_a_story_page_the_page_cache_misses_runs_no_query(client, story, django_assert_num_queries):
    url = story.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        response = client.get(f"{url}?cpage=7")  # a page of comments never asked for
    assert response.status_code == 200 and "Harbour reopens" in response.text


def test_an_edited_story_shows_on_the_next_page_rendered(client, story, on_commit):
    url = story.get_absolute_url()
    client.get(url)
    story.headline = "Harbour reopens after the storm"
    with on_commit():
        story.save()
    assert "Harbour reopens after the storm" in client.get(f"{url}?cpage=2").text


def test_a_changed_lead_photo_shows_on_the_next_page_rendered(client, story, on_commit):
    url = story.get_absolute_url()
    client.get(url)
    photo = story.lead_photo
    photo.alt_text = "Cranes idle on the quay at dawn"
    with on_commit():
        photo.save()
    assert "Cranes idle on the quay at dawn" in client.get(f"{url}?cpage=2").text


def test_the_comment_count_follows_the_discussion_not_the_kept_row(client, story, on_commit):
    """An approval touches the discussion, not the story: the heading's count is the
    discussion's own."""
    url = story.get_absolute_url()
    assert '<h2 id="comments-heading">1 Comment</h2>' in client.get(url).text
    with on_commit():
        held = make_comment(story, body="Second", status=Comment.Status.PENDING)
    with on_commit():
        actions.approve(held)
    assert Article.objects.get(pk=story.pk).comment_count == 2
    assert '<h2 id="comments-heading">2 Comments</h2>' in client.get(f"{url}?cpage=3").text


def test_a_withdrawn_story_is_gone_at_once(client, story, on_commit):
    url = story.get_absolute_url()
    client.get(url)
    story.status = Article.Status.DRAFT
    with on_commit():
        story.save()
    assert client.get(f"{url}?cpage=2").status_code == 404
