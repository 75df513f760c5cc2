"""``{% partial "includes/card.html" article=article size="lead" %}``: a Jinja2 template
(templates/jinja2, newsroom/templating.py) included in a Django one, given only the
values named, as ``{% include … with … only %}`` would."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def partial(template_name, **context):
    # Jinja2 escaped what it printed: what it returns is HTML.
    return mark_safe(engines["jinja2"].get_template(template_name).render(context))  # noqa: S308
