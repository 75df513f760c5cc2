"""What search engines, news aggregators and social sites are told about a story.

Absolute URLs are built from ``settings.SITE_URL``, never from the request's
Host header, which a client can set to anything.
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import durations
from articles.models import Article, Credit
from photos import renditions

# The shapes Google asks for an article's images in (structured data, "image").
JSON_LD_CROPS = ("16:9", "4:3", "1:1")

# JSON is safe inside <script> once these cannot close the element or open a comment.
# Replaced one by one: str.translate() looks every character of the story's JSON up.
_SCRIPT_SAFE_JSON = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))


def absolute_url(url):
    """``url`` on SITE_URL's origin; URLs that already name a host are left alone."""
    if not url or url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"{urlsplit(settings.SITE_URL).scheme}:{url}"
    return f"{settings.SITE_URL}{url}"


def is_syndicated(article):
    """A story first published elsewhere, whose original address we know."""
    return bool(article.source_url)


def canonical_url(article):
    """The address search engines should credit: the original, if the editor chose so."""
    if is_syndicated(article) and article.syndication == Article.Syndication.CANONICAL:
        return article.source_url
    return absolute_url(article.get_absolute_url())


def is_noindex(article):
    """Previews, and syndicated stories whose editor keeps our copy out of search engines."""
    if not article.is_published:
        return True
    return is_syndicated(article) and article.syndication == Article.Syndication.NOINDEX


def modified_at(article):
    return article.updated_at or article.published_at


def iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def person(who):
    return {
        "@type": "Person",
        "name": who.name,
        "url": absolute_url(who.get_absolute_url()),
    }


def publisher():
    return {"@type": "NewsMediaOrganization", "name": settings.SITE_NAME, "url": settings.SITE_URL}


def share_image(article):
    """What og:image and twitter:image show: {"url", "width", "height", "alt"} of the lead
    photo's 1200x630 crop, else the address of a lead image from before the library;
    None without either."""
    photo = article.lead_photo
    if photo is not None and photo.file:
        image = renditions.largest(photo, "og")
        alt = "" if photo.decorative else photo.alt_text
        return {
            "url": absolute_url(image.url),
            "width": image.width,
            "height": image.height,
            "alt": alt,
        }
    if article.lead_image_src:
        return {"url": absolute_url(article.lead_image_src), "alt": article.lead_image_alt}
    return None


def lead_images(article):
    """Absolute URLs of the lead photo in JSON_LD_CROPS (or of the old lead image)."""
    photo = article.lead_photo
    if photo is not None and photo.file:
        return [absolute_url(renditions.largest(photo, crop).url) for crop in JSON_LD_CROPS]
    image = absolute_url(article.lead_image_src)
    return [image] if image else []


def media_object(article, images):
    """schema.org VideoObject or AudioObject of a video or audio story: what Google's
    video guidance requires (name, thumbnailUrl, uploadDate) and recommends (description,
    duration, the file's contentUrl or the provider player's embedUrl), and the
    transcript."""
    embed = article.media_embed if article.media_embed_id and not article.media_file else None
    # A provider's player says what the story may not: its still and how long it runs.
    if not images and embed is not None and embed.thumbnail_id:
        images = [absolute_url(renditions.largest(embed.thumbnail, "original").url)]
    seconds = article.duration or (embed.duration if embed is not None else None)
    data = {
        "@type": "VideoObject" if article.is_video else "AudioObject",
        "name": article.headline,
        "description": article.excerpt,
        "thumbnailUrl": images or None,
        "uploadDate": iso(article.published_at),
        "duration": durations.iso8601(seconds) if seconds else None,
        "transcript": article.transcript or None,
    }
    if article.media_file:
        data["contentUrl"] = absolute_url(article.media_file.url)
        data["encodingFormat"] = article.media_mime_type
    elif embed is not None and embed.player_url:
        data["embedUrl"] = embed.player_url
    return {key: value for key, value in data.items() if value}


def news_article(article):
    """schema.org NewsArticle for ``article``, whose credits (with people) and tags are
    prefetched. Only what the page itself shows: nothing about comments or commenters."""
    credits = list(article.credits.all())
    images = lead_images(article)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical_url(article)},
        "url": absolute_url(article.get_absolute_url()),
        "headline": article.headline,
        "description": article.excerpt,
        "image": images or None,
        "datePublished": iso(article.published_at),
        "dateModified": iso(modified_at(article)),
        "author": [person(c.person) for c in credits if c.role == Credit.Role.BYLINE],
        "contributor": [person(c.person) for c in credits if c.role != Credit.Role.BYLINE],
        "publisher": publisher(),
        "articleSection": article.section.name if article.section else None,
        "keywords": [tag.name for tag in article.tags.all()],
        "dateline": article.dateline,
        "isBasedOn": article.source_url if is_syndicated(article) else None,
        "inLanguage": settings.SITE_LANGUAGE,
        "isAccessibleForFree": True,
    }
    if article.is_media:
        data["video" if article.is_video else "audio"] = media_object(article, images)
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def json_ld_script(data):
    """``data`` as a ``<script type="application/ld+json">`` element that no string in
    it can break out of (a headline containing ``</script>`` stays inside)."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for character, escaped in _SCRIPT_SAFE_JSON:
        payload = payload.replace(character, escaped)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload),  # noqa: S308  (escaped just above)
    )
