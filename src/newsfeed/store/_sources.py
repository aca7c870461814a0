"""Source rows: reading, adding, saving and removing followed feeds."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfeed.errors import SourceNotFoundError
from newsfeed.store._schema import sources
from newsfeed.types import Source, SourceKind


def source_from_row(row: Mapping[Any, Any]) -> Source:
    return Source(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        kind=row["kind"],
        site_url=row["site_url"],
        category=row["category"],
        added=row["added"],
        last_fetched=row["last_fetched"],
        last_error=row["last_error"],
        next_check=row["next_check"],
        error_count=row["error_count"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        interval_seconds=row["interval_seconds"],
        fetch_full_page=bool(row["fetch_full_page"]),
    )


def by_url(conn: Connection, url: str) -> Source | None:
    row = conn.execute(sa.select(sources).where(sources.c.url == url)).mappings().first()
    return source_from_row(row) if row else None


def by_id(conn: Connection, source_id: int) -> Source:
    row = conn.execute(sa.select(sources).where(sources.c.id == source_id)).mappings().first()
    if row is None:
        raise SourceNotFoundError(f"no source with id {source_id}")
    return source_from_row(row)


def add(
    conn: Connection,
    url: str,
    title: str,
    kind: SourceKind,
    site_url: str | None,
    category: str | None,
) -> Source:
    existing = by_url(conn, url)
    if existing is not None:
        return existing
    new_id = conn.execute(
        sources.insert()
        .values(
            url=url,
            title=title,
            kind=kind,
            site_url=site_url,
            category=category,
            added=datetime.now(UTC),
            error_count=0,
            interval_seconds=3600,
            fetch_full_page=True,
        )
        .returning(sources.c.id)
    ).scalar_one()
    return by_id(conn, new_id)


def every(conn: Connection) -> list[Source]:
    query = sa.select(sources).order_by(sa.func.lower(sources.c.title), sources.c.id)
    return [source_from_row(row) for row in conn.execute(query).mappings()]


def save(conn: Connection, source: Source) -> None:
    values = {
        "url": source.url,
        "title": source.title,
        "kind": source.kind,
        "site_url": source.site_url,
        "category": source.category,
        "last_fetched": source.last_fetched,
        "last_error": source.last_error,
        "next_check": source.next_check,
        "error_count": source.error_count,
        "etag": source.etag,
        "last_modified": source.last_modified,
        "interval_seconds": source.interval_seconds,
        "fetch_full_page": source.fetch_full_page,
    }
    done = conn.execute(sources.update().where(sources.c.id == source.id).values(**values))
    if done.rowcount == 0:
        raise SourceNotFoundError(f"no source with id {source.id}")


def remove(conn: Connection, source_id: int) -> None:
    done = conn.execute(sources.delete().where(sources.c.id == source_id))
    if done.rowcount == 0:
        raise SourceNotFoundError(f"no source with id {source_id}")
