"""What search engines and social sites are told about a live story and its entries.

The story is a schema.org ``LiveBlogPosting``: the NewsArticle of articles.seo
(headline, images, authors, publisher, dates) retyped, with the coverage's start
and, once it ended, its end, and its newest entries as ``liveBlogUpdate``
BlogPostings, as Google's guidance for live coverage describes. An entry's own
page is shared with its headline and opening words (``entry_share``).
"""

from django.utils.text import Truncator

from articles import seo
from live.stream import stream_page
from photos import renditions

# The entries a LiveBlogPosting lists: the newest, as a crawler sees the page.
JSON_LD_UPDATES = 20
# An entry's opening words, as og:description.
SHARE_WORDS = 40


def blog_posting(entry, story_authors):
    """One update: its own headline (else its opening words), time, text, address and
    authors (else the story's)."""
    authors = [seo.person(p) for p in entry.authors.all()] or story_authors
    data = {
        "@type": "BlogPosting",
        "headline": entry.key_point,
        "datePublished": seo.iso(entry.published_at),
        "dateModified": seo.iso(max(entry.published_at, entry.modified_at)),
        "articleBody": entry.text,
        "url": seo.absolute_url(entry.get_absolute_url()),
        "author": authors or None,
    }
    return {key: value for key, value in data.items() if value}


def live_blog_posting(story):
    """schema.org LiveBlogPosting of ``story`` (credits and tags prefetched, as for
    articles.seo.news_article), with its newest entries."""
    data = seo.news_article(story)
    data["@type"] = "LiveBlogPosting"
    data.pop("dateline", None)  # each entry has its own time and place
    data["coverageStartTime"] = seo.iso(story.coverage_started_at)
    if not story.is_live_open:
        data["coverageEndTime"] = seo.iso(story.coverage_ended_at)
    updates = stream_page(story).newest(JSON_LD_UPDATES)
    data["liveBlogUpdate"] = [blog_posting(e, data.get("author", [])) for e in updates]
    if updates:
        newest = max(max(e.published_at, e.modified_at) for e in updates)
        # A preview of a story not out yet has no time of its own.
        story_time = story.updated_at or story.published_at or newest
        data["dateModified"] = seo.iso(max(newest, story_time))
    return data


def entry_share(entry):
    """og:title, og:description, og:url and og:image of an entry's own page: its
    headline (else the story's), its opening words, its address and a photo of its
    text (else the story's lead photo)."""
    return {
        "title": entry.headline or entry.story.headline,
        "description": Truncator(" ".join(entry.text.split())).words(SHARE_WORDS, truncate="…"),
        "url": seo.absolute_url(entry.get_absolute_url()),
        "image": entry_image(entry),
    }


def entry_image(entry):
    """The first photo of the entry's text in the share crop, as articles.seo.share_image
    makes a story's lead photo; else the story's."""
    photo = entry.first_photo
    if photo is None or not photo.file:
        return seo.share_image(entry.story)
    image = renditions.largest(photo, "og")
    return {
        "url": seo.absolute_url(image.url),
        "width": image.width,
        "height": image.height,
        "alt": "" if photo.decorative else photo.alt_text,
    }
