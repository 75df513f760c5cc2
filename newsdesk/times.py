"""The newsroom's clock as staff read it: times in its zone, with the zone named, and
how far off they are ("in 2 h 15 min"). Static JS (admin-editor/counters.js) says the
same of times as they are typed."""

from django.utils import timezone
from django.utils.formats import date_format


def zone_name(moment=None):
    """ "New York time, EST": the newsroom's zone (settings.TIME_ZONE) by its city, and
    the abbreviation in force at ``moment`` (EDT in summer). A zone without a city
    (UTC) is its abbreviation alone."""
    local = timezone.localtime(moment or timezone.now())
    abbreviation = local.tzname()
    zone = timezone.get_current_timezone_name()
    if "/" not in zone:
        return abbreviation
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{city} time, {abbreviation}"


def relative(moment, now=None):
    """ "in 2 h 15 min", "3 d 4 h ago", "now": the distance to the nearest minute, in
    its largest unit and the next one (when that is not zero)."""
    seconds = (moment - (now or timezone.now())).total_seconds()
    minutes = round(abs(seconds) / 60)
    if minutes == 0:
        return "now"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    units = [(days, "d"), (hours, "h"), (minutes, "min")]
    first = next(i for i, (amount, _) in enumerate(units) if amount)
    span = " ".join(f"{amount} {unit}" for amount, unit in units[first : first + 2] if amount)
    return f"in {span}" if seconds > 0 else f"{span} ago"


def when(moment, now=None):
    """ "Jan. 5, 2026, 10 a.m. (New York time, EST), in 2 h 15 min"."""
    local = date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return f"{local} ({zone_name(moment)}), {relative(moment, now)}"
