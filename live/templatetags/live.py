"""A live story on its page and on cards: ``{% live_stream article %}`` (the entries,
under the story's text), ``{% live_head article %}`` (its feed and LiveBlogPosting
JSON-LD, in the story's head tags) and ``{% live_badge article %}``.

Each declares what it shows (core.rendering): the stream and the JSON-LD the
story's entries (``live:<pk>``), the badge the moment coverage ends by the clock.
"""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html

from articles import seo
from core.routes import cached_reverse
from live import stream
from live.models import PAGE_SIZE
from live.seo import live_blog_posting

register = template.Library()


@register.simple_tag(takes_context=True)
def live_stream(context, article):
    """The story's status, key points and a page of its entries (``?before=`` for
    older ones: an entry that is not one of the story's is a 404). The first page
    of open coverage carries what static/js/live.js needs to follow it."""
    request = context["request"]
    before = stream.cursor(request.GET.get("before"))
    page = stream.stream_page(article, before)
    stream.coverage_ends(article)
    address = article.address()
    fragment = cached_reverse("live:entry-fragment", *address, 0)
    following = before is None and article.is_published and article.is_live_open
    return render_to_string(
        "live/stream.html",
        {
            "article": article,
            "page": page,
            "before": before,
            "ended": not article.is_live_open,
            "following": following,
            "poll_url": cached_reverse("live:updates", *address),
            # The fragment of entry N is this prefix, N, "/fragment/" (live.urls).
            "fragment_prefix": fragment.removesuffix("0/fragment/"),
            "poll_seconds": settings.LIVE_POLL_SECONDS,
            "page_size": PAGE_SIZE,
        },
        request,
    )


@register.simple_tag
def live_head(article):
    """The story's feed of entries and its LiveBlogPosting (instead of NewsArticle)."""
    feed = seo.absolute_url(cached_reverse("live:feed", *article.address()))
    return format_html(
        '<link rel="alternate" type="application/rss+xml" title="{} (updates)" href="{}">\n{}',
        article.headline,
        feed,
        seo.json_ld_script(live_blog_posting(article)),
    )


@register.simple_tag
def live_badge(article):
    """ "Live" while readers can follow the story (read from its row: no query)."""
    if not article.is_live_open:
        return ""
    stream.coverage_ends(article)
    return format_html('<span class="badge badge-live">{}</span>', "Live")
