"""The public /corrections/ page: every published correction, newest first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def correct(article, text, hours_ago, kind=Correction.Kind.CORRECTION):
    return Correction.objects.create(
        article=article,
        text=text,
        kind=kind,
        published_at=timezone.now() - timedelta(hours=hours_ago),
    )


def test_corrections_page_lists_published_notes_newest_first(client):
    story = make_article(headline="Council budget", published_at=timezone.now() - timedelta(days=3))
    other = make_article(headline="School fees", published_at=timezone.now() - timedelta(days=3))
    correct(story, "An earlier version gave the wrong total.", hours_ago=30)
    correct(other, "The fee rise applies from May.", hours_ago=2, kind=Correction.Kind.UPDATE)
    correct(story, "The vote was 7 to 2.", hours_ago=10, kind=Correction.Kind.CLARIFICATION)

    response = client.get(reverse("articles:corrections"))

    assert response.status_code == 200
    text = response.text
    order = [text.index(s) for s in ("applies from May", "7 to 2", "wrong total")]
    assert order == sorted(order)
    assert "Update" in text and "Clarification" in text
    assert f'href="{story.get_absolute_url()}"' in text


def test_corrections_of_unpublished_stories_and_future_notes_stay_hidden(client):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
    live = make_article()
    correct(draft, "Draft note.", hours_ago=1)
    correct(scheduled, "Scheduled note.", hours_ago=1)
    correct(live, "Not yet.", hours_ago=-5)
    correct(live, "Visible note.", hours_ago=1)

    text = client.get("/corrections/").text

    assert "Visible note." in text
    for hidden in ("Draft note.", "Scheduled note.", "Not yet."):
        assert hidden not in text


def test_corrections_page_queries_do_not_grow_with_the_list(client, django_assert_max_num_queries):
    for n in range(15):
        correct(make_article(), f"Note {n}.", hours_ago=n + 1)
    # count + page of corrections joined to their stories, plus the site's section menu;
    # for the page cache, the next story and the next correction dated ahead.
    with django_assert_max_num_queries(5):
        response = client.get("/corrections/")
    assert response.text.count('class="correction ') == 15


def test_empty_corrections_page(client):
    response = client.get("/corrections/")
    assert response.status_code == 200
    assert "No corrections yet." in response.text
