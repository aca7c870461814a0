"""Stories, near-duplicate links, per-article vectors and state blobs: the SQL behind them.

Each function runs inside the caller's transaction (``SqlStorage`` supplies it). Writes are
idempotent: saving a story row twice, linking the same duplicates twice or saving the same
vectors twice leaves one copy.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfeed.errors import NotFoundError
from newsfeed.store._base import StoryChanges, VectorRow
from newsfeed.store._schema import (
    article_duplicates,
    article_vectors,
    articles,
    state,
    stories,
)
from newsfeed.types import Page, Story


def apply(conn: Connection, changes: StoryChanges) -> None:
    """Merge, assign, then derive each touched story's row from its articles."""
    touched = {story_id for _, story_id in changes.assign}
    for old, new in changes.merged:
        conn.execute(sa.update(articles).where(articles.c.story_id == old).values(story_id=new))
        conn.execute(sa.delete(stories).where(stories.c.id == old))
        touched.discard(old)
        touched.add(new)
    if changes.assign:
        assign = sa.update(articles).where(articles.c.id == sa.bindparam("article"))
        conn.execute(
            assign.values(story_id=sa.bindparam("story")),
            [{"article": a, "story": s} for a, s in changes.assign],
        )
    titles = dict(changes.titles)
    _refresh(conn, sorted(touched | set(titles)), titles)
    add_duplicate_pairs(conn, changes.duplicates)


def _refresh(conn: Connection, story_ids: list[int], titles: Mapping[int, str]) -> None:
    """Derive the rows of ``story_ids`` from their articles: a few statements for them all,
    not a few per story (a batch of stories touches about as many stories)."""
    if not story_ids:
        return
    outlet = sa.func.coalesce(articles.c.site_name, sa.cast(articles.c.source_id, sa.Text))
    stats = {
        row[0]: row[1:]
        for row in conn.execute(
            sa.select(
                articles.c.story_id,
                sa.func.count(),
                sa.func.min(articles.c.sort_time),
                sa.func.max(articles.c.sort_time),
                sa.func.count(sa.distinct(outlet)),
            )
            .where(articles.c.story_id.in_(story_ids))
            .group_by(articles.c.story_id)
        )
    }
    if gone := [i for i in story_ids if i not in stats]:
        conn.execute(sa.delete(stories).where(stories.c.id.in_(gone)))
    query = sa.select(stories.c.id, stories.c.title).where(stories.c.id.in_(list(stats)))
    existing: dict[int, str] = {row.id: row.title for row in conn.execute(query)} if stats else {}
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for story_id, (count, first_seen, last_seen, outlets) in sorted(stats.items()):
        title = titles.get(story_id)
        if title is None:
            title = existing.get(story_id)
        if title is None:
            title = _first_title(conn, story_id)
        values = {
            "title": title,
            "first_seen": first_seen,
            "last_seen": last_seen,
            "article_count": count,
            "outlet_count": outlets,
        }
        (changed if story_id in existing else new).append({"story": story_id, **values})
    if new:
        conn.execute(sa.insert(stories).values(id=sa.bindparam("story")), new)
    if changed:
        update = sa.update(stories).where(stories.c.id == sa.bindparam("story"))
        conn.execute(update, changed)


def _first_title(conn: Connection, story_id: int) -> str:
    first = sa.select(articles.c.title).where(articles.c.story_id == story_id)
    return conn.execute(first.order_by(articles.c.sort_time).limit(1)).scalar() or ""


def get(conn: Connection, story_id: int) -> Story:
    row = conn.execute(sa.select(stories).where(stories.c.id == story_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no story with id {story_id}")
    return _story(conn, row)


def _story(conn: Connection, row: Mapping[Any, Any]) -> Story:
    return _stories_of(conn, [row])[row["id"]]


def many(conn: Connection, story_ids: Iterable[int]) -> dict[int, Story]:
    """The stories of ``story_ids`` that exist, by id: two queries however many there are
    (a river page asks for the stories of all its cards at once)."""
    ids = sorted(set(story_ids))
    if not ids:
        return {}
    rows = conn.execute(sa.select(stories).where(stories.c.id.in_(ids))).mappings().all()
    return _stories_of(conn, rows)


def _stories_of(conn: Connection, rows: Sequence[Mapping[Any, Any]]) -> dict[int, Story]:
    members: dict[int, list[int]] = {row["id"]: [] for row in rows}
    query = (
        sa.select(articles.c.story_id, articles.c.id)
        .where(articles.c.story_id.in_(list(members)))
        .order_by(articles.c.story_id, articles.c.sort_time, articles.c.id)
    )
    for story_id, article_id in conn.execute(query):
        members[story_id].append(article_id)
    return {
        row["id"]: Story(
            id=row["id"],
            title=row["title"],
            first_seen=row["first_seen"],
            last_seen=row["last_seen"],
            article_ids=tuple(members[row["id"]]),
            outlet_count=row["outlet_count"],
        )
        for row in rows
    }


def page(conn: Connection, cursor: str | None, limit: int, min_articles: int) -> Page[Story]:
    """Stories by latest activity, newest first, keyset-paged on (last_seen, id)."""
    query = sa.select(stories).where(stories.c.article_count >= min_articles)
    if cursor is not None:
        last_seen, story_id = _read_cursor(cursor)
        query = query.where(
            sa.or_(
                stories.c.last_seen < last_seen,
                sa.and_(stories.c.last_seen == last_seen, stories.c.id < story_id),
            )
        )
    query = query.order_by(stories.c.last_seen.desc(), stories.c.id.desc()).limit(limit + 1)
    rows = list(conn.execute(query).mappings())
    by_id = _stories_of(conn, rows[:limit])
    found = tuple(by_id[row["id"]] for row in rows[:limit])
    more = len(rows) > limit
    return Page(found, _cursor(found[-1].last_seen, found[-1].id) if more else None)


def _cursor(last_seen: datetime, story_id: int) -> str:
    raw = json.dumps({"k": "stories", "t": last_seen.isoformat(), "i": story_id})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        if data.get("k") != "stories":
            raise ValueError(cursor)
        return datetime.fromisoformat(data["t"]), int(data["i"])
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise ValueError(f"not a story cursor: {cursor!r}") from None


def add_duplicates(conn: Connection, article_id: int, others: Iterable[int]) -> None:
    add_duplicate_pairs(conn, [(article_id, other) for other in others])


def add_duplicate_pairs(conn: Connection, links: Iterable[tuple[int, int]]) -> None:
    """Link (article id, duplicate of) pairs not linked yet; one lookup for them all."""
    pairs = {(a, b) for a, b in links if a != b}
    if not pairs:
        return
    c = article_duplicates.c
    ids = sorted({a for a, _ in pairs})
    known = conn.execute(sa.select(c.article_id, c.duplicate_of).where(c.article_id.in_(ids)))
    new = pairs - {(a, b) for a, b in known}
    if new:
        conn.execute(
            sa.insert(article_duplicates),
            [{"article_id": a, "duplicate_of": b} for a, b in sorted(new)],
        )


# Plain SQL: building the same UNION as a Core expression cost more than running it, on
# every article page.
_DUPLICATES = sa.text(
    "SELECT duplicate_of FROM article_duplicates WHERE article_id = :id "
    "UNION SELECT article_id FROM article_duplicates WHERE duplicate_of = :id"
)


def duplicates(conn: Connection, article_id: int) -> list[int]:
    """Ids linked to ``article_id`` as near-duplicates, either way round."""
    return sorted(conn.execute(_DUPLICATES, {"id": article_id}).scalars())


def save_vectors(conn: Connection, rows: Sequence[VectorRow]) -> None:
    ids = [row.article_id for row in rows]
    conn.execute(sa.delete(article_vectors).where(article_vectors.c.article_id.in_(ids)))
    conn.execute(
        sa.insert(article_vectors),
        [
            {"article_id": r.article_id, "embedding": r.embedding, "signature": r.signature}
            for r in rows
        ],
    )


def vectors(conn: Connection, since: datetime | None, after_id: int, limit: int) -> list[VectorRow]:
    query = (
        sa.select(article_vectors)
        .join(articles, articles.c.id == article_vectors.c.article_id)
        .where(article_vectors.c.article_id > after_id)
        .order_by(article_vectors.c.article_id)
        .limit(limit)
    )
    if since is not None:
        query = query.where(articles.c.sort_time >= since)
    return [
        VectorRow(row["article_id"], row["embedding"], row["signature"])
        for row in conn.execute(query).mappings()
    ]


def save_state(conn: Connection, name: str, value: bytes, now: datetime) -> None:
    updated = conn.execute(
        sa.update(state).where(state.c.name == name).values(value=value, updated=now)
    )
    if updated.rowcount == 0:
        conn.execute(sa.insert(state).values(name=name, value=value, updated=now))


def load_state(conn: Connection, name: str) -> bytes | None:
    value = conn.execute(sa.select(state.c.value).where(state.c.name == name)).scalar()
    return None if value is None else bytes(value)


def reset(conn: Connection) -> None:
    """Forget every story, duplicate link, vector and state blob (before a rebuild)."""
    conn.execute(sa.update(articles).where(articles.c.story_id.is_not(None)).values(story_id=None))
    for table in (stories, article_duplicates, article_vectors, state):
        conn.execute(sa.delete(table))
