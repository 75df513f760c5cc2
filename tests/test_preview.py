"""Preview: staff see drafts on the public page; outsiders need a signed, expiring link."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles import preview
from articles.models import Article
from tests.factories import make_article, make_staff

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


# Who previews: whoever may see stories in the admin, not every staff member.


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Status.DRAFT},
        {"published_at": timedelta(days=2)},  # scheduled
        {"status": Status.REVIEW, "embargo_until": timedelta(days=1)},
        {"published_at": timedelta(days=2), "embargo_until": timedelta(days=1)},
        {"status": Status.UNPUBLISHED, "published_at": -timedelta(days=2)},
    ],
    ids=["draft", "scheduled", "embargoed", "scheduled-under-embargo", "unpublished"],
)
def test_a_moderator_reads_the_site_as_a_reader_does(client, hidden):
    now = timezone.now()
    fields = {
        key: now + value if isinstance(value, timedelta) else value for key, value in hidden.items()
    }
    story = make_article(headline="Not for readers yet", **fields)
    client.force_login(make_staff("Moderators"))

    response = client.get(story.get_absolute_url())

    assert response.status_code == 404
    assert "Not for readers yet" not in response.text


def test_a_moderator_gets_published_stories_fresh_and_never_stores_them(client):
    story = make_article(headline="Public version")
    reader = client.__class__()
    reader.get(story.get_absolute_url())  # stored for readers
    Article.objects.filter(pk=story.pk).update(headline="Edited, not yet touched")
    client.force_login(make_staff("Moderators"))

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    assert "Edited, not yet touched" in response.text  # not the readers' stored copy
    assert "private" in response["Cache-Control"]
    assert "Public version" in reader.get(story.get_absolute_url()).text  # nor stored as theirs


def test_whoever_may_view_stories_in_the_admin_previews(client):
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    draft = make_article(status=Status.DRAFT, headline="Draft for viewers")
    client.force_login(viewer)

    assert client.get(draft.get_absolute_url()).status_code == 200
