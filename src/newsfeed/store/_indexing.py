"""SQLite's full-text index, filled from a queue.

Storing an article queues its id (a trigger does it, in the same transaction, so a crash
loses nothing). An ordinary write then indexes the ids it queued before it commits; a bulk
write leaves them for ``index_queued``, which takes the queue in batches. Indexing costs
more than storing, so a bulk import stores at full speed and its articles become
searchable a little later, as in lemon24/reader's ``update_search``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfeed.store._schema import articles

_CHUNK = 500  # ids per IN (...) list

_queue = sa.table("search_queue", sa.column("article_id", sa.Integer))
_fts = sa.table(
    "articles_fts", sa.column("rowid", sa.Integer), sa.column("title"), sa.column("text")
)


def applies(conn: Connection) -> bool:
    """PostgreSQL's ``tsv`` column is generated with the row: nothing to queue there."""
    return conn.dialect.name == "sqlite"


def index(conn: Connection, ids: Sequence[int]) -> int:
    """Index those of ``ids`` still queued; how many that was."""
    done = 0
    for start in range(0, len(ids), _CHUNK):
        part = sorted(set(ids[start : start + _CHUNK]))
        queued = [
            row[0]
            for row in conn.execute(
                sa.select(_queue.c.article_id).where(_queue.c.article_id.in_(part))
            )
        ]
        if queued:
            rows = sa.select(articles.c.id, articles.c.title, articles.c.text)
            conn.execute(
                sa.insert(_fts).from_select(
                    ["rowid", "title", "text"], rows.where(articles.c.id.in_(queued))
                )
            )
            conn.execute(sa.delete(_queue).where(_queue.c.article_id.in_(queued)))
            done += len(queued)
    return done


def index_queued(conn: Connection, limit: int) -> int:
    """Index up to ``limit`` queued articles, oldest first; how many that was."""
    ids = [
        row[0]
        for row in conn.execute(
            sa.select(_queue.c.article_id).order_by(_queue.c.article_id).limit(limit)
        )
    ]
    return index(conn, ids)


def backlog(conn: Connection) -> int:
    """How many stored articles search cannot find yet."""
    if not applies(conn):
        return 0
    return int(conn.execute(sa.select(sa.func.count()).select_from(_queue)).scalar() or 0)
