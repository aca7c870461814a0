"""Article analyses and the entity index built from them (``article_analyses``,
``entities``, ``article_entities``).

The analysis itself is opaque JSON here: the store knows only the entity references it is
handed beside it, so it stays independent of how enrichment models its findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection

from newsfeed.errors import NotFoundError
from newsfeed.store._base import EntityAnalysis, EntityRef, EntitySummary
from newsfeed.store._engine import compact_json
from newsfeed.store._schema import article_analyses, article_entities, articles, entities

MAX_KEY_LENGTH = 200
"""The width of ``entities.key``."""


def _check(refs: Sequence[EntityRef]) -> dict[str, EntityRef]:
    by_key: dict[str, EntityRef] = {}
    for ref in refs:
        if not ref.key or len(ref.key) > MAX_KEY_LENGTH:
            raise ValueError(f"an entity key must be 1 to {MAX_KEY_LENGTH} characters: {ref.key!r}")
        if ref.key in by_key:
            raise ValueError(f"entity {ref.key!r} is given twice")
        by_key[ref.key] = ref
    return by_key


def save(
    conn: Connection, article_id: int, analysis: Mapping[str, Any], refs: Sequence[EntityRef]
) -> None:
    by_key = _check(refs)
    found = conn.execute(sa.select(articles.c.id).where(articles.c.id == article_id)).first()
    if found is None:
        raise NotFoundError(f"no article with id {article_id}")
    conn.execute(article_analyses.delete().where(article_analyses.c.article_id == article_id))
    conn.execute(article_analyses.insert().values(article_id=article_id, analysis=dict(analysis)))
    if by_key:
        _add_entities(conn, list(by_key.values()))
    _relink(conn, [article_id], [(article_id, r) for r in by_key.values()])


def save_many(
    conn: Connection, items: Sequence[tuple[int, Mapping[str, Any], Sequence[EntityRef]]]
) -> None:
    """``save`` for many articles in a few statements (the last word wins for an article
    given twice). New entities go in first, in key order, so that two writers saving
    overlapping batches at once wait for each other rather than deadlock."""
    latest = {article_id: (analysis, _check(refs)) for article_id, analysis, refs in items}
    if not latest:
        return
    ids = list(latest)
    found = set(conn.execute(sa.select(articles.c.id).where(articles.c.id.in_(ids))).scalars())
    if missing := [i for i in ids if i not in found]:
        raise NotFoundError(f"no article with id {missing[0]}")
    named: dict[str, EntityRef] = {}
    for _, by_key in latest.values():
        for ref in by_key.values():
            named.setdefault(ref.key, ref)
    if named:
        _add_entities(conn, [named[key] for key in sorted(named)])
    conn.execute(article_analyses.delete().where(article_analyses.c.article_id.in_(ids)))
    conn.execute(
        article_analyses.insert(),
        [{"article_id": i, "analysis": dict(a)} for i, (a, _) in latest.items()],
    )
    _relink(conn, ids, [(i, r) for i, (_, by_key) in latest.items() for r in by_key.values()])


def _relink(conn: Connection, ids: Sequence[int], refs: list[tuple[int, EntityRef]]) -> None:
    """Replace the links of articles ``ids`` by ``refs``, and move the entities' counts by
    what changed."""
    links = article_entities.c
    gone = article_entities.delete().where(links.article_id.in_(ids)).returning(links.entity_key)
    change = Counter(r.key for _, r in refs)
    change.subtract(conn.execute(gone).scalars())
    if refs:
        _link(conn, refs)
    _count_moves(conn, sorted((key, d) for key, d in change.items() if d))


def _count_moves(conn: Connection, moves: list[tuple[str, int]]) -> None:
    """Add each (key, difference) to the entity's count. The rows are locked in key order
    first, so two writers moving overlapping counts wait for each other, not deadlock."""
    if not moves:
        return
    if conn.dialect.name != "postgresql":  # SQLite: this transaction is the only writer
        conn.execute(
            entities.update()
            .where(entities.c.key == sa.bindparam("k"))
            .values(article_count=entities.c.article_count + sa.bindparam("d")),
            [{"k": key, "d": d} for key, d in moves],
        )
        return
    keys = [key for key, _ in moves]
    conn.exec_driver_sql(
        f"SELECT 1 FROM {entities.name} WHERE key = ANY(%s::text[]) ORDER BY key FOR UPDATE",
        (keys,),
    )
    conn.exec_driver_sql(
        f"UPDATE {entities.name} SET article_count = article_count + t.d "
        "FROM unnest(%s::text[], %s::int[]) AS t(k, d) WHERE key = t.k",
        (keys, [d for _, d in moves]),
    )


def _add_entities(conn: Connection, refs: list[EntityRef]) -> None:
    """Insert the entities not yet known; a known one keeps its first name and kind.
    ``ON CONFLICT DO NOTHING`` so that two writers adding the same entity both succeed."""
    if conn.dialect.name == "postgresql":
        # One statement over arrays: psycopg runs a list of rows as one statement each.
        conn.exec_driver_sql(
            f"INSERT INTO {entities.name} (key, name, kind) "
            "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]) ON CONFLICT DO NOTHING",
            ([r.key for r in refs], [r.name for r in refs], [r.kind for r in refs]),
        )
        return
    rows = [{"key": r.key, "name": r.name, "kind": r.kind} for r in refs]
    conn.execute(sqlite.insert(entities).on_conflict_do_nothing(), rows)


def _link(conn: Connection, refs: list[tuple[int, EntityRef]]) -> None:
    """The ``article_entities`` rows (article id, entity). On PostgreSQL in one statement
    over arrays, the roles written as the engine writes any JSON value."""
    if conn.dialect.name != "postgresql":
        rows = [
            {"article_id": i, "entity_key": r.key, "mentions": r.mentions, "roles": list(r.roles)}
            for i, r in refs
        ]
        conn.execute(article_entities.insert(), rows)
        return
    conn.exec_driver_sql(
        f"INSERT INTO {article_entities.name} (article_id, entity_key, mentions, roles) "
        "SELECT a, k, m, r::json FROM unnest(%s::int[], %s::text[], %s::int[], %s::text[]) "
        "AS t(a, k, m, r)",
        (
            [i for i, _ in refs],
            [r.key for _, r in refs],
            [r.mentions for _, r in refs],
            [compact_json(list(r.roles)) for _, r in refs],
        ),
    )


def load(conn: Connection, article_id: int) -> dict[str, Any] | None:
    query = sa.select(article_analyses.c.analysis).where(
        article_analyses.c.article_id == article_id
    )
    value = conn.execute(query).scalar_one_or_none()
    return dict(value) if isinstance(value, dict) else None


def load_many(conn: Connection, article_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    query = sa.select(article_analyses.c.article_id, article_analyses.c.analysis).where(
        article_analyses.c.article_id.in_(ids)
    )
    return {i: dict(value) for i, value in conn.execute(query) if isinstance(value, dict)}


def summary(conn: Connection, key: str) -> EntitySummary:
    query = sa.select(entities).where(entities.c.key == key)
    row = conn.execute(query).first()
    if row is None:
        raise NotFoundError(f"no entity {key!r}")
    return EntitySummary(row.key, row.name, row.kind, row.article_count)


def every(conn: Connection, kind: str | None, limit: int) -> list[EntitySummary]:
    count = entities.c.article_count
    query = (
        sa.select(entities)
        .where(count > 0)
        .order_by(count.desc(), entities.c.name, entities.c.key)
        .limit(limit)
    )
    if kind is not None:
        query = query.where(entities.c.kind == kind)
    return [EntitySummary(r.key, r.name, r.kind, r.article_count) for r in conn.execute(query)]


def analyses_naming(conn: Connection, key: str, limit: int) -> list[EntityAnalysis]:
    # The newest ids first, then their analyses: sorting only ids keeps a much-named entity
    # from dragging every one of its analyses through the sort.
    a = articles.c
    newest = (
        sa.select(a.id, a.title, a.url, a.canonical_url, a.sort_time)
        .join(article_entities, article_entities.c.article_id == a.id)
        .where(article_entities.c.entity_key == key)
        .order_by(a.sort_time.desc(), a.id.desc())
        .limit(limit)
    )
    rows = conn.execute(newest).all()
    if not rows:
        return []
    query = sa.select(article_analyses).where(
        article_analyses.c.article_id.in_([r.id for r in rows])
    )
    saved = {r.article_id: r.analysis for r in conn.execute(query)}
    return [
        EntityAnalysis(r.id, r.title, r.canonical_url or r.url, r.sort_time, dict(saved[r.id]))
        for r in rows
        if isinstance(saved.get(r.id), dict)
    ]
