"""WordPress's authors, categories and tags as people, sections and tags, and the ones
each post names (also those a partial export names without listing them)."""

import re
import unicodedata
from urllib.parse import unquote

from django.urls import reverse
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Credit, Person, Section
from wordpress.content import plain_text
from wordpress.idmap import unique_value
from wordpress.models import ImportedObject
from wordpress.report import CREATED

Kind = ImportedObject.Kind
SLUG = re.compile(r"[-\w]+")
# What WordPress keeps of a login (sanitize_user): a stray "themereviewteam>" is that author.
NOT_IN_LOGINS = re.compile(r"[^\w .@-]", re.ASCII)
# WordPress's default category, which a newsroom does not want as a section.
DEFAULT_CATEGORY = "uncategorized"


def decoded_slug(value):
    """A WordPress slug as readers saw it: ``%e6%97%a5`` → ``日``, and only slug characters.

    Invisible format characters (direction marks, zero-width joiners) go: a slug
    that looks like ``uncategorized`` is ``uncategorized``.
    """
    slug = unquote(value.strip())
    slug = "".join(c for c in slug if unicodedata.category(c) != "Cf")
    return slug if SLUG.fullmatch(slug) else slugify(slug, allow_unicode=True)


def unique_name(model, name):
    return unique_value(model, "name", name, separator=" ")


def name_slug(name):
    """A slug for a name we slug ourselves: ASCII when the name allows (Zoë → zoe)."""
    return slugify(name) or slugify(name, allow_unicode=True)


class Terms:
    """The people, sections and tags of one import, by WordPress's names for them."""

    def __init__(self, ids, report, addresses):
        self.ids = ids
        self.report = report
        self.addresses = addresses
        self.root = addresses.root
        self.people = {}  # login → Person
        self.sections = {}  # slug as WordPress wrote it → Section
        self.tags = {}  # slug as WordPress wrote it → Tag
        self.staff_ids = set()  # WordPress ids of the site's authors
        self.other_terms = set()  # (taxonomy, id) of terms of taxonomies not imported

    def import_author(self, author):
        name = plain_text(author.display_name) or plain_text(
            f"{author.first_name} {author.last_name}"
        )
        name = (name or author.login)[:200]
        slug = name_slug(name) or name_slug(author.login) or f"author-{author.wp_id}"
        fields = {"name": name, "slug": slug}
        if author.description:  # only then: a bio written here is not wiped by an export without
            fields["bio"] = plain_text(author.description)
        person, outcome = self.ids.sync(
            Kind.AUTHOR,
            author.wp_id,
            Person,
            fields,
            unique=("slug",),
            adopt=lambda: self.ids.unclaimed(Kind.AUTHOR, Person.objects.filter(slug=slug).first()),
        )
        if not self.report.counted("authors", person, outcome):
            return
        self.people[author.login] = person
        self.staff_ids.add(author.wp_id)
        url = person.get_absolute_url()
        feed = reverse("articles:author-feed", kwargs={"slug": person.slug})
        # WordPress's author archive is at the login's "nicename", which slugifies it.
        for nicename in {slugify(author.login), author.login}:
            self.addresses.redirect(f"{self.root}author/{nicename}/", url)
            self.addresses.redirect(f"{self.root}author/{nicename}/feed/", feed)
        self.addresses.redirect(f"{self.root}?author={author.wp_id}", url)

    def import_categories(self, categories):
        by_slug = {term.slug: term for term in categories.values()}
        for term in categories.values():
            if decoded_slug(term.slug) == DEFAULT_CATEGORY:
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
            if not self.report.counted("categories", section, outcome):
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
                self.addresses.redirect(old, url)
                self.addresses.redirect(f"{old}feed/", feed)
            self.addresses.redirect(f"{self.root}?cat={term.wp_id}", url)

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
        if not self.report.counted("tags", tag, outcome):
            return
        self.tags[term.slug] = tag
        url = reverse("articles:tag", kwargs={"slug": tag.slug})
        old = f"{self.root}tag/{unquote(term.slug)}/"
        self.addresses.redirect(old, url)
        self.addresses.redirect(
            f"{old}feed/", reverse("articles:tag-feed", kwargs={"slug": tag.slug})
        )
        self.addresses.redirect(f"{self.root}?tag={unquote(term.slug)}", url)

    # What a post names ------------------------------------------------------------

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
            if decoded_slug(term.slug) != DEFAULT_CATEGORY:
                return self.undeclared_section(term)
        return None

    def report_other_taxonomy(self, term):
        """A term of a taxonomy nothing here stands for (menus, formats, a plugin's own)."""
        if (term.taxonomy, term.wp_id) in self.other_terms:
            return
        self.other_terms.add((term.taxonomy, term.wp_id))
        self.report.skip("terms", f"taxonomy {term.taxonomy!r} has no counterpart here")

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
        person = self.people.get(item.creator) or self.people.get(
            NOT_IN_LOGINS.sub("", item.creator)
        )
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
