"""Full-text search: FTS5 with bm25 on SQLite, tsvector with ts_rank on PostgreSQL.

Ranking every match of a common word is what makes full-text search slow on a big
database, so both backends rank a window: the ``WINDOW`` newest matching stories (by
id, which FTS5 walks backwards without sorting), then order that window by relevance.
Rare words match fewer stories than the window and are ranked exactly. Pages inside the
window are addressed by an offset kept in the (opaque) search cursor.

On SQLite, bm25 also counts, for its IDF, every story holding each query word: a scan of
that word's whole doclist, about 30 ms for "the" at a million stories. A word held by more
than half of the stories gets no weight from bm25 anyway (its IDF is clamped to almost zero),
so on a big database (``SAMPLE_ABOVE`` stories) words that more than half of the newest
``SAMPLE`` stories hold are treated as stop words: dropped when rarer words remain, and when
none do, the query matches all of them and lists the newest matches without bm25.

Snippets come back with the matched words between private-use marker characters, are
HTML-escaped, and only then get their ``<mark>`` tags.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfeed.store._schema import articles

WINDOW = 1000
PG_WINDOW = 200  # ts_rank costs a TOAST read per story: a smaller window on PostgreSQL
SAMPLE = 2000
SAMPLE_ABOVE = 50_000
SNIPPET_WORDS = 24
HEADLINE_CHARS = 10_000
_OPEN, _CLOSE = "\ue000", "\ue001"
_LT = "\ue002"  # '<' hidden from PostgreSQL's parser, which drops anything tag-like
_WORD = re.compile(r"\w+")


def terms(query: str) -> list[str]:
    """The words of a user's query; punctuation and query syntax are not special."""
    return _WORD.findall(query)


def mark(snippet: str) -> str:
    """Escape a raw snippet, then turn the marker characters into ``<mark>`` tags."""
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>").replace(_LT, "&lt;")


@dataclass(frozen=True, slots=True)
class Plan:
    """The words a search matches, and whether it ranks them by relevance."""

    words: tuple[str, ...]
    by_relevance: bool = True


def plan(conn: Connection, words: Sequence[str]) -> Plan:
    if conn.dialect.name == "postgresql":
        return Plan(tuple(words))
    top = conn.execute(sa.select(sa.func.max(articles.c.id))).scalar() or 0
    if top < SAMPLE_ABOVE:
        return Plan(tuple(words))
    rare = tuple(w for w in words if not _common(conn, w, top))
    return Plan(rare) if rare else Plan(tuple(words), by_relevance=False)


def _common(conn: Connection, word: str, top: int) -> bool:
    recent = (
        sa.select(sa.func.count())
        .select_from(_fts)
        .where(_fts_name.op("MATCH")(_fts_query([word])), _fts.c.rowid > top - SAMPLE)
    )
    return 2 * (conn.execute(recent).scalar() or 0) > SAMPLE


def ranked_ids(
    conn: Connection,
    query: Plan,
    where: Sequence[sa.ColumnElement[bool]],
    offset: int,
    limit: int,
) -> list[tuple[int, float]]:
    """(article id, rank) of one page, best first; a higher rank is a better match."""
    if conn.dialect.name == "postgresql":
        return _pg_ranked(conn, query.words, where, offset, limit)
    return _sqlite_ranked(conn, query, where, offset, limit)


def snippets(conn: Connection, query: Plan, ids: Sequence[int]) -> dict[int, str]:
    """A highlighted, escaped snippet for each article id."""
    if not ids:
        return {}
    if conn.dialect.name == "postgresql":
        return _pg_snippets(conn, query.words, ids)
    return _sqlite_snippets(conn, query.words, ids)


# --- SQLite ---------------------------------------------------------------------------

_fts = sa.table("articles_fts", sa.column("rowid", sa.Integer))
_fts_name: sa.ColumnClause[Any] = sa.literal_column("articles_fts")


def _fts_query(words: Sequence[str]) -> str:
    # Every word quoted: FTS5 operators typed by a user are plain words here.
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def _sqlite_ranked(
    conn: Connection,
    query: Plan,
    where: Sequence[sa.ColumnElement[bool]],
    offset: int,
    limit: int,
) -> list[tuple[int, float]]:
    # bm25 is smaller for better matches; the title weighs ten times the body.
    score = sa.func.bm25(_fts_name, 10.0, 1.0) if query.by_relevance else sa.literal(0.0)
    window = sa.select(_fts.c.rowid.label("id"), score.label("score")).where(
        _fts_name.op("MATCH")(_fts_query(query.words))
    )
    if where:
        window = window.join(articles, articles.c.id == _fts.c.rowid).where(*where)
    window_sq = window.order_by(_fts.c.rowid.desc()).limit(WINDOW).subquery()
    page = (
        sa.select(window_sq.c.id, window_sq.c.score)
        .order_by(window_sq.c.score, window_sq.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [(row.id, -float(row.score)) for row in conn.execute(page)]


def _sqlite_snippets(conn: Connection, words: Sequence[str], ids: Sequence[int]) -> dict[int, str]:
    snippet = sa.func.snippet(_fts_name, -1, _OPEN, _CLOSE, "…", SNIPPET_WORDS)
    query = sa.select(_fts.c.rowid, snippet).where(
        _fts_name.op("MATCH")(_fts_query(words)), _fts.c.rowid.in_(ids)
    )
    return {row[0]: mark(row[1] or "") for row in conn.execute(query)}


# --- PostgreSQL -----------------------------------------------------------------------

_tsv: sa.ColumnClause[Any] = sa.literal_column("articles.tsv")


def _tsquery(words: Sequence[str]) -> sa.ColumnElement[object]:
    return sa.func.plainto_tsquery(sa.literal_column("'simple'::regconfig"), " ".join(words))


def _pg_ranked(
    conn: Connection,
    words: Sequence[str],
    where: Sequence[sa.ColumnElement[bool]],
    offset: int,
    limit: int,
) -> list[tuple[int, float]]:
    # The window takes ids only: ts_rank reads each story's whole tsvector out of TOAST,
    # so it runs on the window's rows alone, after the LIMIT.
    # Matching through the GIN index needs no tsvector; the planner's other choice, walking
    # the id index backwards and testing each story, detoasts every story it passes.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
    query = _tsquery(words)
    window_sq = (
        sa.select(articles.c.id)
        .where(_tsv.op("@@")(query), *where)
        .order_by(articles.c.id.desc())
        .limit(PG_WINDOW)
        .subquery()
    )
    # Normalisation 1 divides by 1 + log(length), so a 100 KB page does not outrank every
    # news story by sheer repetition (bm25 normalises by length on its own).
    score = sa.func.ts_rank(_tsv, query, 1).label("score")
    page = (
        sa.select(articles.c.id, score)
        .join(window_sq, window_sq.c.id == articles.c.id)
        .order_by(score.desc(), articles.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [(row.id, float(row.score)) for row in conn.execute(page)]


def _pg_snippets(conn: Connection, words: Sequence[str], ids: Sequence[int]) -> dict[int, str]:
    options = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords={SNIPPET_WORDS}, MinWords=12"
    # ts_headline parses the whole document it is given (about 40 ms for 100 KB): give it the
    # title and the first HEADLINE_CHARS of the body, where a news story's matches are.
    body = sa.func.left(articles.c.text, HEADLINE_CHARS)
    document = sa.func.replace(articles.c.title + "\n" + body, "<", _LT)
    headline = sa.func.ts_headline(
        sa.literal_column("'simple'::regconfig"), document, _tsquery(words), options
    )
    query = sa.select(articles.c.id, headline).where(articles.c.id.in_(ids))
    return {row[0]: mark(row[1] or "") for row in conn.execute(query)}
