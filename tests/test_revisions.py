"""Revisions through the admin: every save kept, compare two, restore one, no lost update."""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Credit
from tests.factories import browser_form_data, make_article, make_person, make_staff

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def edit(client, article, **changes):
    """Open the change form, change fields, save: what an editor does."""
    data = browser_form_data(client.get(change_url(article)).text, "article_form")
    data.update(changes)
    return client.post(change_url(article), data)


def test_every_admin_save_keeps_a_revision_with_its_author(editor):
    article = make_article(headline="First headline")

    edit(editor, article, headline="Second headline")
    edit(editor, article, headline="Third headline")

    versions = Version.objects.get_for_object(article)
    assert [v.field_dict["headline"] for v in versions] == ["Third headline", "Second headline"]
    assert {v.revision.user for v in versions} == {editor.user}
    history = editor.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert history.status_code == 200
    assert history.text.count('type="radio" name="old"') == 2
    assert "Changed Headline." in history.text


def test_compare_shows_what_changed_word_by_word(editor):
    article = make_article(headline="Storm hits the coast", body="<p>Rain fell.</p>")
    edit(editor, article, dek="Forecasters warned.")
    edit(editor, article, headline="Storm batters the coast")
    edit(editor, article, body="<p>Rain fell all night.</p>")
    newest, _, first = Version.objects.get_for_object(article)

    response = editor.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"old": first.pk, "new": newest.pk},
    )

    assert response.status_code == 200
    assert "Storm <del>hits </del><ins>batters </ins>the coast" in response.text
    # The body is compared as the text readers read, not as its HTML source.
    assert '<p class="diff-block diff-p">Rain fell <ins>all night</ins>.</p>' in response.text
    assert "&lt;p&gt;" not in response.text
    assert [label for label, _ in response.context["changes"]] == ["Headline", "Body"]


def test_compare_needs_two_revisions_of_this_story(editor):
    article = make_article()
    other = make_article()
    edit(editor, article, headline="A")
    edit(editor, other, headline="B")
    mine = Version.objects.get_for_object(article).first()
    theirs = Version.objects.get_for_object(other).first()
    url = reverse("admin:articles_article_compare", args=[article.pk])

    assert editor.get(url, {"old": mine.pk, "new": theirs.pk}).status_code == 404
    assert editor.get(url, {"old": "x", "new": mine.pk}).status_code == 404


def test_restoring_a_revision_brings_back_the_story_and_its_credits(editor):
    article = make_article(headline="Original headline")
    reporter = make_person(name="Kim Reporter")
    Credit.objects.create(article=article, person=reporter)
    edit(editor, article, headline="Original headline", dek="Kept")
    original = Version.objects.get_for_object(article).first()
    data = browser_form_data(editor.get(change_url(article)).text, "article_form")
    data.update({"headline": "Rewritten", "credits-0-DELETE": "on"})
    assert editor.post(change_url(article), data).status_code == 302
    assert not article.credits.exists()

    revision_url = reverse("admin:articles_article_revision", args=[article.pk, original.pk])
    form = editor.get(revision_url)
    assert form.status_code == 200
    assert "Original headline" in form.text
    article.refresh_from_db()
    assert article.headline == "Rewritten"  # looking at a revision changes nothing
    response = editor.post(revision_url, browser_form_data(form.text, "article_form"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Original headline"
    assert list(article.credits.values_list("person__name", flat=True)) == ["Kim Reporter"]
    latest = Version.objects.get_for_object(article).first()
    assert "Reverted" in latest.revision.get_comment()


def test_a_save_based_on_a_stale_copy_is_refused(editor):
    article = make_article(headline="Shared story")
    edit(editor, article, dek="first revision")
    stale = browser_form_data(editor.get(change_url(article)).text, "article_form")

    maria = Client()
    maria.force_login(make_staff("Editors", username="maria"))
    assert edit(maria, article, headline="Maria's headline").status_code == 302

    stale["headline"] = "Ed's headline"
    response = editor.post(change_url(article), stale)

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.headline == "Maria's headline"
    assert "maria saved this story" in response.text
    assert "your changes were not saved" in response.text
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    assert f'href="{compare}?old=' in response.text
    # Reopening the form gets the current copy, which saves.
    assert edit(editor, article, headline="Ed's headline").status_code == 302


def test_stale_link_opens_the_comparison(editor):
    article = make_article(headline="Before")
    edit(editor, article, dek="opened")
    stale = browser_form_data(editor.get(change_url(article)).text, "article_form")
    edit(editor, article, headline="After")

    response = editor.post(change_url(article), stale)

    link = response.context["adminform"].form.non_field_errors()[0]
    href = link.split('href="')[1].split('"')[0].replace("&amp;", "&")
    comparison = editor.get(href)
    assert comparison.status_code == 200
    assert "<del>Before</del><ins>After</ins>" in comparison.text


def test_first_save_of_a_story_with_no_revisions_is_not_stale(editor):
    article = make_article()  # made outside the admin: no revision yet
    assert edit(editor, article, headline="Fine").status_code == 302


def test_bulk_action_keeps_one_revision_per_story(editor):
    first, second = make_article(status="draft"), make_article(status="draft")

    editor.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [first.pk, second.pk]},
    )

    a, b = (Version.objects.get_for_object(x).get() for x in (first, second))
    assert a.revision_id != b.revision_id
    assert a.field_dict["status"] == Article.Status.PUBLISHED
