from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers


def render_page(request, page):
    """The response for ``page`` at its path (the fallback middleware found it for us).

    Staff previewing a draft get the same template as readers, never cached.
    """
    response = TemplateResponse(request, "pages/page.html", {"page": page})
    if not page.is_published:
        add_never_cache_headers(response)
    # Returned from a middleware, not a view: nothing else would render it.
    return response.render()
