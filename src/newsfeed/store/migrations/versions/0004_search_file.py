"""SQLite: the full-text index moves to a file of its own, filled behind the writes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Indexing a story's words costs about as much as storing it, and SQLite has one writer per
file: in a second file, a second thread indexes while the writer stores (see
``newsfeed.store._search_index``). In the database itself only a queue is left:

* ``search_queue``: the id of every article inserted, deleted or with a new title or text,
  appended by triggers in the writer's own transaction;
* ``search_index``: one row, a random token that the search file must carry, so a search file
  beside a different database is never taken for this one's.

The old ``articles_fts`` table and its triggers go; the search file is built from the
articles the first time the database is opened. PostgreSQL keeps its ``tsv`` column.
"""

from __future__ import annotations

import secrets

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_QUEUE = "INSERT INTO search_queue(article_id) VALUES"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("articles_fts_ai", "articles_fts_ad", "articles_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS articles_fts")
    op.execute(
        "CREATE TABLE search_queue ("
        "seq INTEGER PRIMARY KEY AUTOINCREMENT, article_id INTEGER NOT NULL)"
    )
    op.execute("CREATE TABLE search_index (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT)")
    op.execute(f"INSERT INTO search_index(id, token) VALUES (1, '{secrets.token_hex(16)}')")
    op.execute(
        f"CREATE TRIGGER search_queue_ai AFTER INSERT ON articles BEGIN {_QUEUE} (new.id); END"
    )
    op.execute(
        f"CREATE TRIGGER search_queue_ad AFTER DELETE ON articles BEGIN {_QUEUE} (old.id); END"
    )
    op.execute(
        "CREATE TRIGGER search_queue_au AFTER UPDATE OF title, text ON articles BEGIN "
        f"{_QUEUE} (new.id); END"
    )
