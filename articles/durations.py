"""How long a video or audio story runs: typed as a clock reads ("12:34", "1:02:03"),
kept in seconds, shown on cards as a clock and told to search engines in ISO 8601."""

import re

from django import forms
from django.core.exceptions import ValidationError

# Hours, minutes and seconds, or minutes and seconds, or seconds alone.
CLOCK = re.compile(r"(?:(?:(?P<h>\d+):)?(?P<m>\d{1,2}):)?(?P<s>\d+)")
# A story runs at most this long: more is a typo (a date, a year).
LONGEST = 24 * 60 * 60


def parse_clock(text):
    """Seconds in ``text`` ("12:34", "1:02:03", "754"), or None for nothing typed.
    Raises ValueError, saying what is wrong, for anything else."""
    text = text.strip()
    if not text:
        return None
    match = CLOCK.fullmatch(text)
    if match is None:
        raise ValueError(f"“{text}” is not a duration: type minutes and seconds, e.g. 12:34.")
    hours, minutes, seconds = (int(match.group(part) or 0) for part in "hms")
    if (match.group("m") is not None and seconds > 59) or (match.group("h") and minutes > 59):
        raise ValueError(f"“{text}” has more than 59 minutes or seconds in a place.")
    total = hours * 3600 + minutes * 60 + seconds
    if total > LONGEST:
        raise ValueError(f"“{text}” is longer than a day: type it as hours:minutes:seconds.")
    return total


def clock(seconds):
    """``seconds`` as a clock reads: 754 -> "12:34", 3723 -> "1:02:03"."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def iso8601(seconds):
    """``seconds`` as schema.org's duration: 754 -> "PT12M34S", 3600 -> "PT1H"."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(hours, "H"), (minutes, "M"), (seconds, "S")]
    return "PT" + ("".join(f"{n}{unit}" for n, unit in parts if n) or "0S")


class ClockField(forms.CharField):
    """A duration in seconds, typed and shown as a clock."""

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        # The model's integer field offers bounds; the clock has its own (LONGEST).
        kwargs.setdefault("help_text", "How long it runs, e.g. 12:34 or 1:02:03.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return clock(value) if isinstance(value, int) else value

    def to_python(self, value):
        try:
            return parse_clock(super().to_python(value))
        except ValueError as problem:
            raise ValidationError(str(problem), code="invalid") from None
