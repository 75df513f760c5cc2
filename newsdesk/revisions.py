"""Revisions of a story and of a live entry (django-reversion): what one holds, and
how two stories' compare.

A story's revision holds the article and everything edited with it (credits,
related links, corrections, tags), so restoring one brings them all back.
The admin saves one revision per save (newsdesk.story_admin).
"""

import reversion
from django.contrib.contenttypes.models import ContentType
from reversion.models import Version
from taggit.models import Tag

from articles.fields import editable
from articles.models import Article, Correction, Credit, Person, RelatedLink, Section, TaggedArticle
from live.models import Entry, EntryCorrection
from newsdesk import text_diff

# Fields an editor reads in a comparison, in form order; tags are compared as the
# tag links saved with the revision (below).
COMPARED_FIELDS = [name for name in editable() if not Article._meta.get_field(name).many_to_many]


def _label(name):
    return str(Article._meta.get_field(name).verbose_name).capitalize()


# How a changed field is shown: prose word by word; any other field before and after.
DIFFS = {
    _label("body"): text_diff.diff_body,
    **{_label(name): text_diff.diff_words for name in ("headline", "dek", "transcript")},
}
# The objects a story's revision follows, and the field that points back at the story.
FOLLOWED = {
    Credit: "article_id",
    RelatedLink: "from_article_id",
    Correction: "article_id",
    TaggedArticle: "content_object_id",
}


def register():
    """Version stories with what is edited with them, tags included: before the story
    admin is registered, since VersionAdmin would register stories with their
    inlines only."""
    for model in FOLLOWED:
        reversion.register(model)
    reversion.register(Article, follow=["credits", "related_links", "corrections", "tagged_items"])
    # A live entry's revision holds its corrections (its authors are in its own fields).
    reversion.register(EntryCorrection)
    reversion.register(Entry, follow=["corrections"])


def versions_of(article):
    """The article's versions, newest first, with who saved them and when."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def latest_version_id(article):
    """The id of the newest saved version, or 0: the token a form is "based on"."""
    if article.pk is None:
        return 0
    return Version.objects.get_for_object(article).values_list("pk", flat=True).first() or 0


def stories_in(revision):
    """{story id: its fields as saved} for every story a revision holds: restoring the
    revision writes them all (one made by an old bulk action may hold several)."""
    article_type = ContentType.objects.get_for_model(Article)
    versions = revision.version_set.filter(content_type=article_type)
    return {int(version.object_id): version.field_dict for version in versions}


def snapshot(version):
    """{label: text} for one version of an article and the objects saved with it."""
    fields = version.field_dict
    text = {}
    for name in COMPARED_FIELDS:
        field = Article._meta.get_field(name)
        value = fields.get(field.attname)
        if name == "section":
            value = _names(Section, [value]).get(value) if value else None
        elif field.choices:
            value = dict(field.flatchoices).get(value, value)
        text[_label(name)] = "" if value is None else str(value)
    related = _followed_fields(version)
    people = _names(Person, [c["person_id"] for c in related[Credit]])
    headlines = _names(Article, [r["to_article_id"] for r in related[RelatedLink]], "headline")
    tags = _names(Tag, [t["tag_id"] for t in related[TaggedArticle]])
    text["Credits"] = "\n".join(
        f"{c['position']}. {people.get(c['person_id'], '(deleted person)')}: "
        f"{Credit.Role(c['role']).label} {c['note']}".rstrip()
        for c in sorted(related[Credit], key=lambda c: (c["position"], c["id"]))
    )
    text["Related posts"] = "\n".join(
        headlines.get(r["to_article_id"], "(deleted story)")
        for r in sorted(related[RelatedLink], key=lambda r: (r["position"], r["id"]))
    )
    text["Corrections"] = "\n".join(
        f"{Correction.Kind(c['kind']).label} ({c['published_at']:%Y-%m-%d %H:%M}): {c['text']}"
        for c in sorted(related[Correction], key=lambda c: c["published_at"])
    )
    text["Tags"] = ", ".join(
        sorted(tags.get(t["tag_id"], "(deleted tag)") for t in related[TaggedArticle])
    )
    return text


def compare(old_version, new_version):
    """[(label, diff HTML)] for every field that differs between two versions: the
    body as its text block by block, the other prose word by word, the rest whole."""
    old, new = snapshot(old_version), snapshot(new_version)
    return [
        (label, DIFFS.get(label, text_diff.before_after)(old[label], new[label]))
        for label in new
        if old[label] != new[label]
    ]


def _followed_fields(version):
    """{model: [field dicts]} of the credits, links, corrections and tags saved with it."""
    by_type = {ContentType.objects.get_for_model(model).pk: model for model in FOLLOWED}
    found = {model: [] for model in FOLLOWED}
    for related in version.revision.version_set.filter(content_type__in=by_type):
        model = by_type[related.content_type_id]
        fields = related.field_dict
        # A revision made by a bulk action may hold several stories' objects.
        if str(fields[FOLLOWED[model]]) == str(version.object_id):
            found[model].append(fields)
    return found


def _names(model, ids, field="name"):
    """{id: name} in one query; objects deleted since are simply missing."""
    return dict(model.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", field))
