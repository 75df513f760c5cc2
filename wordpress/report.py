"""What an import did, counted, for the summary the command prints."""

from collections import Counter, defaultdict

CREATED = "created"
UPDATED = "updated"
MATCHED = "matched to an existing one"
UNCHANGED = "unchanged"
OUTCOMES = (CREATED, UPDATED, MATCHED, UNCHANGED)
# The summary's order: what the site is made of, then what hangs on it.
KINDS = (
    "authors",
    "categories",
    "tags",
    "terms",
    "attachments",
    "posts",
    "pages",
    "comments",
    "redirects",
)


class Report:
    def __init__(self):
        self.site = None
        self.counts = defaultdict(Counter)  # what → outcome → how many
        self.skipped = Counter()  # (what, why) → how many
        self.sections = []  # more to say after the counts: each has lines() (wordpress.losses)

    def count(self, what, outcome, n=1):
        self.counts[what][outcome] += n

    def skip(self, what, why, n=1):
        self.skipped[(what, why)] += n

    def counted(self, what, obj, outcome):
        """Record ``outcome``; False when the object was deleted here and is left deleted."""
        if obj is None:
            self.skip(what, "deleted here after an earlier import; left deleted")
            return False
        self.count(what, outcome)
        return True

    def total(self, outcome):
        return sum(outcomes[outcome] for outcomes in self.counts.values())

    def lines(self):
        if self.site is not None:
            yield (
                f"WordPress export of {self.site.title or self.site.link!r} "
                f"({self.site.link or 'no address'}, WXR {self.site.wxr_version}):"
            )
        skipped = Counter()
        for (what, _), n in self.skipped.items():
            skipped[what] += n
        order = {kind: i for i, kind in enumerate(KINDS)}
        for what in sorted({*self.counts, *skipped}, key=lambda k: (order.get(k, len(KINDS)), k)):
            outcomes = self.counts.get(what, Counter())
            done = [f"{outcomes[o]} {o}" for o in OUTCOMES if outcomes[o]]
            if skipped[what]:
                done.append(f"{skipped[what]} skipped")
            yield f"  {what + ':':<13} {', '.join(done)}"
        if self.skipped:
            yield f"  {'skipped:':<13} {sum(self.skipped.values())}, and why"
            for (what, why), n in sorted(self.skipped.items()):
                yield f"    {n} {what}: {why}"
        for section in self.sections:
            yield from section.lines()
