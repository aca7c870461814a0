"""SQLite: new and changed articles queue for the full-text index instead of entering it
inside the write that stores them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Indexing a body costs more than storing it, so a bulk write (an archive import) stores
first and indexes later in large batches (``Storage.update_search``), as lemon24/reader
does. An ordinary write still indexes its own articles before it commits, so search sees
them at once. The triggers keep the index exact either way: an article still queued has
nothing in the index to delete.

PostgreSQL needs none of this: its ``tsv`` column is generated with the row.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_NOT_QUEUED = "WHERE NOT EXISTS (SELECT 1 FROM search_queue WHERE article_id = old.id)"
_UNINDEX_OLD = (
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    f"SELECT 'delete', old.id, old.title, old.text {_NOT_QUEUED}; "
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE TABLE search_queue (article_id INTEGER PRIMARY KEY)")
    for name in ("articles_fts_ai", "articles_fts_ad", "articles_fts_au"):
        op.execute(f"DROP TRIGGER {name}")
    op.execute(
        "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN "
        "INSERT INTO search_queue(article_id) VALUES (new.id); END"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN "
        f"{_UNINDEX_OLD}"
        "DELETE FROM search_queue WHERE article_id = old.id; END"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN "
        f"{_UNINDEX_OLD}"
        "INSERT OR IGNORE INTO search_queue(article_id) VALUES (new.id); END"
    )
