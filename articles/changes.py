"""What a change to a story invalidates: the one API for it.

Every change touches, after it is committed, the cache tags of what it alters
(articles.cache_tags names them): the story's own tag for any change to it, and
the collections a listed story is or was in when it may enter or leave them (its
publication, time, section or pinning changed; a tag or credit added or removed).
"Listed" means marked published, live or scheduled: a draft appears nowhere, so
its changes touch only its own tag (its preview is never cached). The menu of
sections on every page changes only when a section gains its first live story or
loses its last.

articles.signals connects these to model signals. Writes that send no signals
(``bulk_create``, ``update()``) call ``stories_changed()`` or, for a bulk import,
``everything_changed()`` themselves.
"""

from django.utils import timezone

from articles import cache_tags as tags
from articles.models import Article, Credit, TaggedArticle
from core import stamps
from core.stamps import touch_after_commit

# A change to one of these may move a story into or out of a listing.
MEMBERSHIP_FIELDS = ("status", "published_at", "section_id", "is_sticky")
# What the sitemaps show of a story: its address (date and slug) and lastmod, and
# whether the news sitemap lists it (a live story's, while its coverage is open).
SITEMAP_FIELDS = ("slug", "published_at", "updated_at", "coverage_ended_at")


def is_listed(status):
    """Shown on listings now or later by itself: live or scheduled."""
    return status == Article.Status.PUBLISHED


def was_live(before):
    """Was the story as ``state_before_save()`` read it (None: new) live then?"""
    return (
        before is not None
        and is_listed(before["status"])
        and before["published_at"] is not None
        and before["published_at"] <= timezone.now()
    )


def navigation_of(article, *sections):
    """The menu lists the sections with a live story (``Section.objects.navigation``).
    ``article`` went live in one of ``sections`` or stopped being live there: the menu
    changes only if no other live story is in it. Asking costs a query, but touching
    the menu at every publication would make every page of the site stale."""
    others = Article.objects.published().exclude(pk=article.pk)
    if any(pk and not others.filter(section_id=pk).exists() for pk in sections):
        return {tags.NAVIGATION}
    return set()


def sections_entered_and_left(article, before):
    """(The section the story went live in, the one it stopped being live in), or None."""
    live, live_before = article.is_published, was_live(before)
    moved = before is not None and before["section_id"] != article.section_id
    entered = article.section_id if live and (moved or not live_before) else None
    left = before["section_id"] if live_before and (moved or not live) else None
    return entered, left


def collections_of(article, *sections):
    """Every listing ``article`` can appear on: the site-wide ones, its sections
    (before and after the change), its tags and the people credited on it."""
    tag_ids = TaggedArticle.objects.filter(content_object=article).values_list("tag", flat=True)
    people = Credit.objects.filter(article=article).values_list("person", flat=True)
    return {
        *tags.EVERY_LISTING,
        *(tags.section(pk) for pk in sections if pk),
        *(tags.tag(pk) for pk in tag_ids),
        *(tags.person(pk) for pk in people),
    }


def state_before_save(article):
    """What a change is compared with, read from the database (the instance may be older);
    with the story's preview key, which articles.preview keeps or renews in the same read."""
    if article.pk is None:
        return None
    fields = {*MEMBERSHIP_FIELDS, *SITEMAP_FIELDS, "preview_key"}
    return Article.objects.filter(pk=article.pk).values(*fields).first()


def story_saved(article, before):
    """``article`` was saved; ``before`` is ``state_before_save()`` (None: a new story)."""
    touched = {tags.article(article.pk)}
    now_listed = is_listed(article.status)
    if before is None:
        if now_listed:
            touched |= collections_of(article, article.section_id)
    elif now_listed or is_listed(before["status"]):

        def changed(fields):
            return any(before[field] != getattr(article, field) for field in fields)

        if changed(MEMBERSHIP_FIELDS):
            touched |= collections_of(article, before["section_id"], article.section_id)
        elif changed(SITEMAP_FIELDS):
            touched.add(tags.SITEMAP)
    touched |= navigation_of(article, *sections_entered_and_left(article, before))
    touch_after_commit(*touched)


def story_deleted(article):
    # Its tags and credits are deleted with it, and say so themselves (below).
    touched = {tags.article(article.pk)}
    if is_listed(article.status):
        touched |= {*tags.EVERY_LISTING, tags.section(article.section_id)}
    if article.is_published:
        touched |= navigation_of(article, article.section_id)
    touch_after_commit(*touched)


def stories_changed(articles):
    """Stories changed without a save each (``update()``): each, and every listing it is in."""
    touched = {tags.NAVIGATION}
    for article in articles:
        touched |= {tags.article(article.pk), *collections_of(article, article.section_id)}
    touch_after_commit(*touched)


def everything_changed():
    """After a bulk write that sent no model signals (an import, generated content):
    every cached page and fragment is stale once the transaction commits."""
    stamps.touch_everything()


def story_of(link):
    """The story a tag link or credit belongs to (usually already loaded with it)."""
    try:
        return link.article if isinstance(link, Credit) else link.content_object
    except Article.DoesNotExist:  # deleted in the same cascade
        return None


def tag_link_changed(link):
    touched = {tags.article(link.content_object_id)}
    story = story_of(link)
    if story is None or is_listed(story.status):
        touched |= {tags.tag(link.tag_id), tags.SITEMAP}
    touch_after_commit(*touched)


def person_before_save(credit):
    """Whom a credit named before this save (its old person's listing loses the story)."""
    if credit.pk is None:
        return None
    return Credit.objects.filter(pk=credit.pk).values_list("person_id", flat=True).first()


def credit_changed(credit, person_before=None):
    touched = {tags.article(credit.article_id)}
    story = story_of(credit)
    if story is None or is_listed(story.status):
        people = {credit.person_id, person_before}
        touched |= {tags.SITEMAP, *(tags.person(pk) for pk in people if pk)}
    touch_after_commit(*touched)


def picks_changed(link):
    touch_after_commit(tags.article(link.from_article_id))


def correction_changed(correction):
    touch_after_commit(tags.article(correction.article_id), tags.CORRECTIONS)
