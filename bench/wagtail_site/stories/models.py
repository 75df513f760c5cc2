from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

SECTIONS = ["World", "U.S.", "Politics", "Business", "Opinion"]


class StoryBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h2", "h3", "blockquote"]
    )
    image = ImageBlock()
    quote = blocks.BlockQuoteBlock()


class HomePage(Page):
    """The site root: the latest stories, or a section's or a tag's."""

    max_count = 1
    subpage_types = ["stories.StoryPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = StoryPage.objects.child_of(self).live().order_by("-published_at")
        if section := request.GET.get("section"):
            stories = stories.filter(section=section)
        if tag := request.GET.get("tag"):
            stories = stories.filter(tags__slug=tag)
        context["stories"] = stories.select_related("lead_image")[:20]
        return context


class StoryPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "stories.StoryPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class StoryPage(Page):
    dek = models.TextField(blank=True, help_text="The line under the headline.")
    published_at = models.DateTimeField("published")
    section = models.CharField(max_length=40, choices=[(s, s) for s in SECTIONS])
    byline = models.CharField(max_length=255, blank=True, help_text="Names, comma-separated.")
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField("caption", max_length=255, blank=True)
    lead_image_credit = models.CharField("credit", max_length=255, blank=True)
    body = StreamField(StoryBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=StoryPageTag, blank=True)

    parent_page_types = ["stories.HomePage"]
    subpage_types = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("dek"),
        index.SearchField("body"),
        index.FilterField("section"),
        index.FilterField("published_at"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("dek"),
        MultiFieldPanel(
            [FieldPanel("section"), FieldPanel("byline"), FieldPanel("published_at")],
            heading="Story",
        ),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading="Lead image",
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel("related_stories", label="Related stories"),
    ]

    def byline_names(self):
        return [name.strip() for name in self.byline.split(",") if name.strip()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The cards' renditions in one query, as Wagtail's docs advise for listings
        # ("Prefetching image renditions"), in place of a cache lookup per card (which
        # unpickles its renditions and, Wagtail 7.4 being so, pickles them back)
        context["related"] = (
            self.related_stories.filter(story__live=True)
            .select_related("story", "story__lead_image")
            .prefetch_related("story__lead_image__renditions")
        )
        approved = ReaderComment.objects.filter(approved=True)
        threads = list(
            approved.filter(page=self, parent=None).prefetch_related(
                models.Prefetch("replies", queryset=approved)
            )
        )
        context["comments"] = threads
        context["comment_count"] = sum(1 + len(c.replies.all()) for c in threads)
        return context


class RelatedStory(Orderable):
    page = ParentalKey(StoryPage, related_name="related_stories", on_delete=models.CASCADE)
    story = models.ForeignKey(StoryPage, related_name="+", on_delete=models.CASCADE)

    panels = [FieldPanel("story")]

    def __str__(self):
        return self.story.title


@register_snippet
class ReaderComment(models.Model):
    """A reader's comment. Threads are one level deep: a reply to a reply joins its thread."""

    page = models.ForeignKey(StoryPage, related_name="reader_comments", on_delete=models.CASCADE)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="replies", on_delete=models.CASCADE
    )
    author_name = models.CharField(max_length=100)
    body = models.TextField()
    submitted_at = models.DateTimeField()
    approved = models.BooleanField(default=True)

    panels = [
        FieldPanel("page"),
        FieldPanel("author_name"),
        FieldPanel("body"),
        FieldPanel("approved"),
    ]

    class Meta:
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return f"{self.author_name} on {self.page}"

    def save(self, *args, **kwargs):
        if self.parent and self.parent.parent_id:
            self.parent = self.parent.parent
        super().save(*args, **kwargs)
