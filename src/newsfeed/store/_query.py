"""Filters and opaque cursors shared by listing and search."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from newsfeed.store._base import ArticleFilter
from newsfeed.store._schema import article_authors, article_entities, articles


def conditions(f: ArticleFilter) -> list[sa.ColumnElement[bool]]:
    """SQL conditions on ``articles`` for a filter; dates apply to the sort time."""
    out: list[sa.ColumnElement[bool]] = []
    if f.source_id is not None:
        out.append(articles.c.source_id == f.source_id)
    if f.story_id is not None:
        out.append(articles.c.story_id == f.story_id)
    if f.since is not None:
        out.append(articles.c.sort_time >= f.since)
    if f.until is not None:
        out.append(articles.c.sort_time < f.until)
    if f.saved is not None:
        out.append(articles.c.saved == f.saved)
    if f.read is not None:
        out.append(articles.c.read == f.read)
    if f.author is not None:
        out.append(
            sa.exists().where(
                article_authors.c.article_id == articles.c.id,
                article_authors.c.name == f.author,
            )
        )
    if f.entity is not None:
        # IN, not EXISTS: the entity's own rows (index on entity_key) drive the query, so a
        # rarely named entity costs as little as a common one, instead of a walk of the river.
        named = sa.select(article_entities.c.article_id).where(
            article_entities.c.entity_key == f.entity
        )
        out.append(articles.c.id.in_(named))
    return out


def _encode(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, kind: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValueError(f"invalid cursor {cursor[:40]!r}") from None
    if not isinstance(payload, dict) or payload.get("k") != kind:
        raise ValueError(f"invalid cursor {cursor[:40]!r}: not a {kind} cursor")
    return payload


def list_cursor(sort_time: datetime, article_id: int) -> str:
    return _encode({"k": "list", "t": sort_time.isoformat(), "i": article_id})


def read_list_cursor(cursor: str) -> tuple[datetime, int]:
    payload = _decode(cursor, "list")
    try:
        when = datetime.fromisoformat(payload["t"])
        article_id = int(payload["i"])
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"invalid cursor {cursor[:40]!r}") from None
    if when.tzinfo is None:
        raise ValueError(f"invalid cursor {cursor[:40]!r}")
    return when, article_id


def _fingerprint(query: str, f: ArticleFilter) -> str:
    return hashlib.sha1(repr((query, f)).encode()).hexdigest()[:12]


def search_cursor(query: str, f: ArticleFilter, offset: int) -> str:
    return _encode({"k": "search", "q": _fingerprint(query, f), "o": offset})


def read_search_cursor(cursor: str, query: str, f: ArticleFilter) -> int:
    payload = _decode(cursor, "search")
    if payload.get("q") != _fingerprint(query, f):
        raise ValueError("this cursor belongs to a different search")
    offset = payload.get("o")
    if not isinstance(offset, int) or offset < 0:
        raise ValueError(f"invalid cursor {cursor[:40]!r}")
    return offset
