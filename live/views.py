"""What readers' browsers and machines ask of a live story besides its page (which is
the story's own, articles:detail, with ``{% live_stream %}``): an entry's own page, an
entry alone (the fragment static/js/live.js inserts) and the polled answer.

Each declares what it shows, so the page cache keeps it until an entry of the story
or the story changes; the fragment and the polled answer also tell CDNs to keep them
two seconds at most (``rendering.shared_max_age``), so that a reader's next poll
after a change gets the change, not a copy from the CDN.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from articles.models import Article
from core import rendering
from live import stream
from live.models import Entry
from live.seo import entry_share


def shared_briefly():
    rendering.shared_max_age(settings.LIVE_SHARED_MAX_AGE)


class EntryMixin:
    """The published entry ``pk`` of the published live story at the address, with
    what its template shows; a 404 for any other (another story's entry among them)."""

    def stories(self):
        return Article.objects.published()

    def get_entry(self):
        kwargs = self.kwargs
        story = stream.live_story(
            kwargs["year"], kwargs["month"], kwargs["day"], kwargs["slug"], self.stories()
        )
        entries = stream.shown_in_full(Entry.objects.published().of(story))
        entry = get_object_or_404(entries, pk=kwargs["pk"])
        rendering.shows(*stream.tags_of(story))
        stream.prepare(story, [entry])
        return story, entry


class EntryFragmentView(EntryMixin, TemplateView):
    template_name = "live/entry.html"

    def get_context_data(self, **kwargs):
        shared_briefly()
        _, entry = self.get_entry()
        return {"entry": entry}


class EntryDetailView(EntryMixin, TemplateView):
    template_name = "live/entry_detail.html"

    def stories(self):
        return super().stories().with_lead_photos()  # og:image may be the lead photo

    def get_context_data(self, **kwargs):
        story, entry = self.get_entry()
        return {"story": story, "entry": entry, "share": entry_share(entry)}


class UpdatesView(View):
    """``live.json``: the same small answer for every reader (live.stream.poll_answer);
    a story that is not live has none."""

    def get(self, request, year, month, day, slug):
        story = stream.live_story(year, month, day, slug)
        rendering.shows(*stream.tags_of(story))
        shared_briefly()
        answer = stream.poll_answer(story)
        return JsonResponse(answer, json_dumps_params={"separators": (",", ":")})
