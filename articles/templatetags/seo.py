from urllib.parse import urlencode

from django import template

from articles import seo

register = template.Library()

# The only query parameters that change what a listing shows; anything else
# (utm_source, fbclid, ...) is left out of canonical and prev/next URLs.
_PAGE_PARAMS = ("q", "before")


@register.filter
def absolute(url):
    return seo.absolute_url(url)


@register.simple_tag(takes_context=True)
def page_url(context, number=None):
    """Absolute URL of page ``number`` of the current listing (this page by default)."""
    request = context.get("request")
    if request is None:  # the 500 page renders without a request
        return ""
    if number is None:
        page_obj = context.get("page_obj")
        number = page_obj.number if page_obj else 1
    params = [(name, request.GET[name]) for name in _PAGE_PARAMS if request.GET.get(name)]
    if int(number) > 1:
        params.append(("page", number))
    query = f"?{urlencode(params)}" if params else ""
    return seo.absolute_url(f"{request.path}{query}")


@register.simple_tag
def canonical_url(article):
    return seo.canonical_url(article)


@register.simple_tag
def news_article_json_ld(article):
    return seo.json_ld_script(seo.news_article(article))


@register.filter
def is_noindex(article):
    return seo.is_noindex(article)


@register.filter
def modified_at(article):
    return seo.modified_at(article)


@register.simple_tag
def share_image(article):
    return seo.share_image(article)
