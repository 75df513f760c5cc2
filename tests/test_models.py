from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.utils import timezone

from articles.credits import closing_lines, join_names
from articles.models import Article, Correction, Credit, Person, RelatedLink, newsroom_name
from articles.related import related_articles
from tests.factories import make_article, make_person

pytestmark = pytest.mark.django_db


class TestSanitizing:
    def test_script_and_handlers_are_removed_on_save(self):
        article = make_article(
            body='<p onclick="steal()">Hi <script>alert(1)</script>'
            '<a href="javascript:x()">x</a></p>'
        )
        article.refresh_from_db()
        assert "<script" not in article.body
        assert "onclick" not in article.body
        assert "javascript:" not in article.body
        assert article.body.startswith("<p>Hi ")

    def test_allowed_markup_survives(self):
        html = (
            '<h2>Sub</h2><p><strong>b</strong> <em>i</em> <a href="https://example.com/">l</a></p>'
            "<blockquote><p>q</p></blockquote><ul><li>one</li></ul>"
        )
        assert make_article(body=html).body == html

    def test_styles_iframes_and_data_urls_are_removed(self):
        article = make_article(
            body='<p style="color:red">a</p><iframe src="https://e.com"></iframe>'
            '<img src="data:image/png;base64,AAAA" alt="x">'
        )
        assert "style" not in article.body
        assert "iframe" not in article.body
        assert "data:" not in article.body


class TestPublicationRules:
    def test_only_published_and_past_articles_are_public(self):
        now = timezone.now()
        visible = make_article(published_at=now - timedelta(minutes=1))
        make_article(status=Article.Status.DRAFT)
        make_article(status=Article.Status.REVIEW)
        make_article(status=Article.Status.UNPUBLISHED, published_at=now - timedelta(days=1))
        scheduled = make_article(published_at=now + timedelta(hours=1))
        assert list(Article.objects.published()) == [visible]
        assert scheduled.is_scheduled and not scheduled.is_published

    def test_scheduled_story_becomes_public_when_its_time_comes(self):
        article = make_article(published_at=timezone.now() + timedelta(seconds=1))
        assert not Article.objects.published().filter(pk=article.pk).exists()
        Article.objects.filter(pk=article.pk).update(
            published_at=timezone.now() - timedelta(seconds=1)
        )
        assert Article.objects.published().filter(pk=article.pk).exists()

    def test_corrections_of_unpublished_stories_are_hidden(self):
        public = make_article()
        draft = make_article(status=Article.Status.DRAFT)
        shown = Correction.objects.create(article=public, text="Fixed a name.")
        Correction.objects.create(article=draft, text="Hidden.")
        Correction.objects.create(
            article=public, text="Future.", published_at=timezone.now() + timedelta(days=1)
        )
        assert list(Correction.objects.published()) == [shown]


class TestExcerpt:
    def test_long_text_is_cut_at_a_word_boundary_with_an_ellipsis(self):
        words = " ".join(f"word{i}" for i in range(40))
        article = make_article(body=f"<p>{words}</p>")
        assert article.excerpt == " ".join(f"word{i}" for i in range(27)) + "…"

    def test_short_dek_is_kept_whole(self):
        assert make_article(dek="A short summary.").excerpt == "A short summary."


class TestRelatedPosts:
    def test_picks_come_first_in_order_then_most_shared_tags(self):
        story = make_article(tags=["china", "russia", "korea"])
        pick_b = make_article(headline="Pick B")
        pick_a = make_article(headline="Pick A")
        RelatedLink.objects.create(from_article=story, to_article=pick_b, position=0)
        RelatedLink.objects.create(from_article=story, to_article=pick_a, position=1)
        two_tags = make_article(headline="Two shared", tags=["china", "russia"])
        one_tag_new = make_article(headline="One shared new", tags=["korea"])
        one_tag_old = make_article(
            headline="One shared old",
            tags=["china"],
            published_at=timezone.now() - timedelta(days=3),
        )
        make_article(headline="No shared tags", tags=["sports"])
        related = related_articles(story, limit=5)
        assert [a.headline for a in related] == [
            "Pick B",
            "Pick A",
            two_tags.headline,
            one_tag_new.headline,
            one_tag_old.headline,
        ]

    def test_unpublished_articles_never_appear(self):
        story = make_article(tags=["china"])
        draft = make_article(status=Article.Status.DRAFT, tags=["china"])
        scheduled = make_article(published_at=timezone.now() + timedelta(days=1), tags=["china"])
        RelatedLink.objects.create(from_article=story, to_article=draft)
        RelatedLink.objects.create(from_article=story, to_article=scheduled, position=1)
        assert related_articles(story) == []

    def test_an_article_is_not_related_to_itself(self):
        story = make_article(tags=["china"])
        with pytest.raises(IntegrityError):
            RelatedLink.objects.create(from_article=story, to_article=story)


class TestCredits:
    def test_join_names(self):
        assert join_names(["A"]) == "A"
        assert join_names(["A", "B"]) == "A and B"
        assert join_names(["A", "B", "C"]) == "A, B and C"

    def test_closing_lines_group_people_with_the_same_role_and_note(self):
        story = make_article()
        olivia, keith = make_person(name="Olivia Wang"), make_person(name="Keith Bradsher")
        photographer = make_person(name="Lam Yik Fei")
        for position, (person, role, note) in enumerate(
            [
                (olivia, Credit.Role.REPORTING, "from Hong Kong"),
                (keith, Credit.Role.REPORTING, "from Hong Kong"),
                (photographer, Credit.Role.PHOTOGRAPHY, ""),
            ]
        ):
            Credit.objects.create(
                article=story, person=person, role=role, note=note, position=position
            )
        assert closing_lines(story.credits.select_related("person")) == [
            "Olivia Wang and Keith Bradsher contributed reporting from Hong Kong.",
            "Photographs by Lam Yik Fei.",
        ]

    def test_a_person_has_one_credit_per_role_on_a_story(self):
        story, person = make_article(), make_person()
        Credit.objects.create(article=story, person=person)
        with pytest.raises(IntegrityError):
            Credit.objects.create(article=story, person=person)


class TestNewsroomName:
    """How the desk names a staff member: their person's name, else full name, else login."""

    def test_person_name_first_then_full_name_then_login(self, db):
        user = get_user_model().objects.create_user("mbrooks", first_name="M.", last_name="B")
        assert newsroom_name(user) == "M. B"
        Person.objects.create(name="Maya Brooks", slug="maya-brooks", user=user)
        assert newsroom_name(user) == "Maya Brooks"
        plain = get_user_model().objects.create_user("plain")
        assert newsroom_name(plain) == "plain"


def test_an_excerpt_of_a_long_body_is_its_opening_words_and_marks_the_cut():
    paragraph = "<p>" + " ".join(f"word{n}" for n in range(40)) + "</p>"
    story = Article(body=paragraph * 100)
    assert story.excerpt == " ".join(f"word{n}" for n in range(27)) + "…"
    figures = "<figure><img src='/x.jpg' alt=''></figure>" * 200  # no words at the opening
    story = Article(body=figures + "<p>At last the text.</p>")
    assert story.excerpt == "At last the text."


@pytest.mark.parametrize("words_at_first", [0, 5, 26, 27, 28, 60])
@pytest.mark.parametrize("markup", ["<p>{}</p>", "<p><em>{}</em> and <a href='/x'>link</a></p>"])
def test_an_excerpt_is_what_the_whole_body_would_give(words_at_first, markup):
    # The opening is read in growing parts (articles.excerpts): whatever the part where
    # the words end, the excerpt is the one the whole body's text would give.
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    padding = "<figure><img src='/x.jpg' alt=''></figure>" * 12  # about 500 characters
    opening = markup.format(" ".join(f"w&amp;{n}" for n in range(words_at_first)))
    body = opening + padding + markup.format(" ".join(f"later{n}" for n in range(40))) * 30
    whole = Truncator(" ".join(strip_tags(body).split())).words(27, truncate="…")
    assert Article(body=body).excerpt == whole


def test_a_storys_address_has_its_day_in_the_newsrooms_zone_whatever_zone_is_active(settings):
    settings.TIME_ZONE = "America/New_York"
    article = make_article(slug="late", published_at=datetime(2024, 6, 20, 3, 30, tzinfo=UTC))
    with timezone.override("Asia/Tokyo"):
        assert article.get_absolute_url() == "/2024/06/19/late/"
