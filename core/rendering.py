"""What a page says about itself while it renders, for the page cache to act on.

A view, a template tag or a cached fragment declares what the page shows
(``shows("article:12", "front")``: cache tags, see core.stamps), when it changes
by itself (``expires(moment)``: the next scheduled story, a comment form
closing by age), whether it is for one reader alone (``personal()``: their
own comment awaiting moderation), which other sites' frames it may load when
the reader asks (``loads_frames()``: an embed's player, core.security) and how
long a CDN may keep it (``shared_max_age()``: a live story's polled answer).
core.pagecache collects the declarations around each request; a page that
declared nothing it shows is never stored.
"""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Rendering:
    """What was declared while rendering a page (or computing a cached fragment)."""

    tags: set = field(default_factory=set)
    expires: float | None = None
    cacheable: bool = False
    personal: bool = False
    frame_origins: set = field(default_factory=set)
    shared_max_age: int | None = None

    def add_expiry(self, when):
        if when is not None:
            self.expires = when if self.expires is None else min(self.expires, when)


_current = contextvars.ContextVar("rendering", default=None)


@contextmanager
def collecting():
    """Collect the declarations made inside the block into a new ``Rendering``."""
    rendering = Rendering()
    token = _current.set(rendering)
    try:
        yield rendering
    finally:
        _current.reset(token)


def timestamp(moment):
    return moment.timestamp() if isinstance(moment, datetime) else moment


def shows(*tags):
    """The page shows what ``tags`` stand for: it may be cached until they change."""
    rendering = _current.get()
    if rendering is not None:
        rendering.cacheable = True
        rendering.tags.update(tags)


def depends_on(*tags):
    """The page read something that changes with ``tags`` (a cached count, a ranking);
    unlike ``shows()`` this alone does not make a page cacheable."""
    rendering = _current.get()
    if rendering is not None:
        rendering.tags.update(tags)


def expires(moment):
    """The page changes by itself at ``moment`` (a datetime or timestamp; None: never)."""
    rendering = _current.get()
    if rendering is not None:
        rendering.add_expiry(timestamp(moment))


def personal():
    """The page is made for this reader alone: never stored, never shared by a CDN."""
    rendering = _current.get()
    if rendering is not None:
        rendering.personal = True


def loads_frames(*origins):
    """The page may load frames from ``origins`` (``https://www.youtube-nocookie.com``):
    its Content-Security-Policy lets those, and only those, in (core.security)."""
    rendering = _current.get()
    if rendering is not None:
        rendering.frame_origins.update(origins)


def shared_max_age(seconds):
    """Shared caches (a CDN) may keep the page ``seconds`` at most, and never serve it
    stale while they fetch it again: for an answer readers poll to see what changed
    (a live story's), which a CDN's usual ten seconds and thirty stale would delay."""
    rendering = _current.get()
    if rendering is not None:
        given = rendering.shared_max_age
        rendering.shared_max_age = seconds if given is None else min(given, seconds)
