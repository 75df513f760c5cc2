"""The search index: one plain-text document per story, kept current by search.signals.

Every story is indexed, whatever its status: whether a reader may see it is
decided at query time by ``Article.objects.published()``, because a scheduled
story becomes public without being saved again.

PostgreSQL ranks with the weighted ``vector`` column (GIN-indexed). SQLite uses
an FTS5 table, ``search_fts``, that mirrors this table through triggers. Both
the GIN index and the FTS5 table are created by migration 0002 for the matching
database only, which is why neither appears in ``Meta`` below.
"""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection, models
from django.db.models import Prefetch

from articles.models import Article, Credit
from core.stamps import touch_after_commit
from search.text import clean_text, html_to_text

# PostgreSQL text search configuration; SQLite's FTS5 table uses the matching
# Porter stemmer (see migration 0002).
SEARCH_CONFIG = "english"

# Headline above dek above body; names of people and tags count like a dek.
# The SQLite FTS5 ranking (migration 0002) weighs its columns in the same ratios.
WEIGHTED_VECTOR = (
    SearchVector("headline", weight="A", config=SEARCH_CONFIG)
    + SearchVector("dek", "people", "tags", weight="B", config=SEARCH_CONFIG)
    + SearchVector("body", weight="C", config=SEARCH_CONFIG)
)

INDEX_BATCH_SIZE = 500

# The page cache tag of the index: touched whenever documents are written, so
# that kept search rankings (search.query.rank) are dropped.
SEARCH_TAG = "search"


class SearchDocumentQuerySet(models.QuerySet):
    def index(self, articles):
        """Write (or rewrite) the documents of ``articles``, a queryset of any size."""
        articles = articles.prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("person")),
            "tags",
        ).order_by("pk")
        batch = []
        for article in articles.iterator(chunk_size=INDEX_BATCH_SIZE):
            batch.append(SearchDocument.for_article(article))
            if len(batch) == INDEX_BATCH_SIZE:
                self._write(batch)
                batch = []
        if batch:
            self._write(batch)
        touch_after_commit(SEARCH_TAG)

    def _write(self, documents):
        self.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["headline", "dek", "body", "people", "tags"],
        )
        if connection.vendor == "postgresql":
            self.filter(pk__in=[d.pk for d in documents]).update(vector=WEIGHTED_VECTOR)

    def rebuild(self):
        """Index every story from scratch (after bulk imports that skip signals)."""
        self.all().delete()
        self.index(Article.objects.all())

    def index_missing(self):
        """Index the stories that have no document yet, e.g. ones older than this app."""
        self.index(Article.objects.filter(search_document__isnull=True))


class SearchDocument(models.Model):
    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    headline = models.TextField()
    dek = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Body and video transcript as plain text.")
    people = models.TextField(blank=True, help_text="Names of everyone credited.")
    tags = models.TextField(blank=True)
    # Filled on PostgreSQL only; stays NULL on SQLite, where search_fts does the work.
    vector = SearchVectorField(null=True, editable=False)

    objects = SearchDocumentQuerySet.as_manager()

    def __str__(self):
        return self.headline

    @classmethod
    def for_article(cls, article):
        """An unsaved document for ``article`` (its credits and tags prefetched)."""
        return cls(
            article=article,
            headline=clean_text(article.headline),
            dek=clean_text(article.dek),
            body=clean_text(f"{html_to_text(article.body)} {article.transcript}"),
            people=clean_text(" ".join(credit.person.name for credit in article.credits.all())),
            tags=clean_text(" ".join(tag.name for tag in article.tags.all())),
        )


class FullTextMatch(models.Lookup):
    """``fulltext__entry__matches="..."``: an FTS5 MATCH against the whole table."""

    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class FullTextColumn(models.TextField):
    """FTS5's hidden column named after its table: what MATCH and snippet() take."""


FullTextColumn.register_lookup(FullTextMatch)


class FullTextEntry(models.Model):
    """SQLite only: the FTS5 table ``search_fts`` that mirrors SearchDocument.

    Created and kept in sync by SQL in migration 0002, hence unmanaged. Its rowid
    is the article's id, so a search joins it straight to Article.
    """

    article = models.OneToOneField(
        Article,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="fulltext",
    )
    entry = FullTextColumn(db_column="search_fts")
    # bm25() with the column weights configured in migration 0002; lower is better.
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "search_fts"

    def __str__(self):
        return f"Full-text entry of article {self.pk}"
