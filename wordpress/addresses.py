"""Old addresses of an imported site: each answers 301 at its new place (pages.Redirect)."""

from urllib.parse import unquote, urlsplit

from django.urls import reverse

from pages.models import Redirect
from wordpress.report import CREATED, UNCHANGED, UPDATED


class OldAddresses:
    def __init__(self, root, report):
        self.root = root  # where the blog lived: / or /news/
        self.report = report

    def feeds(self):
        """The site's feeds and front page."""
        feed = reverse("articles:feed")
        self.redirect(f"{self.root}feed/", feed)
        self.redirect(f"{self.root}feed/rss2/", feed)
        self.redirect(f"{self.root}feed/atom/", reverse("articles:feed-atom"))
        self.redirect(self.root, reverse("articles:front"))

    def point(self, item, obj, query_key):
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
