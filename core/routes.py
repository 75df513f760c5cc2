"""``reverse()`` remembered, for the links every page repeats."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse


@lru_cache(maxsize=50_000)
def _reverse(viewname, script_prefix, *args):
    return reverse(viewname, args=args)


def cached_reverse(viewname, *args):
    """``reverse()``, remembered in this process: listings link each story, section and
    person several times, and resolving a route costs as much as rendering a card.

    Not the shared cache (core.cache): the answer is a pure function of the
    arguments and the script prefix, both part of the key, and of the URL
    configuration, which only a restart changes.
    """
    return _reverse(viewname, get_script_prefix(), *args)
