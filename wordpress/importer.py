"""Import a WordPress export into the newsroom: the engine of ``manage.py import_wordpress``.

Two streaming passes over the file, inside one transaction:

1. the site, its authors, categories, tags and attachments (and reusable blocks),
   which posts refer to and which may come after them in the file;
2. posts (with their comments) and pages.

Memory stays flat: elements are cleared as they are read, and new stories are
written without model signals, whose after-commit work would otherwise pile up
by the post until the end of the one transaction; the search index is then
filled once, in batches. Stories that change on a later import are saved
normally, so everything listening (search, caches) hears of the change.

A malformed file raises ``wxr.ExportError`` and the transaction leaves the
database as it was. Every object is keyed on its WordPress id (wordpress/idmap.py)
so importing again updates instead of duplicating; every old address the export
records gets a redirect to the new page (pages/models.py ``Redirect``).
"""

import re
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, Credit, Person, Section, TaggedArticle
from newsroom import pagecache
from newsroom.cache_tags import touch_after_commit
from pages.models import Page, Redirect
from search.models import SearchDocument
from wordpress import wxr
from wordpress.comments import CommentImporter
from wordpress.content import plain_text, render
from wordpress.idmap import IdMap, unique_value
from wordpress.media import Media
from wordpress.models import ImportedObject
from wordpress.report import CREATED, UNCHANGED, UPDATED, Report

Kind = ImportedObject.Kind
SLUG = re.compile(r"[-\w]+")
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
# WordPress's default category, which a newsroom does not want as a section.
DEFAULT_CATEGORY = "uncategorized"


def decoded_slug(value):
    """A WordPress slug as readers saw it: ``%e6%97%a5`` → ``日``, and only slug characters."""
    slug = unquote(value.strip())
    return slug if SLUG.fullmatch(slug) else slugify(slug, allow_unicode=True)


def unique_name(model, name):
    return unique_value(model, "name", name, separator=" ")


def name_slug(name):
    """A slug for a name we slug ourselves: ASCII when the name allows (Zoë → zoe)."""
    return slugify(name) or slugify(name, allow_unicode=True)


class Importer:
    def __init__(self, path, progress=None):
        self.path = path
        self.progress = progress or (lambda message: None)
        self.report = Report()

    def run(self, dry_run=False):
        with transaction.atomic():
            self.first_pass()
            self.second_pass()
            # New stories were written without signals (see above): index them now.
            SearchDocument.objects.index_missing()
            # ...and every cached page may now be out of date (newsroom/pagecache.py).
            touch_after_commit(pagecache.SITE)
            if dry_run:
                transaction.set_rollback(True)
        return self.report

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
                authors.setdefault(record.wp_id, record)
            # Terms may be listed more than once: the first listing counts.
            elif isinstance(record, wxr.Term) and record.taxonomy == "category":
                categories.setdefault(record.wp_id, record)
            elif isinstance(record, wxr.Term) and record.taxonomy == "post_tag":
                tags.setdefault(record.wp_id, record)
            elif isinstance(record, wxr.Item) and record.post_type == "attachment":
                self.media.save(record, self.report)
            elif isinstance(record, wxr.Item) and record.post_type == "wp_block":
                self.reusable_blocks[record.wp_id] = record.content
        for author in authors.values():
            self.import_author(author)
        self.import_categories(categories)
        for tag in tags.values():
            self.import_tag(tag)
        self.redirect_feeds()

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
        base = urlsplit(site.base_site_url or site.link)
        self.site_key = f"{base.netloc.lower()}{base.path.rstrip('/')}"
        if not self.site_key:
            raise wxr.ExportError("its channel names no site (<wp:base_site_url> is empty)")
        root = urlsplit(site.base_blog_url).path.rstrip("/")
        self.root = f"{unquote(root)}/"  # where the blog lived: / or /news/
        self.ids = IdMap(self.site_key)
        self.media = Media(self.site_key)
        self.comments = CommentImporter(self.ids, self.report)
        self.people = {}  # login → Person
        self.sections = {}  # slug as WordPress wrote it → Section
        self.tags = {}  # slug as WordPress wrote it → Tag
        self.reusable_blocks = {}  # wp_block id → its content
        self.page_parents = {}  # Page pk → its parent's WordPress id

    # Authors, categories, tags ------------------------------------------------------

    def import_author(self, author):
        name = plain_text(author.display_name) or plain_text(
            f"{author.first_name} {author.last_name}"
        )
        name = (name or author.login)[:200]
        slug = name_slug(name) or name_slug(author.login) or f"author-{author.wp_id}"
        person, outcome = self.ids.sync(
            Kind.AUTHOR,
            author.wp_id,
            Person,
            {"name": name, "slug": slug},
            unique=("slug",),
            adopt=lambda: self.ids.unclaimed(Kind.AUTHOR, Person.objects.filter(slug=slug).first()),
        )
        if not self.counted("authors", person, outcome):
            return
        self.people[author.login] = person
        self.comments.staff_ids.add(author.wp_id)
        url = person.get_absolute_url()
        feed = reverse("articles:author-feed", kwargs={"slug": person.slug})
        # WordPress's author archive is at the login's "nicename", which slugifies it.
        for nicename in {slugify(author.login), author.login}:
            self.redirect(f"{self.root}author/{nicename}/", url)
            self.redirect(f"{self.root}author/{nicename}/feed/", feed)
        self.redirect(f"{self.root}?author={author.wp_id}", url)

    def import_categories(self, categories):
        by_slug = {term.slug: term for term in categories.values()}
        for term in categories.values():
            if term.slug == DEFAULT_CATEGORY:
                self.report.skip("categories", "WordPress's default, Uncategorized: no section")
                continue
            name = plain_text(term.name) or decoded_slug(term.slug)
            slug = decoded_slug(term.slug) or f"category-{term.wp_id}"
            section, outcome = self.ids.sync(
                Kind.CATEGORY,
                term.wp_id,
                Section,
                {"name": name[:100], "slug": slug, "description": plain_text(term.description)},
                unique=("name", "slug"),
                adopt=lambda slug=slug: self.ids.unclaimed(
                    Kind.CATEGORY, Section.objects.filter(slug=slug).first()
                ),
            )
            if not self.counted("categories", section, outcome):
                continue
            self.sections[term.slug] = section
            url = section.get_absolute_url()
            feed = reverse("articles:section-feed", kwargs={"slug": section.slug})
            # Nested categories live at /category/parent/child/ (and answer at /category/child/).
            chain, parent, seen = [term.slug], by_slug.get(term.parent), {term.slug}
            while parent is not None and parent.slug not in seen:
                chain.insert(0, parent.slug)
                seen.add(parent.slug)
                parent = by_slug.get(parent.parent)
            for path in {"/".join(chain), term.slug}:
                old = f"{self.root}category/{unquote(path)}/"
                self.redirect(old, url)
                self.redirect(f"{old}feed/", feed)
            self.redirect(f"{self.root}?cat={term.wp_id}", url)

    def import_tag(self, term):
        name = plain_text(term.name)[:100] or decoded_slug(term.slug)
        slug = decoded_slug(term.slug) or f"tag-{term.wp_id}"
        tag, outcome = self.ids.sync(
            Kind.TAG,
            term.wp_id,
            Tag,
            {"name": name, "slug": slug},
            unique=("name", "slug"),
            adopt=lambda: self.ids.unclaimed(
                Kind.TAG,
                Tag.objects.filter(slug=slug).first()
                or Tag.objects.filter(name__iexact=name).first(),
            ),
        )
        if not self.counted("tags", tag, outcome):
            return
        self.tags[term.slug] = tag
        url = reverse("articles:tag", kwargs={"slug": tag.slug})
        old = f"{self.root}tag/{unquote(term.slug)}/"
        self.redirect(old, url)
        self.redirect(f"{old}feed/", reverse("articles:tag-feed", kwargs={"slug": tag.slug}))
        self.redirect(f"{self.root}?tag={unquote(term.slug)}", url)

    def redirect_feeds(self):
        feed = reverse("articles:feed")
        self.redirect(f"{self.root}feed/", feed)
        self.redirect(f"{self.root}feed/rss2/", feed)
        self.redirect(f"{self.root}feed/atom/", reverse("articles:feed-atom"))
        self.redirect(self.root, reverse("articles:front"))

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
        section = self.section_of(item)
        tags = self.tags_of(item)
        person = self.author_of(item)
        fields = {
            "headline": (plain_text(item.title) or "(no title)")[:300],
            "slug": self.slug_of(item, "post"),
            "dek": plain_text(item.excerpt),
            "body": self.render(item),  # sanitized already: bulk_create skips Article.save()
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
            self.set_byline(article, person)
        if outcome in (CREATED, UPDATED) and item.post_modified_gmt:
            # WordPress's "last modified", not the moment of the import.
            Article.objects.filter(pk=article.pk).update(modified_at=item.post_modified_gmt)
        if not self.counted("posts", article, outcome):
            return
        self.point_old_addresses(item, article, "p")
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
            "body": self.render(item),
            "status": Page.Status.PUBLISHED if published else Page.Status.DRAFT,
            "position": max(item.menu_order, 0),
        }
        page, outcome = self.ids.sync(
            Kind.PAGE, item.wp_id, Page, fields, extra={"parent": item.parent}
        )
        if not self.counted("pages", page, outcome):
            return
        if item.parent:
            self.page_parents[page.pk] = item.parent
        self.point_old_addresses(item, page, "page_id")
        self.redirect(f"{self.root}?p={item.wp_id}", page.get_absolute_url())
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

    def render(self, item):
        return render(
            item.content,
            media=self.media,
            post_id=item.wp_id,
            reusable_blocks=self.reusable_blocks,
        )

    def slug_of(self, item, kind):
        slug = decoded_slug(item.post_name.removesuffix("__trashed"))
        return slug or name_slug(plain_text(item.title)) or f"{kind}-{item.wp_id}"

    def page_path(self, item):
        """A page stays at its old address; drafts (which had none) go under the blog root."""
        parts = urlsplit(item.link)
        path = unquote(parts.path)
        if parts.query or not path.endswith("/") or path == self.root or "//" in path:
            path = f"{self.root}{self.slug_of(item, 'page')}/"
        return path

    def section_of(self, item):
        categories = [t for t in item.terms if t.taxonomy == "category"]
        # Yoast SEO records the category the author chose as primary.
        primary = item.meta.get("_yoast_wpseo_primary_category", "")
        if primary.isdigit():
            row = self.ids.link(Kind.CATEGORY, int(primary))
            section = row and Section.objects.filter(pk=row.object_id).first()
            if section is not None:
                return section
        for term in categories:
            if term.slug in self.sections:
                return self.sections[term.slug]
        for term in categories:
            if term.slug != DEFAULT_CATEGORY:
                return self.undeclared_section(term)
        return None

    def undeclared_section(self, term):
        """A category the item names but the export does not list (a partial export)."""
        slug = decoded_slug(term.slug)
        section = Section.objects.filter(slug=slug).first()
        if section is None:
            name = plain_text(term.name) or slug
            section = Section.objects.create(name=unique_name(Section, name[:100]), slug=slug)
            self.report.count("categories", CREATED)
        self.sections[term.slug] = section
        return section

    def tags_of(self, item):
        tags = {}
        for term in item.terms:
            if term.taxonomy != "post_tag":
                continue
            tag = self.tags.get(term.slug)
            if tag is None:  # named by the item but not listed by the export
                slug = decoded_slug(term.slug)
                tag = Tag.objects.filter(slug=slug).first()
                if tag is None:
                    name = unique_name(Tag, plain_text(term.name)[:100] or slug)
                    tag = Tag.objects.create(name=name, slug=slug)
                    self.report.count("tags", CREATED)
                self.tags[term.slug] = tag
            tags[tag.pk] = tag
        return list(tags.values())

    def author_of(self, item):
        if not item.creator:
            return None
        person = self.people.get(item.creator)
        if person is None:  # a login the export's author list does not have
            slug = name_slug(item.creator) or "author"
            person, created = Person.objects.get_or_create(
                slug=slug, defaults={"name": item.creator[:200]}
            )
            if created:
                self.report.count("authors", CREATED)
            self.people[item.creator] = person
        return person

    def set_byline(self, article, person):
        imported = [p.pk for p in self.people.values() if p.pk != getattr(person, "pk", None)]
        # The WordPress author changed: their byline goes; bylines added here stay.
        article.credits.filter(role=Credit.Role.BYLINE, person_id__in=imported).delete()
        if person is not None:
            Credit.objects.get_or_create(
                article=article, person=person, role=Credit.Role.BYLINE, defaults={"position": 0}
            )

    # Old addresses --------------------------------------------------------------------

    def point_old_addresses(self, item, obj, query_key):
        """The item's old addresses (its permalink and ``/?p=ID``) answer 301 to ``obj``."""
        new = obj.get_absolute_url()
        legacy = f"{self.root}?{query_key}={item.wp_id}"
        previous = Redirect.objects.filter(old_path=legacy).values_list("new_path", flat=True)
        previous = previous.first()
        if previous and previous != new:
            # Moved since the last import: its address here keeps working, and no chains.
            Redirect.objects.filter(new_path=previous).update(new_path=new)
            self.redirect(unquote(previous), new)
        self.redirect(legacy, new)
        if item.link:
            parts = urlsplit(item.link)
            old = unquote(parts.path) or "/"
            if not parts.query:  # a plain permalink is the /?p=ID already done
                self.redirect(old, new)

    def redirect(self, old_path, new_path):
        if old_path == unquote(new_path) or len(old_path) > 500:
            return
        existing = Redirect.objects.filter(old_path=old_path).first()
        if existing is None:
            Redirect.objects.create(old_path=old_path, new_path=new_path)
            self.report.count("redirects", CREATED)
        elif existing.new_path != new_path:
            existing.new_path = new_path
            existing.save(update_fields=["new_path"])
            self.report.count("redirects", UPDATED)
        else:
            self.report.count("redirects", UNCHANGED)

    def counted(self, what, obj, outcome):
        """Record ``outcome``; False when the object was deleted here and is left deleted."""
        if obj is None:
            self.report.skip(what, "deleted here after an earlier import; left deleted")
            return False
        self.report.count(what, outcome)
        return True
