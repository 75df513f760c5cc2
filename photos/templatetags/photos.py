from django import template

from photos import renditions

register = template.Library()


@register.simple_tag
def picture(photo, crop="original", sizes="100vw", loading="lazy", fetchpriority="", **attrs):
    """``{% picture photo crop="3:2" sizes="(min-width: 60rem) 40rem, 100vw" loading="lazy"
    fetchpriority="" class="" %}``: see photos.renditions.picture_html."""
    return renditions.picture_html(
        photo,
        crop=crop,
        sizes=sizes,
        loading=loading,
        fetchpriority=fetchpriority,
        css_class=attrs.pop("class", ""),
    )
