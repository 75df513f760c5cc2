"""Import a WordPress export into the newsroom: the engine of ``manage.py import_wordpress``.

Two streaming passes over the file, inside one transaction:

1. the site, its authors, categories, tags and attachments (and reusable blocks),
   which posts refer to and which may come after them in the file;
2. posts (with their comments) and pages.

Memory stays flat: elements are cleared as they are read, and new stories are
written without model signals, whose after-commit work would otherwise pile up
by the post until the end of the one transaction; one background job, queued with
the import, then indexes them for search (search/tasks.py). Stories that change on
a later import are saved normally, so everything listening (search, caches) hears
of the change.

A malformed file raises ``wxr.ExportError`` and the transaction leaves the
database as it was. Every object is keyed on its WordPress id (wordpress/idmap.py)
so importing again updates instead of duplicating; every old address the export
records gets a redirect to the new page (pages/models.py ``Redirect``).
"""

from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.utils import timezone

from articles.changes import everything_changed
from articles.models import Article, Credit, TaggedArticle
from core.tasks import queue
from embeds import references as embed_references
from pages.models import Page
from search.tasks import index_missing_stories
from wordpress import wxr
from wordpress.addresses import OldAddresses, collapse_slashes
from wordpress.comments import CommentImporter
from wordpress.content import plain_text, render
from wordpress.idmap import IdMap
from wordpress.losses import Cleaning, Losses
from wordpress.media import Media
from wordpress.models import ImportedObject
from wordpress.report import CREATED, UPDATED, Report
from wordpress.terms import Terms, decoded_slug, name_slug

Kind = ImportedObject.Kind
PROGRESS_EVERY = 1000

# WordPress post status → ours. Published or scheduled posts with a password, and
# private ones, are kept for the editors but never shown: "unpublished" here.
POST_STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # published_at in the future: scheduled
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,
    "private": Article.Status.UNPUBLISHED,
    "trash": Article.Status.UNPUBLISHED,
}


class Importer:
    def __init__(self, path, progress=None, media_from=None, download_media=False, losses_csv=None):
        self.path = path
        self.progress = progress or (lambda message: None)
        self.report = Report()
        self.media_options = {"media_from": media_from, "download": download_media}
        self.losses = Losses()  # what cleaning took from which post
        self.losses_csv = losses_csv  # where to list those posts, if anywhere
        self.report.sections.append(self.losses)

    def run(self, dry_run=False):
        with self.losses.listing():
            try:
                self.import_everything(dry_run)
            except BaseException:
                self.discard_photo_files()
                raise
            if dry_run:
                self.discard_photo_files()
            if self.losses_csv:
                self.losses.write_csv(self.losses_csv)
        return self.report

    def import_everything(self, dry_run):
        with transaction.atomic():
            self.first_pass()
            self.second_pass()
            # New stories were written without signals (see above): index them soon,
            # in the background and in batches, once the import is committed.
            queue(index_missing_stories)
            # ...and every cached page and fragment may now be out of date.
            everything_changed()
            if dry_run:
                transaction.set_rollback(True)

    def discard_photo_files(self):
        """The files of photos whose rows were rolled back: storage is not transactional."""
        if hasattr(self, "media"):
            self.media.discard_files()

    # Reading ---------------------------------------------------------------------------

    def records(self, label):
        self.progress(f"{label}…")
        items = 0
        for record in wxr.read(self.path):
            if isinstance(record, wxr.Item):
                items += 1
                if items % PROGRESS_EVERY == 0:
                    self.progress(f"  {items} items read")
            yield record

    def first_pass(self):
        authors, categories, tags = {}, {}, {}
        for record in self.records("Reading authors, categories, tags and media"):
            if isinstance(record, wxr.Site):
                self.start(record)
            elif isinstance(record, wxr.Author):
                authors.setdefault(record.login, record)  # logins are unique in WordPress
            # Terms may be listed more than once: the first listing counts.
            elif isinstance(record, wxr.Term) and record.taxonomy == "category":
                categories.setdefault(record.wp_id, record)
            elif isinstance(record, wxr.Term) and record.taxonomy == "post_tag":
                tags.setdefault(record.wp_id, record)
            elif isinstance(record, wxr.Term):
                self.terms.report_other_taxonomy(record)
            elif isinstance(record, wxr.Item) and record.post_type == "attachment":
                self.media.save(record, self.report)
            elif isinstance(record, wxr.Item) and record.post_type == "wp_block":
                self.reusable_blocks[record.wp_id] = record.content
        for author in authors.values():
            self.terms.import_author(author)
        self.terms.import_categories(categories)
        for tag in tags.values():
            self.terms.import_tag(tag)
        self.addresses.feeds()

    def second_pass(self):
        for record in self.records("Importing posts, pages and comments"):
            if not isinstance(record, wxr.Item):
                continue
            if record.post_type == "post":
                self.import_post(record)
            elif record.post_type == "page":
                self.import_page(record)
            elif record.post_type not in ("attachment", "wp_block"):
                self.report.skip(record.post_type or "item", "not imported")
        self.link_page_parents()

    def start(self, site):
        self.report.site = site
        self.site_key = site.key
        root = urlsplit(site.base_blog_url).path.rstrip("/")
        self.root = f"{unquote(root)}/"  # where the blog lived: / or /news/
        self.ids = IdMap(self.site_key)
        self.addresses = OldAddresses(self.root, self.report)
        self.media = Media(self.site_key, redirect=self.addresses.redirect, **self.media_options)
        self.terms = Terms(self.ids, self.report, self.addresses)
        self.comments = CommentImporter(self.ids, self.report, self.terms.staff_ids)
        self.reusable_blocks = {}  # wp_block id → its content
        self.page_parents = {}  # Page pk → its parent's WordPress id

    # Posts and pages ----------------------------------------------------------------

    def import_post(self, item):
        status = POST_STATUSES.get(item.status)
        if status is None:
            self.report.skip("posts", f"status {item.status!r} is not imported")
            return
        published_at = item.post_date_gmt
        if published_at is None and item.status in ("publish", "future") and item.post_date:
            published_at = timezone.make_aware(item.post_date)
        if item.password and status == Article.Status.PUBLISHED:
            status = Article.Status.UNPUBLISHED  # password-protected: not for every reader
        section = self.terms.section_of(item)
        tags = self.terms.tags_of(item)
        person = self.terms.author_of(item)
        fields = {
            "headline": (plain_text(item.title) or "(no title)")[:300],
            "slug": self.slug_of(item, "post"),
            "dek": plain_text(item.excerpt),
            "body": self.render(item, "posts"),  # sanitized already: bulk_create skips save()
            "status": status,
            "published_at": published_at,
            "is_sticky": item.is_sticky,
            "comments_open": item.comment_status == "open",
            "section_id": section.pk if section else None,
            **self.media.lead_image(item),
        }
        extra = {
            "tags": sorted(tag.pk for tag in tags),
            "byline": person.pk if person else None,
            "modified": item.post_modified_gmt,
        }
        article, outcome = self.ids.sync(
            Kind.POST, item.wp_id, Article, fields, extra=extra, unique=("slug",), quietly=True
        )
        if outcome == CREATED:
            TaggedArticle.objects.bulk_create(
                [TaggedArticle(content_object=article, tag=tag) for tag in tags]
            )
            if person is not None:
                Credit.objects.bulk_create([Credit(article=article, person=person)])
        elif outcome == UPDATED:
            article.tags.set(tags)
            self.terms.set_byline(article, person)
        if outcome in (CREATED, UPDATED) and item.post_modified_gmt:
            # WordPress's "last modified", not the moment of the import.
            Article.objects.filter(pk=article.pk).update(modified_at=item.post_modified_gmt)
        if not self.report.counted("posts", article, outcome):
            return
        self.addresses.point(item, article, "p")
        self.comments.save(item, article)

    def import_page(self, item):
        if item.status not in POST_STATUSES:
            self.report.skip("pages", f"status {item.status!r} is not imported")
            return
        published = item.status == "publish" and not item.password
        path = self.page_path(item)
        row = self.ids.link(Kind.PAGE, item.wp_id)
        elsewhere = Page.objects.filter(path=path)
        if row is not None:
            elsewhere = elsewhere.exclude(pk=row.object_id)
        if elsewhere.exists():
            self.report.skip("pages", f"another page is already at {path}")
            return
        fields = {
            "title": (plain_text(item.title) or "(no title)")[:300],
            "path": path,
            "body": self.render(item, "pages"),
            "status": Page.Status.PUBLISHED if published else Page.Status.DRAFT,
            "position": max(item.menu_order, 0),
        }
        page, outcome = self.ids.sync(
            Kind.PAGE, item.wp_id, Page, fields, extra={"parent": item.parent}
        )
        if not self.report.counted("pages", page, outcome):
            return
        if item.parent:
            self.page_parents[page.pk] = item.parent
        self.addresses.point(item, page, "page_id", "p")
        if item.comments:
            self.report.skip("comments", "on a page: pages have none here", len(item.comments))

    def link_page_parents(self):
        rows = self.ids.links(Kind.PAGE, set(self.page_parents.values()))
        for page_pk, parent_wp_id in self.page_parents.items():
            row = rows.get(parent_wp_id)
            if row is not None:
                Page.objects.filter(pk=page_pk).exclude(parent_id=row.object_id).update(
                    parent_id=row.object_id
                )

    def render(self, item, kind):
        cleaning = Cleaning()
        body = render(
            item.content,
            media=self.media,
            post_id=item.wp_id,
            reusable_blocks=self.reusable_blocks,
            cleaning=cleaning,
        )
        self.losses.record(kind, item.wp_id, plain_text(item.title), item.link, cleaning)
        # Stories are written without save(): what it does to a body's addresses alone on
        # a line (an embed each, fetched in the background) is done here.
        return embed_references.take_in(self.media.in_library(body))

    def slug_of(self, item, kind):
        slug = decoded_slug(item.post_name.removesuffix("__trashed"))
        return slug or name_slug(plain_text(item.title)) or f"{kind}-{item.wp_id}"

    def page_path(self, item):
        """A page stays at its old address; drafts (which had none) go under the blog root."""
        parts = urlsplit(item.link)
        path = collapse_slashes(unquote(parts.path))
        if parts.query or not path.endswith("/") or path == self.root:
            path = f"{self.root}{self.slug_of(item, 'page')}/"
        return path
