"""Our oEmbed endpoint and the story cards it frames (the rules: articles.oembed).

Both are the same for every reader, so both go through the page cache, declaring
the story and its lead photo (``cache_tags.of_story_row``): an edit reaches the
next consumer that asks, and a story withdrawn stops being embeddable at once.
"""

from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.encoding import uri_to_iri
from django.views import View
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import DetailView

from articles import cache_tags, oembed
from articles.credits import join_names
from articles.models import adopt_lead_photo_renditions
from articles.seo import absolute_url
from core import rendering


class OEmbedView(View):
    """``/oembed/?url=<story>&format=json|xml&maxwidth=&maxheight=``.

    A refusal is plain text with its status (the spec defines no error body) and is
    never stored by the page cache, which keeps only 200s.
    """

    def get(self, request):
        try:
            query = oembed.read_query(request.GET)
            story = oembed.find_story(query.slug)
        except oembed.Refused as refusal:
            return HttpResponse(
                refusal.reason, status=refusal.status, content_type="text/plain; charset=utf-8"
            )
        rendering.shows(*cache_tags.of_story_row(story))
        fields = oembed.answer(story, query)
        if query.format == "xml":
            response = HttpResponse(oembed.to_xml(fields), content_type="text/xml; charset=utf-8")
        else:
            response = JsonResponse(fields)
        # Public data: a consumer's page may ask for it from the reader's browser.
        response["Access-Control-Allow-Origin"] = "*"
        return response


@method_decorator(xframe_options_exempt, name="dispatch")
class StoryCardView(DetailView):
    """A published story as a card for other sites' pages: headline, dek, lead photo,
    bylines, date and a link to the story. Any site may frame it (its own policy
    says ``frame-ancestors *``; no X-Frame-Options); it runs no script, and its links
    open the story in a new tab, out of the frame (our pages refuse framing)."""

    template_name = "articles/story_card.html"
    context_object_name = "article"

    def get_queryset(self):
        return oembed.embeddable_stories()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        adopt_lead_photo_renditions([self.object])
        card = self.object.get_card_url()
        # request.path is decoded, reverse() percent-encodes: compare like with like.
        if request.path != uri_to_iri(card):
            return HttpResponsePermanentRedirect(card)
        response = self.render_to_response(self.get_context_data(object=self.object))
        response["Content-Security-Policy"] = oembed.card_policy()
        response["X-Robots-Tag"] = "noindex"  # the story's page is what search engines list
        return response

    def get_context_data(self, **kwargs):
        story = self.object
        rendering.shows(*cache_tags.of_story_row(story))
        return super().get_context_data(
            story_url=absolute_url(story.get_absolute_url()),
            byline=join_names(credit.person.name for credit in story.byline_credits),
            has_photo=oembed.has_photo(story),
            **kwargs,
        )
