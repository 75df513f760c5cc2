"""How wide a ``sizes`` attribute says an image is drawn, to offer only widths a browser picks.

A browser picks from ``srcset`` the narrowest width at least the drawn width
times the screen's pixel density. A thumbnail drawn 6rem wide never needs more
than 3 x 96 = 288 pixels: listing a 1600 px rendition for it buys bytes in every
page and nothing on any screen. Only what ``picture`` tags here write is read:
``(min-width: <length>)`` conditions, widest first, and lengths in px, rem, em or
vw, alone or in one ``calc(a - b)`` or ``calc(a + b)``. Anything else reads as
"no known limit", and every width is offered.
"""

import re

# The densest screens browsers pick renditions for (phones at 3x); no rendition
# wider than this times the drawn width is ever picked.
MAX_DENSITY = 3
# 1rem (and 1em in a media condition): the browsers' default font size.
ROOT_PX = 16
_UNITS = {"px": 1, "rem": ROOT_PX, "em": ROOT_PX}
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)(px|rem|em|vw)")
_CALC = re.compile(rf"calc\(\s*({_LENGTH.pattern})\s*([-+])\s*({_LENGTH.pattern})\s*\)")
_ENTRY = re.compile(r"(?:\(\s*min-width:\s*(?P<min>[^)]+?)\s*\)\s+)?(?P<length>.+)")


def widest(sizes):
    """The widest (CSS px) ``sizes`` draws the image on any screen, or None when
    that has no limit (``100vw``) or is not understood."""
    widest_yet = 0.0
    below = None  # the screen widths an entry applies to end where the one before begins
    for entry in (part.strip() for part in sizes.split(",")):
        match = _ENTRY.fullmatch(entry)
        if not match:
            return None
        drawn = _length(match["length"], below)
        if drawn is None:
            return None
        widest_yet = max(widest_yet, drawn)
        if match["min"] is None:
            return widest_yet  # the default: later entries never apply
        below = _length(match["min"], None)
        if below is None:
            return None
    return widest_yet


def _length(text, screen):
    """``text`` in CSS px on screens up to ``screen`` px wide (None: unknown)."""
    calc = _CALC.fullmatch(text.strip())
    if calc:
        first, sign, second = _length(calc[1], screen), calc[4], _length(calc[5], screen)
        if first is None or second is None:
            return None
        return first - second if sign == "-" else first + second
    match = _LENGTH.fullmatch(text.strip())
    if not match:
        return None
    number, unit = float(match[1]), match[2]
    if unit == "vw":
        return None if screen is None else number * screen / 100
    return number * _UNITS[unit]


def useful_widths(available, sizes):
    """The widths of ``available`` (smallest first) a browser may pick for ``sizes``:
    up to the first one that covers the widest drawing at ``MAX_DENSITY``."""
    drawn = widest(sizes)
    if drawn is None:
        return list(available)
    needed = drawn * MAX_DENSITY
    useful = [width for width in available if width < needed]
    return useful + [width for width in available if width >= needed][:1]
