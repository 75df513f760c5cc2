"""The database-specific half of the search index.

PostgreSQL: a GIN index on the weighted ``vector`` column.

SQLite: an FTS5 table, ``search_fts``, over search_searchdocument (external
content: the text is stored once, in the documents table), kept in step by
triggers, and ranked by bm25 with the column weights of search.models
(headline 5, dek 2, body 1, people 2, tags 2: PostgreSQL's A/B/C ratios).
The column order matters: search.query's highlight() and snippet() use
column 0 (headline) and 2 (body).

If a later migration makes SQLite rebuild search_searchdocument (most
AlterField operations do), the triggers are dropped with the old table: such a
migration must run these statements again.
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS search_document_vector"]

_COLUMNS = "headline, dek, body, people, tags"
_NEW = "new.headline, new.dek, new.body, new.people, new.tags"
_OLD = "old.headline, old.dek, old.body, old.people, old.tags"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        {_COLUMNS},
        content='search_searchdocument',
        content_rowid='article_id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    "INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(5.0, 2.0, 1.0, 2.0, 2.0)')",
    f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, {_COLUMNS}) VALUES (new.article_id, {_NEW});
    END""",
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {_COLUMNS})
        VALUES ('delete', old.article_id, {_OLD});
    END""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {_COLUMNS})
        VALUES ('delete', old.article_id, {_OLD});
        INSERT INTO search_fts(rowid, {_COLUMNS}) VALUES (new.article_id, {_NEW});
    END""",
    # Documents written before this migration (none on a fresh database).
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def run_for_vendor(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run_for_vendor({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            run_for_vendor({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
