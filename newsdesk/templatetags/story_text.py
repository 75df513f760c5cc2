"""``{% load story_text %}{{ article.body|body_as_read }}``: newsdesk.story_text in templates."""

from django import template

from newsdesk import story_text

register = template.Library()
register.filter("body_as_read", story_text.body_as_read)
register.filter("text_as_read", story_text.text_as_read)
