"""What is done to live entries beyond a save: the change list's bulk actions (publish,
pin, key points, each entry checked by newsdesk.live_workflow and saved with its own
revision), and breaking an entry out into a story of its own."""

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.text import Truncator, slugify
from django.views.decorators.http import require_POST

from articles.models import Article, Credit, RelatedLink
from live.models import Entry
from newsdesk import live_workflow

HEADLINE_WORDS = 10


def break_out_headline(entry):
    """The entry's headline, else the live story's followed by the entry's opening words."""
    if entry.headline:
        return entry.headline
    opening = Truncator(entry.text).words(HEADLINE_WORDS, truncate="…")
    return f"{entry.story.headline}: {opening}"[:300] if opening else entry.story.headline


def unique_slug(headline):
    base = (slugify(headline) or "live-entry")[:280].strip("-")
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def break_out(entry, user):
    """The story ``entry`` became: a new draft (its headline, body and authors, the live
    story's section and tags, linked back to the live story), or the one it already
    became. Returns ``(story, created)``; all of it or nothing is saved."""
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("story").get(pk=entry.pk)
        if entry.broken_out_to_id:
            return entry.broken_out_to, False
        live = entry.story
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(f"Broken out of an entry of the live story “{live}”.")
            headline = break_out_headline(entry)
            story = Article.objects.create(
                headline=headline,
                slug=unique_slug(headline),
                kind=Article.Kind.STORY,
                body=entry.body,
                section=live.section,
                status=Article.Status.DRAFT,
                created_by=user,
            )
            story.tags.set(list(live.tags.names()))
            for position, person in enumerate(entry.authors.all()):
                Credit.objects.create(
                    article=story, person=person, role=Credit.Role.BYLINE, position=position
                )
            RelatedLink.objects.create(from_article=story, to_article=live, position=0)
            # Once more, now that its credits, link and tags exist: the revision holds them.
            reversion.add_to_revision(story)
        # Outside the story's revision: restoring the entry must never rewind the story.
        entry.broken_out_to = story
        entry.save()
        return story, True


class EntryActionsMixin:
    actions = [
        "publish_entries",
        "pin_entries",
        "unpin_entries",
        "mark_key_points",
        "unmark_key_points",
        "break_out_entry",
    ]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/break-out/",
                self.admin_site.admin_view(require_POST(self.break_out_view)),
                name="live_entry_break_out",
            ),
            *super().get_urls(),
        ]

    def has_publish_permission(self, request):
        return live_workflow.can_publish(request.user)

    def has_pin_permission(self, request):
        return live_workflow.can_pin(request.user)

    def has_break_out_permission(self, request):
        return live_workflow.can_break_out(request.user)

    @admin.action(description="Publish selected entries", permissions=["publish"])
    def publish_entries(self, request, queryset):
        self.flag(
            request,
            queryset,
            "published",
            lambda e: e.status != Entry.Status.PUBLISHED,
            status=Entry.Status.PUBLISHED,
        )

    @admin.action(description="Pin selected entries (shown first)", permissions=["pin"])
    def pin_entries(self, request, queryset):
        self.flag(request, queryset, "pinned", lambda e: not e.is_pinned, is_pinned=True)

    @admin.action(description="Unpin selected entries", permissions=["pin"])
    def unpin_entries(self, request, queryset):
        self.flag(request, queryset, "unpinned", lambda e: e.is_pinned, is_pinned=False)

    @admin.action(description="Mark selected entries as key points", permissions=["change"])
    def mark_key_points(self, request, queryset):
        self.flag(
            request,
            queryset,
            "marked as key points",
            lambda e: not e.is_key_point,
            is_key_point=True,
        )

    @admin.action(description="Unmark selected entries as key points", permissions=["change"])
    def unmark_key_points(self, request, queryset):
        self.flag(
            request,
            queryset,
            "no longer key points",
            lambda e: e.is_key_point,
            is_key_point=False,
        )

    @admin.action(
        description="Break out the selected entry into a story", permissions=["break_out"]
    )
    def break_out_entry(self, request, queryset):
        entries = list(queryset[:2])
        if len(entries) != 1:
            self.message_user(
                request, "Select one entry to break out into a story.", messages.WARNING
            )
            return None
        return self.break_out_and_show(request, entries[0])

    def flag(self, request, queryset, done_verb, applies, **values):
        """Set ``values`` on each selected entry the user may change and that ``applies``
        to, each saved with a revision of its own (restoring one rewinds no other)."""
        done = skipped = 0
        for entry in queryset.select_related("story"):
            if not (live_workflow.can_edit(request.user, entry) and applies(entry)):
                skipped += 1
                continue
            was_published = entry.status == Entry.Status.PUBLISHED
            for name, value in values.items():
                setattr(entry, name, value)
            live_workflow.stamp_time(entry, was_published, time_typed=False)
            with reversion.create_revision():
                reversion.set_user(request.user)
                entry.save()
                self.log_change(request, entry, f"{done_verb.capitalize()} (bulk action).")
            done += 1
        if done:
            self.message_user(request, f"{done} {self.entries(done)} {done_verb}.")
        if skipped:
            self.message_user(
                request,
                f"{skipped} {self.entries(skipped)} left as they were "
                f"(not yours to change, or already {done_verb}).",
                messages.WARNING,
            )

    @staticmethod
    def entries(n):
        return "entry" if n == 1 else "entries"

    def break_out_view(self, request, object_id):
        entry = self.get_object(request, unquote(object_id))
        if entry is None:
            raise Http404("No such entry: it may have been deleted.")
        if not live_workflow.can_break_out(request.user):
            raise PermissionDenied
        return self.break_out_and_show(request, entry)

    def break_out_and_show(self, request, entry):
        story, created = break_out(entry, request.user)
        if created:
            self.log_change(request, entry, f"Broken out into the story “{story}”.")
            self.message_user(
                request,
                f"The entry is now the draft story “{story}”, linked to the live story. "
                "Edit it here, then submit or publish it.",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                f"This entry was already broken out: here is its story, “{story}”.",
                messages.INFO,
            )
        return redirect("admin:articles_article_change", story.pk)
