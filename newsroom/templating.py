"""The Jinja2 environment of the reader pages' hottest parts (templates/jinja2/).

A story page seen for the first time renders its story, its related posts and its
comment section; through Django's template language that was a third of the page,
and the same markup compiled to Python by Jinja2 takes half the time. The rest of
the site (base.html, the listings around the cards, the admin) stays in Django's
language; a Django template includes a Jinja2 one with ``{% partial %}``
(core.templatetags.partials), and Python renders one as HTML with core.parts.

The functions are the Django template tags' and filters' own (a tag library's
``simple_tag`` and ``filter`` return the function they register), so a rule has one
statement, for both languages. Two things make the output byte for byte what
Django's templates wrote: values are escaped as Django escapes them (``&#x27;``,
``&quot;``), and Django's filters get what Django gives them (local time; whether
autoescaping is on).
"""

from html import escape

import jinja2
from django.template import defaultfilters
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime

from articles.templatetags import body_photos, oembed, seo, stories
from comments.templatetags.discussion import comment_count
from live.templatetags.live import live_badge, live_head
from photos.templatetags.photos import picture


def escaped(value):
    """What ``{{ value }}`` prints: as Django's templates print it (django.utils.html.escape)."""
    if hasattr(value, "__html__"):
        return value
    return SafeString(escape(str(value)))


def django_filter(function):
    """A Django template filter as a Jinja2 one, given what Django's engine gives it."""
    localtime = getattr(function, "expects_localtime", False)
    autoescape = getattr(function, "needs_autoescape", False)
    if not (localtime or autoescape):
        return function

    def adapted(value, *args):
        value = template_localtime(value) if localtime else value
        return function(value, *args, autoescape=True) if autoescape else function(value, *args)

    return adapted


FILTERS = {
    "date": defaultfilters.date,
    "linebreaks": defaultfilters.linebreaks_filter,
    "pluralize": defaultfilters.pluralize,
    **stories.register.filters,
    **body_photos.register.filters,
    **seo.register.filters,
}

GLOBALS = {
    "canonical_url": seo.canonical_url,
    "comment_count": comment_count,
    "live_badge": live_badge,
    "live_head": live_head,
    "news_article_json_ld": seo.news_article_json_ld,
    "oembed_url": oembed.oembed_url,
    "picture": picture,
    "poster": stories.poster,
    "route": stories.route,
    "share_image": seo.share_image,
}


def environment(**options):
    """Django's Jinja2 backend passes ``autoescape=True`` (its default) in ``options``."""
    env = jinja2.Environment(finalize=escaped, keep_trailing_newline=True, **options)  # noqa: S701
    env.filters.update({name: django_filter(f) for name, f in FILTERS.items()})
    env.globals.update(GLOBALS)
    return env
