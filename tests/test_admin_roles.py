"""Roles in the admin: real users in each group, posting to the admin's own URLs."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Credit
from comments.models import Comment
from tests.factories import browser_form_data, make_article, make_person, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def open_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return browser_form_data(response.text, "article_form")


def add_form_data(client, **changes):
    data = open_form(client, reverse("admin:articles_article_add"))
    data.update({"headline": "Port strike ends", "slug": "port-strike-ends"})
    data.update(changes)
    return data


def test_the_migration_creates_the_three_roles():
    writers, editors, moderators = (
        Group.objects.get(name=name) for name in ("Writers", "Editors", "Moderators")
    )

    def codenames(group):
        return set(group.permissions.values_list("codename", flat=True))

    assert {"add_article", "change_article"} <= codenames(writers)
    assert "publish_article" not in codenames(writers)
    assert "delete_article" not in codenames(writers)
    assert {"publish_article", "delete_article", "add_correction", "change_tag"} <= codenames(
        editors
    )
    assert codenames(moderators) == {
        "add_comment",  # a reply from the admin
        "view_comment",
        "change_comment",
        "delete_comment",
        "view_discussionsettings",  # which words hold the comments they judge
    }
    assert {"view_discussionsettings", "change_discussionsettings"} <= codenames(editors)


@pytest.mark.django_db(transaction=True)
def test_the_roles_are_made_again_when_a_test_empties_the_tables():
    """What the end of a ``transaction=True`` test does: the next test, on the same
    process, still finds the roles (tests/conftest.py)."""
    call_command("flush", interactive=False, verbosity=0)
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Writers", "Editors", "Moderators"} <= names


# Writers.


def test_writer_creates_a_draft_with_their_byline(writer):
    person = make_person(name="Ana Ruiz", user=writer.user)

    response = writer.post(reverse("admin:articles_article_add"), add_form_data(writer))

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="port-strike-ends")
    assert article.status == Status.DRAFT
    assert article.created_by == writer.user
    assert list(article.credits.values_list("person", "role")) == [(person.pk, "byline")]


def test_writer_is_offered_only_draft_and_review(writer):
    response = writer.get(reverse("admin:articles_article_add"))
    choices = [value for value, _ in response.context["adminform"].form.fields["status"].choices]
    assert choices == [Status.DRAFT, Status.REVIEW]


def test_writer_cannot_publish_by_posting_the_status(writer):
    data = add_form_data(writer, status=Status.PUBLISHED)

    response = writer.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_writer_cannot_schedule_or_embargo(writer):
    data = add_form_data(writer, status=Status.REVIEW)
    later = timezone.localtime() + timedelta(days=2)
    data.update(
        {
            "published_at_0": later.strftime("%Y-%m-%d"),
            "published_at_1": "09:00:00",
            "embargo_until_0": later.strftime("%Y-%m-%d"),
            "embargo_until_1": "09:00:00",
            "is_sticky": "on",
        }
    )

    response = writer.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.published_at, article.embargo_until, article.is_sticky) == (None, None, False)


def test_writer_edits_and_submits_their_own_draft(writer):
    article = make_article(status=Status.DRAFT, created_by=writer.user)
    data = open_form(writer, change_url(article))
    data.update(headline="Port strike ends after 40 days", status=Status.REVIEW)

    response = writer.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Port strike ends after 40 days", Status.REVIEW)


def test_writer_cannot_edit_their_story_once_submitted(writer):
    article = make_article(status=Status.REVIEW, created_by=writer.user, headline="Submitted")
    page = writer.get(change_url(article))
    assert page.status_code == 200  # read-only view
    assert 'name="headline"' not in page.text
    assert "Based on" not in page.text

    response = writer.post(change_url(article), {"headline": "Sneaky edit", "status": "draft"})

    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Submitted", Status.REVIEW)


def test_writer_cannot_edit_someone_elses_published_story(writer, editor):
    article = make_article(created_by=editor.user, headline="Council votes")

    response = writer.post(change_url(article), {"headline": "Hijacked"})

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "Council votes"


def test_writer_cannot_edit_someone_elses_draft(writer):
    other = make_staff("Writers")
    article = make_article(status=Status.DRAFT, created_by=other, headline="Theirs")

    assert writer.post(change_url(article), {"headline": "Mine now"}).status_code == 403
    article.refresh_from_db()
    assert article.headline == "Theirs"


def test_writer_cannot_delete(writer):
    article = make_article(status=Status.DRAFT, created_by=writer.user)
    url = reverse("admin:articles_article_delete", args=[article.pk])

    assert writer.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_writer_has_no_publish_action(writer):
    article = make_article(status=Status.DRAFT, created_by=writer.user)
    changelist = reverse("admin:articles_article_changelist")

    page = writer.get(changelist)
    assert 'value="publish"' not in page.text
    writer.post(changelist, {"action": "publish", "_selected_action": [article.pk]})

    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_writer_bulk_submits_only_their_own_drafts(writer):
    mine = make_article(status=Status.DRAFT, created_by=writer.user)
    theirs = make_article(status=Status.DRAFT, created_by=make_staff("Writers"))

    response = writer.post(
        reverse("admin:articles_article_changelist"),
        {"action": "submit_for_review", "_selected_action": [mine.pk, theirs.pk]},
        follow=True,
    )

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (Status.REVIEW, Status.DRAFT)
    assert "1 story submitted for review" in response.text
    assert "1 story left as they were" in response.text


# Editors.


def test_editor_publishes_now(editor):
    article = make_article(status=Status.REVIEW, created_by=make_staff("Writers"))
    data = open_form(editor, change_url(article))
    data["status"] = Status.PUBLISHED

    response = editor.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published
    assert abs(article.published_at - timezone.now()) < timedelta(minutes=1)
    assert editor.get(article.get_absolute_url()).status_code == 200


def test_editor_schedules_and_the_admin_says_when(editor):
    article = make_article(status=Status.REVIEW, headline="Budget day")
    data = open_form(editor, change_url(article))
    later = timezone.localtime() + timedelta(days=3)
    data.update(
        status=Status.PUBLISHED,
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1="06:00:00",
    )

    assert editor.post(change_url(article), data).status_code == 302

    article.refresh_from_db()
    assert article.is_scheduled
    page = editor.get(change_url(article))
    assert "Scheduled: goes live by itself on" in page.text
    listing = editor.get(reverse("admin:articles_article_changelist"))
    assert "Goes live" in listing.text
    editor.logout()
    assert editor.get(article.get_absolute_url()).status_code == 404


def test_editor_unpublishes_with_the_bulk_action(editor):
    live = make_article(headline="Mistaken story")

    editor.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [live.pk]},
    )

    live.refresh_from_db()
    assert live.status == Status.UNPUBLISHED
    editor.logout()
    assert editor.get(live.get_absolute_url()).status_code == 404


def test_editor_bulk_publishes_drafts(editor):
    draft = make_article(status=Status.DRAFT)
    planned = make_article(status=Status.REVIEW, published_at=timezone.now() + timedelta(hours=5))

    response = editor.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [draft.pk, planned.pk]},
        follow=True,
    )

    draft.refresh_from_db()
    planned.refresh_from_db()
    assert draft.is_published
    assert planned.is_scheduled
    assert "2 stories published (1 scheduled to go live later)" in response.text


def test_editor_edits_anyones_story(editor):
    article = make_article(created_by=make_staff("Writers"), headline="Old")
    data = open_form(editor, change_url(article))
    data["headline"] = "New"

    assert editor.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.headline == "New"


# Moderators.


def test_moderator_cannot_open_or_change_articles(moderator):
    article = make_article(headline="Untouched")

    assert moderator.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert moderator.get(change_url(article)).status_code == 403
    assert moderator.post(change_url(article), {"headline": "Edited"}).status_code == 403
    assert moderator.get(reverse("admin:articles_person_changelist")).status_code == 403
    article.refresh_from_db()
    assert article.headline == "Untouched"


def test_moderator_reaches_the_comment_queue(moderator):
    assert moderator.user.has_perms(["comments.view_comment", "comments.change_comment"])
    assert moderator.get(reverse("admin:index")).status_code == 200
    if not admin.site.is_registered(Comment):
        pytest.skip("the comments admin is not installed")
    assert moderator.get(reverse("admin:comments_comment_changelist")).status_code == 200


def test_nobody_without_a_role_gets_in(client):
    from django.contrib.auth.models import User

    nobody = User.objects.create_user("nobody", is_staff=True)
    client.force_login(nobody)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403


def test_credits_inline_saves_in_order(editor):
    article = make_article(status=Status.DRAFT)
    # Named against the alphabet: the order must come from "position", not from names.
    reporter, contributor = make_person(name="Zoe Byline"), make_person(name="Adam Helper")
    data = open_form(editor, change_url(article))
    data.update(
        {
            "credits-TOTAL_FORMS": "2",
            "credits-0-position": "0",
            "credits-0-person": str(reporter.pk),
            "credits-0-role": "byline",
            "credits-1-position": "1",
            "credits-1-person": str(contributor.pk),
            "credits-1-role": "reporting",
            "credits-1-note": "from Lagos",
        }
    )

    response = editor.post(change_url(article), data)

    assert response.status_code == 302
    assert list(Credit.objects.filter(article=article).values_list("person__name", "role")) == [
        ("Zoe Byline", "byline"),
        ("Adam Helper", "reporting"),
    ]
