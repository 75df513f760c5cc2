"""The reader pages' Jinja2 parts (newsroom/templating.py, templates/jinja2/) write what
Django's templates wrote: the same escaping, dates in the site's time zone, Django's
filters as Django calls them, and a Jinja2 include in a Django template
(``{% partial %}``) that is neither escaped twice nor given more than it is named."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template, engines
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Credit
from newsroom.templating import escaped
from tests.factories import make_article, make_person, make_section

pytestmark = pytest.mark.django_db

HOSTILE = 'Ed\'s "big" <plan> & more'


def jinja(source, **context):
    return engines["jinja2"].from_string(source).render(context)


@pytest.mark.parametrize("value", [HOSTILE, "plain", 12, None, 1.5])
def test_a_value_is_escaped_as_django_escapes_it(value):
    assert escaped(value) == escape(value)
    assert isinstance(escaped(value), SafeString)
    assert jinja("{{ value }}", value=value) == escape(value)


def test_safe_html_is_printed_as_it_is():
    html = mark_safe("<b>bold</b>")  # noqa: S308
    assert escaped(html) is html
    assert jinja("{{ html }}", html=html) == "<b>bold</b>"


def test_a_story_page_escapes_its_values_as_before(client):
    article = make_article(headline=HOSTILE, dek=HOSTILE, section=make_section(name=HOSTILE))
    page = client.get(article.get_absolute_url()).content.decode()
    written = "Ed&#x27;s &quot;big&quot; &lt;plan&gt; &amp; more"
    assert f'<h1 class="headline">{written}</h1>' in page
    assert f'<p class="dek">{written}</p>' in page
    assert f'<meta property="og:title" content="{written}">' in page
    assert f'<meta property="article:section" content="{written}">' in page
    assert HOSTILE not in page


def test_dates_are_written_in_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "America/New_York"
    # Late in the evening in New York is the next day in UTC.
    published = datetime(2024, 6, 20, 3, 30, tzinfo=UTC)
    article = make_article(published_at=published)
    Article.objects.filter(pk=article.pk).update(updated_at=published + timedelta(hours=1))
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<time datetime="2024-06-19T23:30:00-04:00">June 19, 2024</time>' in page
    updated = '<time datetime="2024-06-20T00:30:00-04:00">June 20, 2024, 12:30 a.m. EDT</time>'
    assert f"Updated {updated}" in page
    assert '<meta property="article:published_time" content="2024-06-19T23:30:00-04:00">' in page


def test_django_filters_get_what_django_gives_them():
    # linebreaks escapes only when autoescaping, as it is here.
    assert jinja("{{ text|linebreaks }}", text="a <b>\n\nc") == "<p>a &lt;b&gt;</p>\n\n<p>c</p>"
    assert jinja("{{ n }} comment{{ n|pluralize }}", n=2) == "2 comments"
    assert jinja("{{ n }} comment{{ n|pluralize }}", n=1) == "1 comment"


def test_a_partial_is_included_once_escaped_with_only_the_values_named():
    ada = make_person(name="Ada <Lovelace>")
    article = make_article(bylines=[ada])
    template = Template(
        "{% load partials %}{% partial 'includes/byline.html' credits=credits %}"
        "|{% partial 'includes/byline.html' %}"
    )
    credits = Credit.objects.filter(article=article).select_related("person")
    html = template.render(Context({"credits": credits}))
    assert html == (
        f'<p class="byline">By <a href="{ada.get_absolute_url()}" rel="author">'
        "Ada &lt;Lovelace&gt;</a></p>\n\n|\n"  # no credits named: none shown
    )


def test_a_missing_partial_is_an_error_that_names_it():
    from django.template import TemplateDoesNotExist

    template = Template("{% load partials %}{% partial 'includes/no-such-part.html' %}")
    with pytest.raises(TemplateDoesNotExist, match="no-such-part"):
        template.render(Context({}))


def test_a_listing_shows_its_cards_through_partials(client):
    writer = make_person(name="Bo Writer")
    article = make_article(headline="A card's story", bylines=[writer], section=make_section())
    page = client.get("/").content.decode()
    assert '<li class="story-lead"><article class="card card-lead">' in page
    title = f'<a href="{article.get_absolute_url()}">A card&#x27;s story</a>'
    assert f'<h2 class="card-title">{title}</h2>' in page
    assert f'<a href="{writer.get_absolute_url()}" rel="author">Bo Writer</a>' in page


def test_a_filter_wanting_local_time_and_autoescaping_gets_both(settings):
    from newsroom.templating import django_filter

    settings.TIME_ZONE = "America/New_York"

    def shown(value, autoescape):
        return f"{value.isoformat()} {autoescape}"

    shown.expects_localtime = shown.needs_autoescape = True
    moment = datetime(2024, 6, 20, 3, 30, tzinfo=UTC)
    assert django_filter(shown)(moment) == "2024-06-19T23:30:00-04:00 True"


def test_small_cards_show_all_they_show_from_the_ranking_query_alone(
    settings, tmp_path, django_assert_num_queries
):
    from articles.models import published_story
    from articles.related import related_articles
    from core import parts
    from tests.photo_files import make_photo

    settings.MEDIA_ROOT = tmp_path
    story = make_article(tags=["harbour"])
    make_article(
        headline="Watch the boats",
        kind=Article.Kind.VIDEO,
        duration=95,
        lead_photo=make_photo(),
        tags=["harbour"],
    )
    make_article(headline="Live: the regatta", kind=Article.Kind.LIVE, tags=["harbour"])
    story = published_story(story.slug)  # with its tags, as the page reads it
    # The ranking with its stories' columns and photos, and the next scheduled story
    # (the kept ranking ends when it goes live): no query for a column a card shows.
    with django_assert_num_queries(2):
        html = parts.render("articles/related.html", {"related_articles": related_articles(story)})
    assert '<span class="badge badge-video">Video · <time datetime="PT1M35S">1:35</time>' in html
    assert '<span class="badge badge-live">Live</span> <a href="' in html
    assert "<picture><source" in html and 'alt="Boats in the harbour at dawn"' in html
    # With the ranking kept, its stories are read again with the same columns: one query.
    with django_assert_num_queries(1):
        again = parts.render("articles/related.html", {"related_articles": related_articles(story)})
    assert again == html
