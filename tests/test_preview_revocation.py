"""Preview links end: when an editor revokes them, and when the story is published,
scheduled, unpublished or deleted. A withdrawn link answers 410 and says so."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import preview
from articles.models import Article
from tests.factories import browser_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def revoke_url(article):
    return reverse("admin:articles_article_revoke_previews", args=[article.pk])


def logged_in(role):
    client = Client()
    client.force_login(make_staff(role))
    return client


def shared_link(client, article):
    """The preview link the story's change form offers, as a path."""
    page = client.get(change_url(article))
    assert page.status_code == 200
    url = re.search(r'href="(https?://[^"]*/preview/[^"]+/)"', page.text).group(1)
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def edit(client, article, **changes):
    data = browser_form_data(client.get(change_url(article)).text, "article_form")
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def assert_withdrawn(link):
    response = Client().get(link)
    assert response.status_code == 410
    assert "This preview link was withdrawn" in response.text
    assert "Ask the editor who sent it for a new one" in response.text
    assert "Budget leak" not in response.text
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def editor():
    return logged_in("Editors")


@pytest.fixture
def draft():
    return make_article(status=Status.DRAFT, headline="Budget leak", body="<p>Secret.</p>")


def test_an_editor_revokes_the_links_shared_so_far(editor, draft):
    link = shared_link(editor, draft)
    other = make_article(status=Status.DRAFT, headline="Another draft")
    others_link = shared_link(editor, other)
    assert "Budget leak" in Client().get(link).text
    assert revoke_url(draft) in editor.get(change_url(draft)).text  # the button

    confirm = editor.get(revoke_url(draft))
    assert confirm.status_code == 200
    assert "stops working at once" in confirm.text
    assert "Budget leak" in Client().get(link).text  # asking changes nothing
    response = editor.post(revoke_url(draft), follow=True)

    assert response.redirect_chain[-1][0] == change_url(draft)
    assert "shared so far no longer work" in response.text
    assert_withdrawn(link)
    new_link = shared_link(editor, draft)
    assert new_link != link
    assert "Budget leak" in Client().get(new_link).text
    assert "Another draft" in Client().get(others_link).text  # other stories keep theirs


def test_unpublishing_ends_the_links(editor, draft):
    """The issue's case: once the story is out and then pulled, a 7-day link must not
    show it again."""
    link = shared_link(editor, draft)
    edit(editor, draft, status=Status.PUBLISHED)
    draft.refresh_from_db()
    assert Client().get(link)["Location"] == draft.get_absolute_url()  # public now

    editor.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [draft.pk]},
    )

    draft.refresh_from_db()
    assert draft.status == Status.UNPUBLISHED
    assert_withdrawn(link)


def test_scheduling_ends_the_links_made_for_the_draft(editor, draft):
    link = shared_link(editor, draft)
    later = timezone.localtime() + timedelta(days=2)

    edit(
        editor,
        draft,
        status=Status.PUBLISHED,
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1="09:00:00",
    )

    draft.refresh_from_db()
    assert draft.is_scheduled
    assert_withdrawn(link)
    assert "scheduled for" in Client().get(shared_link(editor, draft)).text


def test_editing_or_submitting_keeps_the_links(editor, draft):
    link = shared_link(editor, draft)

    edit(editor, draft, headline="Budget leak, revised")
    edit(editor, draft, status=Status.REVIEW)

    assert "Budget leak, revised" in Client().get(link).text


def test_deleting_ends_the_links_and_recovering_does_not_revive_them(editor, draft):
    link = shared_link(editor, draft)
    edit(editor, draft, dek="Kept in a revision")
    editor.post(reverse("admin:articles_article_delete", args=[draft.pk]), {"post": "yes"})
    assert Client().get(link).status_code == 404

    [deleted] = Version.objects.get_deleted(Article)
    recover = reverse("admin:articles_article_recover", args=[deleted.pk])
    data = browser_form_data(editor.get(recover).text, "article_form")
    assert editor.post(recover, data).status_code == 302
    assert Article.objects.filter(pk=draft.pk).exists()

    assert_withdrawn(link)


def test_restoring_an_old_revision_does_not_revive_revoked_links(editor, draft):
    link = shared_link(editor, draft)
    edit(editor, draft, dek="First revision")  # keeps the key the link carries
    first = Version.objects.get_for_object(draft).get()
    editor.post(revoke_url(draft))
    assert_withdrawn(link)

    revision = reverse("admin:articles_article_revision", args=[draft.pk, first.pk])
    data = browser_form_data(editor.get(revision).text, "article_form")
    assert editor.post(revision, data).status_code == 302

    assert_withdrawn(link)


def test_only_whoever_may_change_the_story_revokes(draft):
    link = preview.make_token(draft)
    key = draft.preview_key
    for role in ("Writers", "Moderators"):
        client = logged_in(role)
        assert client.get(revoke_url(draft)).status_code == 403, role
        assert client.post(revoke_url(draft)).status_code == 403, role
        assert revoke_url(draft) not in client.get(change_url(draft)).text  # no button
    draft.refresh_from_db()
    assert draft.preview_key == key
    assert preview.read_token(link) == (draft.pk, key)

    writer = make_staff("Writers")
    own = make_article(status=Status.DRAFT, created_by=writer)
    client = Client()
    client.force_login(writer)
    assert client.post(revoke_url(own)).status_code == 302  # their own draft


def test_a_link_made_before_links_could_be_revoked_is_a_404(client, draft):
    token = signing.dumps(draft.pk, salt=preview.SALT)  # the old shape: the id alone
    assert client.get(reverse("articles:preview", kwargs={"token": token})).status_code == 404
