"""What a page of threads shows of each comment (and the mentions list of each pingback
and trackback), worked out once per comment in Python.

The page's threads render in one template loop (comments/threads.html) over plain
dicts: no include per comment (an include costs more than the comment it shows),
no ``|date`` filter (a date format is interpreted letter by letter on every
call), and every value looked up once, from a dict, the template engine's
quickest lookup. Nesting becomes markers: a comment that ``opens`` is followed
by its replies (in an ``<ol class="children">``), then by an ``END`` of them.
"""

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext

# After the last reply to a comment: its list of replies, and the comment, end here.
END = {"end": True}


class TimeShown:
    """``(datetime attribute, text)`` of a comment's time, as ``|date:"c"`` and
    ``|date:"F j, Y \\a\\t g:i a"`` write them in the site's time zone:
    ``("2024-06-20T06:35:00-04:00", "June 20, 2024 at 6:35 a.m.")``. The time zone
    and the words are looked up once, for a page of comments."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.months = {}  # translated as they come: a page's comments span a month or two
        self.halves = (gettext("a.m."), gettext("p.m."))

    def __call__(self, moment):
        local = moment.astimezone(self.zone)
        month = self.months.get(local.month) or self.months.setdefault(
            local.month, str(MONTHS[local.month])
        )
        day = f"{month} {local.day}, {local.year}"
        hour = local.hour
        text = f"{day} at {hour % 12 or 12}:{local.minute:02} {self.halves[hour > 11]}"
        return local.isoformat(), text


def entries(threads, can_reply):
    """The comments of ``threads`` in reading order, as the dicts the template shows;
    ``can_reply(comment)`` says whether a comment gets a Reply link."""
    shown = []
    _walk(threads, can_reply, TimeShown(), shown)
    return shown


def _walk(comments, can_reply, time_shown, shown):
    for comment in comments:
        iso, text = time_shown(comment.created_at)
        shown.append(
            {
                "id": comment.pk,
                "author_name": comment.author_name,
                "author_url": comment.author_url,
                "staff": comment.is_staff_reply,
                "held": comment.is_held,
                "iso": iso,
                "time": text,
                "body_html": comment.body_html,
                "reply": can_reply(comment),
                "opens": bool(comment.children),
                "end": False,  # looked up on every entry: a missing key costs an exception
            }
        )
        if comment.children:
            _walk(comment.children, can_reply, time_shown, shown)
            shown.append(END)


def mentions(pings):
    """The pingbacks and trackbacks ``pings`` as the dicts comments/mentions.html shows:
    the linking site's title, its page's address when it is a web address (never a
    ``javascript:`` one, whatever the row holds), the kind and the time."""
    time_shown = TimeShown()
    shown = []
    for ping in pings:
        iso, text = time_shown(ping.created_at)
        url = ping.author_url.strip()
        shown.append(
            {
                "id": ping.pk,
                "kind": ping.kind,
                "label": ping.get_kind_display(),
                "author_name": ping.author_name,
                "url": url if url.lower().startswith(("http://", "https://")) else "",
                "iso": iso,
                "time": text,
            }
        )
    return shown
