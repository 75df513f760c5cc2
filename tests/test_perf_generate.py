"""``generate_content``: a realistic archive, written in bulk, that the site serves as is."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles.models import Article, Credit, RelatedLink, TaggedArticle
from comments.models import Comment
from search.models import SearchDocument
from search.query import rank

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def generate(run_tasks):
    """``generate_content``, then the search indexing it queued."""

    def generate(**options):
        call_command("generate_content", stdout=StringIO(), **options)
        run_tasks()

    return generate


def test_an_archive_with_everything_a_newsroom_has(generate):
    generate(articles=60, comments_per_article=5, days=30)

    stories = Article.objects.all()
    assert stories.count() == 60
    published = Article.objects.published()
    assert 50 <= published.count() <= 60
    assert stories.exclude(section=None).count() == 60
    links = TaggedArticle.objects.count()
    assert 60 * 3 <= links <= 60 * 9  # six tags a story on average
    assert Credit.objects.filter(role=Credit.Role.BYLINE).values("article").distinct().count() == 60
    assert RelatedLink.objects.exists()
    comments = Comment.objects.filter(article__in=published)
    assert comments.count() == 5 * published.count()
    assert comments.exclude(parent=None).exists()  # threads
    assert {c.status for c in comments} >= {Comment.Status.APPROVED, Comment.Status.PENDING}
    # Bulk inserts skip save(): what save() derives was filled in all the same.
    assert not comments.filter(body_html="").exists()
    assert not comments.filter(body_hash=None).exists()
    for story in published.annotate(n=Count("comments")).filter(n__gt=0)[:10]:
        approved = story.comments.filter(status=Comment.Status.APPROVED).count()
        assert story.comment_count == approved
    assert SearchDocument.objects.count() == 60


def test_the_generated_site_is_served(client, generate):
    generate(articles=30, comments_per_article=3, days=10)
    picked = RelatedLink.objects.filter(to_article__in=Article.objects.published())
    story = Article.objects.published().filter(
        comment_count__gt=0, pk__in=picked.values("from_article")
    )[0]
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    assert story.headline in page.text
    assert f"{story.comment_count} Comment" in page.text
    assert "Related Posts" in page.text
    assert client.get("/").status_code == 200
    word = story.headline.split(":")[0]
    assert story.pk in rank(word).ids


def test_running_it_again_adds_more(generate):
    generate(articles=10, comments_per_article=2, days=5)
    generate(articles=10, comments_per_article=2, days=5)
    assert Article.objects.count() == 20
    # Keys chosen by the command continue where the last run stopped.
    assert Article.objects.create(headline="By hand", slug="by-hand").pk > 20


def test_nonsense_is_refused(generate):
    with pytest.raises(CommandError, match="--articles"):
        generate(articles=0)
