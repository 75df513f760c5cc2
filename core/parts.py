"""A page's parts written in Jinja2 (templates/jinja2, newsroom/templating.py), rendered
as the HTML they are: Jinja2 escaped what it printed, and Django's Jinja2 backend
returns a plain string, which a Django template would escape again."""

from django.template import engines
from django.utils.safestring import mark_safe

ENGINE = "jinja2"  # the Jinja2 backend's alias in TEMPLATES


def get(template_name):
    return engines[ENGINE].get_template(template_name)


def render(template_name, context, request=None):
    """``template_name`` rendered with ``context`` (and, given ``request``, the context
    processors' values) as safe HTML."""
    return mark_safe(get(template_name).render(context, request))  # noqa: S308
