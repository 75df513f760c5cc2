"""The comments of an imported post: threads, statuses, kinds and dates kept.

Saved in bulk, so no signal fires per comment: nobody is e-mailed about a reply
from years ago (``reply_announced``), and the story's comment count is redone
once per post with ``comments.actions.recount``.
"""

import ipaddress

from django.db.models.functions import Lower
from django.utils import timezone

from comments.actions import recount
from comments.models import Comment
from wordpress.content import comment_markup, comment_text, plain_text
from wordpress.idmap import fingerprint
from wordpress.models import ImportedObject
from wordpress.report import CREATED, UNCHANGED, UPDATED

STATUSES = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,  # trashed along with its post
    "": Comment.Status.PENDING,  # an export that does not say: an editor decides
}
KINDS = {
    "": Comment.Kind.COMMENT,
    "comment": Comment.Kind.COMMENT,
    "pingback": Comment.Kind.PINGBACK,
    "trackback": Comment.Kind.TRACKBACK,
}
FIELDS = [
    "author_name",
    "author_email",
    "author_url",
    "body",
    "body_markup",
    "kind",
    "status",
    "ip_address",
    "created_at",
    "is_staff_reply",
]


def ip_or_none(value):
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


class CommentImporter:
    def __init__(self, ids, report, staff_ids):
        self.ids = ids
        self.report = report
        self.staff_ids = staff_ids  # WordPress ids of the site's authors

    def save(self, item, article):
        if not item.comments:
            return
        rows = self.ids.links(ImportedObject.Kind.COMMENT, [c.wp_id for c in item.comments])
        existing = Comment.objects.in_bulk([row.object_id for row in rows.values()])
        # The database refuses the same text twice from one address on one story
        # (comments.models): owner of each (address, text) on this story so far.
        taken = {
            (email, body_hash): pk
            for email, body_hash, pk in Comment.objects.filter(
                article=article, is_staff_reply=False
            ).values_list(Lower("author_email"), "body_hash", "pk")
        }
        here = {}  # WordPress comment id → the comment (or its pk) standing for it here
        created, changed, changed_rows = [], [], []
        for source in item.comments:
            fields = self.fields(source, article)
            if fields is None:
                continue
            digest = fingerprint(fields, source.parent)
            row = rows.get(source.wp_id)
            comment = existing.get(row.object_id) if row else None
            if row is not None and comment is None:
                self.report.skip("comments", "deleted here after an earlier import; left deleted")
                continue
            if row is not None and row.fingerprint == digest:
                here[source.wp_id] = comment
                self.report.count("comments", UNCHANGED)
                continue
            comment = comment or Comment(article=article, reply_announced=True)
            for name in FIELDS:
                setattr(comment, name, fields.get(name, ""))
            comment.prepare()
            key = (comment.author_email.lower(), comment.body_hash)
            owner = taken.get(key)
            duplicate = owner is not None and owner not in (comment, comment.pk)
            if duplicate and not comment.is_staff_reply:
                # Replies to it hang on the comment already saying it.
                here[source.wp_id] = owner
                self.report.skip("comments", "same text from the same address on the same story")
                continue
            if not comment.is_staff_reply:
                taken[key] = comment.pk or comment
            here[source.wp_id] = comment
            if row is None:
                created.append((source, comment, digest))
            else:
                row.fingerprint = digest
                changed.append((source, comment, digest))
                changed_rows.append(row)
        Comment.objects.bulk_create([comment for _, comment, _ in created])
        ImportedObject.objects.bulk_create(
            [
                self.ids.new_link(ImportedObject.Kind.COMMENT, source.wp_id, comment, digest)
                for source, comment, digest in created
            ]
        )
        Comment.objects.bulk_update(
            [comment for _, comment, _ in changed], [*FIELDS, "body_html", "body_hash"]
        )
        ImportedObject.objects.bulk_update(changed_rows, ["fingerprint"])
        self.thread(created + changed, here)
        self.report.count("comments", CREATED, len(created))
        self.report.count("comments", UPDATED, len(changed))
        if created or changed:
            recount(article.pk)

    def thread(self, saved, here):
        """Point each reply at its parent, now that every comment of the post has a pk."""
        moved = []
        for source, comment, _ in saved:
            parent = here.get(source.parent) if source.parent else None
            parent_pk = getattr(parent, "pk", parent)
            if comment.parent_id != parent_pk and parent_pk != comment.pk:
                comment.parent_id = parent_pk
                moved.append(comment)
        Comment.objects.bulk_update(moved, ["parent"])

    def fields(self, source, article):
        kind = KINDS.get(source.type)
        if kind is None:
            self.report.skip("comments", f"type {source.type!r} (a plugin's) is not imported")
            return None
        status = STATUSES.get(source.approved)
        if status is None:
            self.report.skip("comments", f"status {source.approved!r} is not imported")
            return None
        url = source.author_url
        if not url.startswith(("http://", "https://")) or len(url) > 300:
            url = ""
        local = timezone.make_aware(source.date) if source.date else None
        # Only where there is some: a plain comment's fingerprint stays what it was.
        html = comment_markup(source.content)
        markup = {"body_markup": html} if html else {}
        return {
            "author_name": plain_text(source.author)[:100] or "Anonymous",
            "author_email": source.author_email[:254],
            "author_url": url,
            "body": comment_text(source.content),
            **markup,
            "kind": kind,
            "status": status,
            "ip_address": ip_or_none(source.author_ip),
            "created_at": source.date_gmt or local or article.published_at or article.created_at,
            "is_staff_reply": source.user_id in self.staff_ids,
        }
