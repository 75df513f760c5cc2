"""Old addresses of an imported site: each answers 301 at its new place (pages.Redirect)."""

import re
from urllib.parse import unquote, urlsplit

from django.urls import reverse

from pages.models import Redirect
from wordpress.report import CREATED, UNCHANGED, UPDATED

SLASHES = re.compile(r"/{2,}")


def collapse_slashes(path):
    """``//greek/page/`` → ``/greek/page/``: WordPress.com writes some links with two."""
    return SLASHES.sub("/", path)


class OldAddresses:
    def __init__(self, root, report):
        self.root = root  # where the blog lived: / or /news/
        self.report = report

    def feeds(self):
        """The site's feeds and front page, and what WordPress answers at them that we do not
        have: the default category (no section here) and the feed of all comments."""
        feed = reverse("articles:feed")
        front = reverse("articles:front")
        self.redirect(f"{self.root}feed/", feed)
        self.redirect(f"{self.root}feed/rss2/", feed)
        self.redirect(f"{self.root}feed/atom/", reverse("articles:feed-atom"))
        self.redirect(f"{self.root}comments/feed/", feed)
        self.redirect(f"{self.root}category/uncategorized/", front)
        self.redirect(f"{self.root}category/uncategorized/feed/", feed)
        self.redirect(self.root, front)

    def point(self, item, obj, *query_keys):
        """The item's old addresses (its permalink and ``/?p=ID``) answer 301 to ``obj``.

        Only once readers may see it: WordPress answers 404 at a draft's or a
        scheduled post's ``/?p=ID``, and a redirect would give away its address.
        """
        legacy = [f"{self.root}?{key}={item.wp_id}" for key in query_keys if item.wp_id_is_real]
        if not obj.is_published:
            Redirect.objects.filter(old_path__in=legacy).delete()
            return
        new = obj.get_absolute_url()
        for old in legacy:
            self.point_query(old, new)
        if item.link:
            parts = urlsplit(item.link)
            if not parts.query:  # a plain permalink is the /?p=ID already done
                old = unquote(parts.path) or "/"
                self.redirect(old, new)
                self.redirect(collapse_slashes(old), new)

    def point_query(self, legacy, new):
        previous = Redirect.objects.filter(old_path=legacy).values_list("new_path", flat=True)
        previous = previous.first()
        if previous and previous != new:
            # Moved since the last import: its address here keeps working, and no chains.
            Redirect.objects.filter(new_path=previous).update(new_path=new)
            self.redirect(unquote(previous), new)
        self.redirect(legacy, new)

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
