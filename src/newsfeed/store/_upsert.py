"""Idempotent article upserts, one transaction per batch.

An article is found again by its key (canonical URL, else URL), else by its source and
feed guid. A new story gets revision 1 (empty diff). A known story whose title, text or
editor's notes changed is updated and gets the next revision with a word diff; an
unchanged one only has ``last_checked`` moved.

Two items of one batch naming the same story are applied one after the other (the later
one as an update), by splitting the batch into rounds with no shared key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfeed.errors import StorageError
from newsfeed.revisions import word_diff
from newsfeed.store._base import NewArticle, UpsertResult
from newsfeed.store._codec import article_columns, author_to_json, diff_to_json, notes_to_json
from newsfeed.store._schema import article_authors, articles, revisions

_CHUNK = 500  # ids per IN (...) list
Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class _Stored:
    id: int
    first_seen: datetime
    title: str
    text: str
    editor_notes: Any
    revision_count: int


def _keys(item: NewArticle) -> set[Key]:
    keys: set[Key] = set()
    if item.article.key:
        keys.add(("url", item.article.key))
    if item.guid:
        keys.add(("guid", item.source_id, item.guid))
    if not keys:
        raise StorageError(
            f"cannot store {item.article.title[:60]!r}: it has no URL and no feed guid"
        )
    return keys


def upsert(conn: Connection, items: Sequence[NewArticle]) -> list[UpsertResult]:
    now = datetime.now(UTC)
    results: dict[int, UpsertResult] = {}
    pending = list(range(len(items)))
    while pending:
        this_round, later, seen = [], [], set[Key]()
        for i in pending:
            keys = _keys(items[i])
            if keys & seen:
                later.append(i)
            else:
                this_round.append(i)
                seen |= keys
        _round(conn, items, this_round, now, results)
        pending = later
    return [results[i] for i in range(len(items))]


def _round(
    conn: Connection,
    items: Sequence[NewArticle],
    indexes: list[int],
    now: datetime,
    results: dict[int, UpsertResult],
) -> None:
    stored = _lookup(conn, [items[i] for i in indexes])
    fresh = [i for i, s in zip(indexes, stored, strict=True) if s is None]
    for i, new_id in zip(fresh, _insert(conn, [items[i] for i in fresh], now), strict=True):
        results[i] = UpsertResult(new_id, created=True, changed=False)
    unchanged: list[int] = []
    for i, old in zip(indexes, stored, strict=True):
        if old is None:
            continue
        if _differs(items[i], old):
            _update(conn, items[i], old, now)
            results[i] = UpsertResult(old.id, created=False, changed=True)
        else:
            unchanged.append(old.id)
            results[i] = UpsertResult(old.id, created=False, changed=False)
    _touch(conn, unchanged, now)


_LOOKUP_COLUMNS = (
    articles.c.id,
    articles.c.url_key,
    articles.c.source_id,
    articles.c.guid,
    articles.c.first_seen,
    articles.c.title,
    articles.c.text,
    articles.c.editor_notes,
    articles.c.revision_count,
)


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _lookup(conn: Connection, items: Sequence[NewArticle]) -> list[_Stored | None]:
    by_key: dict[str, Any] = {}
    wanted = sorted({it.article.key for it in items if it.article.key})
    for part in _chunks(wanted):
        query = sa.select(*_LOOKUP_COLUMNS).where(articles.c.url_key.in_(part))
        by_key.update((row.url_key, row) for row in conn.execute(query))
    by_guid: dict[tuple[int | None, str], Any] = {}
    for source_id, guids in _guids_by_source(items, by_key).items():
        # By source and guid together: the unique index is on (source_id, guid), and a
        # lookup by guid alone would scan all of it, once per batch.
        source = articles.c.source_id
        same = source.is_(None) if source_id is None else source == source_id
        for part in _chunks(guids):
            query = sa.select(*_LOOKUP_COLUMNS).where(same, articles.c.guid.in_(part))
            by_guid.update(((row.source_id, row.guid), row) for row in conn.execute(query))
    found: list[_Stored | None] = []
    for it in items:
        row = by_key.get(it.article.key or "")
        if row is None and it.guid:
            row = by_guid.get((it.source_id, it.guid))
        found.append(None if row is None else _stored(row))
    return found


def _guids_by_source(
    items: Sequence[NewArticle], by_key: dict[str, Any]
) -> dict[int | None, list[str]]:
    """The guids still to look up (their URL found nothing), by source."""
    wanted: dict[int | None, set[str]] = {}
    for it in items:
        if it.guid and (it.article.key or "") not in by_key:
            wanted.setdefault(it.source_id, set()).add(it.guid)
    return {source_id: sorted(guids) for source_id, guids in wanted.items()}


def _stored(row: Any) -> _Stored:
    return _Stored(
        id=row.id,
        first_seen=row.first_seen,
        title=row.title,
        text=row.text,
        editor_notes=row.editor_notes,
        revision_count=row.revision_count,
    )


def _row(item: NewArticle, first_seen: datetime, now: datetime) -> dict[str, Any]:
    row = article_columns(item.article)
    row["extract_error"] = item.extract_error
    row["last_checked"] = item.fetched_at or now
    row["sort_time"] = item.article.published or first_seen
    return row


def _insert(conn: Connection, items: Sequence[NewArticle], now: datetime) -> list[int]:
    if not items:
        return []
    rows = []
    for item in items:
        first_seen = item.fetched_at or now
        row = _row(item, first_seen, now)
        row.update(
            source_id=item.source_id,
            guid=item.guid,
            first_seen=first_seen,
            story_id=None,
            read=False,
            saved=False,
            revision_count=1,
        )
        rows.append(row)
    ids = _new_ids(conn, len(rows))
    for new_id, row in zip(ids, rows, strict=True):
        row["id"] = new_id
    conn.execute(articles.insert(), rows)
    conn.execute(
        revisions.insert(),
        [_revision(new_id, 1, item, now, ()) for new_id, item in zip(ids, items, strict=True)],
    )
    _write_authors(conn, list(zip(ids, items, strict=True)))
    return ids


def _new_ids(conn: Connection, count: int) -> list[int]:
    """Ids for new rows, taken up front so the rows can go in one fast executemany
    (an INSERT ... RETURNING on SQLite runs row by row to keep the order)."""
    if conn.dialect.name == "postgresql":
        query = sa.text(
            "SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, :n)"
        )
        return [row[0] for row in conn.execute(query, {"n": count})]
    # SQLite: this transaction holds the write lock (BEGIN IMMEDIATE), so nobody else can
    # take these ids before the insert does.
    top = conn.execute(sa.select(sa.func.max(articles.c.id))).scalar()
    return list(range((top or 0) + 1, (top or 0) + 1 + count))


def _revision(
    article_id: int, number: int, item: NewArticle, now: datetime, diff: Any
) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "number": number,
        "fetched_at": item.fetched_at or now,
        "title": item.article.title,
        "text": None,  # the latest revision's text is the article's own
        "editor_notes": notes_to_json(item.article.editor_notes),
        "diff": diff_to_json(diff),
    }


def _write_authors(conn: Connection, pairs: list[tuple[int, NewArticle]]) -> None:
    rows = [
        {"article_id": article_id, "position": position, **_author_columns(author)}
        for article_id, item in pairs
        for position, author in enumerate(item.article.authors)
    ]
    if rows:
        conn.execute(article_authors.insert(), rows)


def _author_columns(author: Any) -> dict[str, Any]:
    data = author_to_json(author)
    return {k: data.get(k) for k in ("name", "role", "bio", "avatar_url")}


def _differs(item: NewArticle, old: _Stored) -> bool:
    a = item.article
    return (
        a.title != old.title
        or a.text != old.text
        or notes_to_json(a.editor_notes) != list(old.editor_notes)
    )


def _document(title: str, text: str) -> str:
    return f"{title}\n\n{text}"


def _update(conn: Connection, item: NewArticle, old: _Stored, now: datetime) -> None:
    number = old.revision_count + 1
    row = _row(item, old.first_seen, now)
    row["revision_count"] = number
    conn.execute(articles.update().where(articles.c.id == old.id).values(**row))
    # The previous revision stops being the latest: give it its own copy of the text.
    conn.execute(
        revisions.update()
        .where(revisions.c.article_id == old.id, revisions.c.number == old.revision_count)
        .values(text=old.text)
    )
    diff = word_diff(
        _document(old.title, old.text), _document(item.article.title, item.article.text)
    )
    conn.execute(revisions.insert().values(**_revision(old.id, number, item, now, diff)))
    conn.execute(article_authors.delete().where(article_authors.c.article_id == old.id))
    _write_authors(conn, [(old.id, item)])


def _touch(conn: Connection, ids: list[int], now: datetime) -> None:
    for part in _chunks(sorted(ids)):
        conn.execute(articles.update().where(articles.c.id.in_(part)).values(last_checked=now))
