"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from newsfeed.errors import ParseError
from newsfeed.types import Author, Entry, Feed, Image


def parse_json_feed(body: bytes, url: str) -> Feed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"{url}: this JSON feed is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or "jsonfeed.org/version/1" not in str(data.get("version")):
        raise ParseError(f"{url}: this JSON document is not a JSON Feed (no jsonfeed.org version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise ParseError(f"{url}: this JSON Feed has no items list")
    feed_authors = _authors(data)
    return Feed(
        url=url,
        kind="jsonfeed",
        title=_str(data, "title"),
        link=_str(data, "home_page_url"),
        description=_str(data, "description"),
        language=_str(data, "language"),
        image_url=_str(data, "icon") or _str(data, "favicon"),
        entries=tuple(_entry(item, feed_authors) for item in items if isinstance(item, dict)),
    )


def _entry(item: dict[str, Any], feed_authors: tuple[Author, ...]) -> Entry:
    link = _str(item, "url") or _str(item, "external_url")
    title = _str(item, "title")
    published = _date(item.get("date_published"))
    updated = _date(item.get("date_modified"))
    raw_id = item.get("id")
    guid = str(raw_id).strip() if isinstance(raw_id, str | int) and str(raw_id).strip() else None
    if guid is None:
        seed = f"{title or ''}|{published.isoformat() if published else ''}"
        guid = link or "sha1:" + hashlib.sha1(seed.encode()).hexdigest()
    image = _str(item, "image") or _str(item, "banner_image")
    tags = item.get("tags")
    return Entry(
        guid=guid,
        link=link,
        title=title,
        summary=_str(item, "summary") or _str(item, "content_text"),
        content_html=_str(item, "content_html"),
        authors=_authors(item) or feed_authors,
        published=published or updated,
        updated=updated,
        image=Image(url=image) if image else None,
        tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else (),
    )


def _authors(data: dict[str, Any]) -> tuple[Author, ...]:
    listed = data.get("authors")
    if not isinstance(listed, list):
        listed = [data["author"]] if isinstance(data.get("author"), dict) else []
    return tuple(
        Author(name=name, url=_str(a, "url"), avatar_url=_str(a, "avatar"))
        for a in listed
        if isinstance(a, dict) and (name := _str(a, "name"))
    )


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value.strip() or None if isinstance(value, str) else None
