"""Preview: staff see drafts on the public page; outsiders need a signed, expiring link."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles import preview
from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

Status = Article.Status


def link_path(article):
    return reverse("articles:preview", kwargs={"token": preview.make_token(article)})


def test_staff_preview_a_draft_on_its_public_page(writer):
    draft = make_article(status=Status.DRAFT, headline="Draft budget story")

    response = writer.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "Draft budget story" in response.text
    assert "Preview:" in response.text
    assert "no-cache" in response["Cache-Control"]


def test_readers_cannot_see_a_draft_or_a_scheduled_story(client):
    draft = make_article(status=Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(days=2))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_the_change_form_has_preview_and_a_share_link(editor):
    draft = make_article(status=Status.DRAFT)

    page = editor.get(reverse("admin:articles_article_change", args=[draft.pk]))

    assert ">Preview</a>" in page.text
    assert "/preview/" in page.text
    assert "For a reviewer without a login" in page.text


def test_a_signed_link_shows_the_draft_to_anyone_uncached_and_unindexed(client):
    draft = make_article(status=Status.DRAFT, headline="Embargoed report")

    response = client.get(link_path(draft))

    assert response.status_code == 200
    assert "Embargoed report" in response.text
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_scheduled_story_previews_through_its_link(client):
    scheduled = make_article(headline="Tomorrow's story")
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=scheduled.published_at + timedelta(days=2)
    )
    response = client.get(link_path(scheduled))
    assert response.status_code == 200
    assert "scheduled for" in response.text


def test_a_tampered_link_is_a_404(client):
    draft = make_article(status=Status.DRAFT)
    forged = signing.dumps(draft.pk, key="not-our-secret-key", salt=preview.SALT)

    assert client.get(reverse("articles:preview", kwargs={"token": forged})).status_code == 404
    assert client.get(reverse("articles:preview", kwargs={"token": "nonsense"})).status_code == 404


def test_a_link_signed_for_something_else_is_a_404(client):
    draft = make_article(status=Status.DRAFT)
    token = signing.dumps(draft.pk, salt="some.other.purpose")
    assert client.get(reverse("articles:preview", kwargs={"token": token})).status_code == 404


def test_an_expired_link_says_so(client, monkeypatch):
    draft = make_article(status=Status.DRAFT, headline="Old secret")
    path = link_path(draft)
    later = time.time() + preview.LINK_LIFETIME.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)

    response = client.get(path)

    assert response.status_code == 410
    assert "expired" in response.text
    assert "Old secret" not in response.text


def test_once_published_the_link_leads_to_the_story(client):
    story = make_article(status=Status.DRAFT)
    path = link_path(story)
    Article.objects.filter(pk=story.pk).update(
        status=Status.PUBLISHED, published_at=story.created_at
    )
    story.refresh_from_db()

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == story.get_absolute_url()
