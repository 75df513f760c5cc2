"""The desk: the admin's home page for newsroom staff, the day's work by role.

Writers see their drafts and what they submitted; editors see every story in review,
what goes live or comes out of embargo in the next 48 hours, what went live and the
latest corrections; whoever moderates sees the comments waiting; whoever posts live
entries sees the live coverage open now. Each panel is one
query (two for the one with bylines), however many stories there are, and reads the
stories through the publication rule (``published()``, ``scheduled()``), never a copy.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

from articles.models import Article, Correction
from comments.models import Comment
from newsdesk import live_coverage, pending, times, workflow

# How far ahead "scheduled" and "embargoes lifting" look.
HORIZON = timedelta(hours=48)
# Items a panel lists; "see all" leads to the whole list.
PANEL_ITEMS = 5


@dataclass
class Item:
    label: str
    url: str
    note: str = ""
    # A second link after the note ("Post an entry"), when the item has one.
    extra_url: str = ""
    extra_label: str = ""


@dataclass
class Panel:
    key: str
    title: str
    empty: str
    items: list = field(default_factory=list)
    more_url: str = ""


def story_url(article_id):
    return reverse("admin:articles_article_change", args=[article_id])


def stories_url(**filters):
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return f"{reverse('admin:articles_article_changelist')}?{query}"


def note(*parts):
    return " · ".join(part for part in parts if part)


def waited(moment, now):
    """ "3 h 5 min": how long something has waited since ``moment``."""
    span = times.relative(moment, now)
    return "less than a minute" if span == "now" else span.removesuffix(" ago")


def ago(moment, now):
    """ "3 h ago" within the horizon; further back, the day says more."""
    if now - moment < HORIZON:
        return times.relative(moment, now)
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def short_time(moment):
    """ "Tue 10:00 a.m. (New York time, EST)": within the next two days, the weekday says
    enough."""
    local = timezone.localtime(moment)
    return (
        f"{date_format(local, 'D')} {date_format(local, 'TIME_FORMAT')} ({times.zone_name(moment)})"
    )


def my_drafts(user, now):
    drafts = Article.objects.filter(status=Article.Status.DRAFT, created_by=user)
    return Panel(
        "drafts",
        "My drafts",
        "No drafts of yours.",
        [
            Item(a.headline, story_url(a.pk), f"edited {times.relative(a.modified_at, now)}")
            for a in drafts.order_by("-modified_at")[:PANEL_ITEMS]
        ],
        stories_url(status=Article.Status.DRAFT, mine=1),
    )


def in_review(user, now):
    """Oldest first: the story waiting longest comes first. A writer's own only."""
    waiting = Article.objects.filter(status=Article.Status.REVIEW)
    if not workflow.can_publish(user):
        waiting = waiting.filter(created_by=user)
    items = [
        Item(
            article.headline,
            story_url(article.pk),
            note(
                ", ".join(credit.person.name for credit in article.byline_credits),
                f"waiting {waited(article.modified_at, now)}",
            ),
        )
        for article in waiting.for_listing().order_by("modified_at")[:PANEL_ITEMS]
    ]
    if workflow.can_publish(user):
        return Panel(
            "review",
            "In review: waiting for an editor",
            "Nothing waits for review.",
            items,
            stories_url(status=Article.Status.REVIEW),
        )
    return Panel("review", "My stories in review", "None of your stories is in review.", items)


def scheduled(now):
    upcoming = Article.objects.scheduled().filter(published_at__lte=now + HORIZON)
    return Panel(
        "scheduled",
        "Going live in the next 48 hours",
        "Nothing is scheduled for the next 48 hours.",
        [
            Item(
                a.headline,
                story_url(a.pk),
                note(short_time(a.published_at), times.relative(a.published_at, now)),
            )
            for a in upcoming.order_by("published_at")[:PANEL_ITEMS]
        ],
        stories_url(status="scheduled"),
    )


def embargoes(now):
    lifting = Article.objects.embargoed().filter(embargo_until__lte=now + HORIZON)
    return Panel(
        "embargoes",
        "Embargoes lifting in the next 48 hours",
        "No embargo lifts in the next 48 hours.",
        [
            Item(
                a.headline,
                story_url(a.pk),
                note(
                    f"lifts {short_time(a.embargo_until)}",
                    times.relative(a.embargo_until, now),
                    a.get_status_display(),
                ),
            )
            for a in lifting.order_by("embargo_until")[:PANEL_ITEMS]
        ],
    )


def recently_published(now):
    return Panel(
        "published",
        "Recently published",
        "Nothing published yet.",
        [
            Item(a.headline, story_url(a.pk), ago(a.published_at, now))
            for a in Article.objects.published().order_by("-published_at")[:PANEL_ITEMS]
        ],
        stories_url(status="live"),
    )


def recent_corrections(now):
    corrections = Correction.objects.select_related("article").order_by("-published_at")
    return Panel(
        "corrections",
        "Recent corrections",
        "No corrections yet.",
        [
            Item(
                c.article.headline,
                story_url(c.article_id),
                note(
                    f"{c.get_kind_display()}: {Truncator(c.text).words(12)}",
                    ago(c.published_at, now),
                ),
            )
            for c in corrections[:PANEL_ITEMS]
        ],
    )


def live_now(now):
    """Open live coverage, most recently updated first, with how many entries each has:
    one query (the counts and the latest entry's time are aggregates)."""
    stories = (
        Article.objects.published()
        .filter(kind=Article.Kind.LIVE)
        .filter(Q(coverage_ended_at__isnull=True) | Q(coverage_ended_at__gt=now))
        .annotate(entry_count=Count("live_entries"), last_entry=Max("live_entries__published_at"))
        .order_by("-last_entry", "-published_at")
    )
    items = []
    for story in stories[:PANEL_ITEMS]:
        entries = f"{story.entry_count} entr{'y' if story.entry_count == 1 else 'ies'}"
        latest = f"latest {times.relative(story.last_entry, now)}" if story.last_entry else ""
        items.append(
            Item(
                story.headline,
                story_url(story.pk),
                note(entries, latest),
                live_coverage.post_entry_url(story),
                "Post an entry",
            )
        )
    return Panel("live", "Live now", "No live coverage is open.", items)


def comments_waiting(now):
    """How many comments wait, and for how long the oldest has: one aggregate."""
    waiting = Comment.objects.pending().aggregate(count=Count("pk"), oldest=Min("created_at"))
    count = waiting["count"]
    items = []
    if count:
        label = f"{count} comment{'' if count == 1 else 's'} awaiting moderation"
        oldest = waited(waiting["oldest"], now)
        items.append(Item(label, pending.queue_url(), f"the oldest has waited {oldest}"))
    return Panel("comments", "Comments waiting", "No comments awaiting moderation.", items)


def panels_for(user, now=None):
    """The panels of ``user``'s desk, in the order of the day's work: what is theirs to
    do, what happens next, then what already happened."""
    now = now or timezone.now()
    panels = []
    if user.has_perm("live.add_entry"):
        panels.append(live_now(now))
    if user.has_perm("articles.change_article"):
        panels += [my_drafts(user, now), in_review(user, now)]
    if workflow.can_publish(user):
        panels += [scheduled(now), embargoes(now)]
    if user.has_perm("comments.change_comment") and pending.queue_url():
        panels.append(comments_waiting(now))
    if workflow.can_publish(user):
        panels += [recent_corrections(now), recently_published(now)]
    return panels
