"""``{% partial "includes/card.html" article=article size="lead" %}``: a Jinja2 template
(core.parts) included in a Django one, given only the values named, as ``{% include …
with … only %}`` would."""

from django import template

from core import parts

register = template.Library()


@register.simple_tag
def partial(template_name, **context):
    return parts.render(template_name, context)
