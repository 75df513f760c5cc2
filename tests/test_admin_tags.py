"""Tags in the admin: case-insensitive, picked as you type, renamed and merged."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, TaggedArticle
from tests.factories import browser_form_data, make_article

pytestmark = pytest.mark.django_db

TAGS = "admin:taggit_tag_changelist"


def names(article):
    return sorted(article.tags.names())


def test_article_form_reuses_a_tag_whatever_its_case(editor):
    china = Tag.objects.create(name="China", slug="china")
    story = make_article()
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = browser_form_data(editor.get(url).text, "article_form")
    data["tags"] = ["china", "Trade policy", "CHINA"]

    assert editor.post(url, data).status_code == 302

    assert names(story) == ["China", "Trade policy"]
    assert Tag.objects.filter(name__iexact="china").get() == china


def test_article_form_shows_current_tags_selected(editor):
    story = make_article(tags=["Ports", "Weather"])
    page = editor.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert '<option value="Ports" selected>Ports</option>' in page.text
    assert "data-tag-picker" in page.text
    assert f'data-ajax--url="{reverse("admin:articles_article_tag_suggestions")}"' in page.text


def test_tag_suggestions_put_prefix_matches_first(editor):
    for name in ("Northern Ireland", "North Korea", "Korea trade", "Weather"):
        Tag.objects.create(name=name, slug=name.lower().replace(" ", "-"))

    response = editor.get(reverse("admin:articles_article_tag_suggestions"), {"term": "kor"})

    assert [r["id"] for r in response.json()["results"]] == ["Korea trade", "North Korea"]


def test_moderators_get_no_tag_suggestions(moderator):
    response = moderator.get(reverse("admin:articles_article_tag_suggestions"), {"term": "a"})
    assert response.status_code == 403


def test_rename_a_tag(editor):
    tag = Tag.objects.create(name="Nort Korea", slug="north-korea")
    url = reverse("admin:taggit_tag_change", args=[tag.pk])

    response = editor.post(url, {"name": "North Korea", "slug": "north-korea"})

    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.name == "North Korea"


def test_renaming_into_a_case_twin_is_refused(editor):
    Tag.objects.create(name="China", slug="china")
    twin = Tag.objects.create(name="PRC", slug="prc")

    response = editor.post(
        reverse("admin:taggit_tag_change", args=[twin.pk]), {"name": "china", "slug": "prc"}
    )

    assert response.status_code == 200
    assert "Merge selected tags" in response.context["adminform"].form.errors["name"][0]
    twin.refresh_from_db()
    assert twin.name == "PRC"


def test_merge_asks_which_tag_to_keep_then_moves_the_stories(editor):
    keep = Tag.objects.create(name="China", slug="china")
    dupe = Tag.objects.create(name="PRC", slug="prc")
    both = make_article(tags=[keep, dupe])
    only_dupe = make_article(tags=[dupe])
    only_keep = make_article(tags=[keep])
    selected = {"action": "merge", "_selected_action": [keep.pk, dupe.pk]}

    question = editor.post(reverse(TAGS), selected)
    assert question.status_code == 200
    assert "Keep this tag" in question.text
    response = editor.post(reverse(TAGS), {**selected, "apply": "1", "target": keep.pk})

    assert response.status_code == 302
    assert list(Tag.objects.values_list("name", flat=True)) == ["China"]
    for story in (both, only_dupe, only_keep):
        assert names(story) == ["China"]
    assert TaggedArticle.objects.count() == 3


def test_merge_can_rename_the_kept_tag(editor):
    lower = Tag.objects.create(name="climate", slug="climate")
    upper = Tag.objects.create(name="Climate change", slug="climate-change")
    story = make_article(tags=[lower])

    editor.post(
        reverse(TAGS),
        {
            "action": "merge",
            "_selected_action": [lower.pk, upper.pk],
            "apply": "1",
            "target": lower.pk,
            "rename_to": "Climate",
        },
    )

    assert list(Tag.objects.values_list("name", "slug")) == [("Climate", "climate")]
    assert names(Article.objects.get(pk=story.pk)) == ["Climate"]


def test_writers_cannot_merge_tags(writer):
    a = Tag.objects.create(name="A", slug="a")
    b = Tag.objects.create(name="B", slug="b")

    writer.post(
        reverse(TAGS),
        {"action": "merge", "_selected_action": [a.pk, b.pk], "apply": "1", "target": a.pk},
    )

    assert Tag.objects.count() == 2
