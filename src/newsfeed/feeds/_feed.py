"""RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 through feedparser, JSON Feed and sitemaps by hand.

feedparser is untyped and forgiving; everything it returns passes through the small
``_text``/``_items`` helpers here, so the rest of newsfeed sees only ``Feed`` and ``Entry``.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from newsfeed.errors import ParseError
from newsfeed.feeds._dates import parse_loose_date
from newsfeed.feeds._images import entry_image
from newsfeed.feeds._jsonfeed import parse_json_feed
from newsfeed.feeds._safety import as_utf8_xml, xml_text
from newsfeed.feeds._sitemap import looks_like_sitemap, parse_sitemap, sitemap_as_feed
from newsfeed.types import Author, Entry, Feed, Image, SourceKind

_KINDS: dict[str, SourceKind] = {"rss090": "rdf", "rss10": "rdf", "atom": "atom"}
_PERIOD_MINUTES = {"hourly": 60, "daily": 1440, "weekly": 10080, "monthly": 43200, "yearly": 525600}
_SPACE = re.compile(r"\s+")
_HTML = re.compile(r"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.I | re.S)


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> Feed:
    """Parse an RSS, Atom, JSON Feed document or a (news) sitemap into a ``Feed``.

    Raises ParseError, with a message naming ``url``, for anything that is not a feed:
    invalid XML with no entries, HTML pages, XML declaring entities, bad JSON.
    """
    if not body.strip():
        raise ParseError(f"{url}: the feed is empty")
    if _is_json(body, content_type):
        return parse_json_feed(body, url)
    if body[:2] == b"\x1f\x8b" or looks_like_sitemap(body):
        return sitemap_as_feed(parse_sitemap(body, url, content_type))
    text = xml_text(body, url, content_type)
    if _HTML.match(text):
        raise ParseError(
            f"{url}: this is an HTML page, not a feed (use feed discovery to find its feeds)"
        )
    parsed = feedparser.parse(
        as_utf8_xml(text),
        # No content-location: feedparser would also "resolve" relative guids into URLs.
        response_headers={"content-type": "application/xml; charset=utf-8"},
    )
    return _to_feed(parsed, url)


def _is_json(body: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def _to_feed(parsed: Any, url: str) -> Feed:
    entries = _items(parsed, "entries")
    version = str(parsed.get("version") or "")
    if parsed.get("bozo") and not entries:
        raise ParseError(f"{url}: {_why_not_a_feed(parsed, version)}")
    if not version and not entries:
        raise ParseError(f"{url}: this is not a feed: no RSS, Atom or JSON Feed document found")
    meta = parsed.get("feed") or {}
    kind: SourceKind = next((k for p, k in _KINDS.items() if version.startswith(p)), "rss")
    return Feed(
        url=url,
        kind=kind,
        title=_line(_text(meta, "title")),
        link=_absolute(url, _text(meta, "link")),
        description=_text(meta, "subtitle"),
        language=_text(meta, "language"),
        updated=_date(meta, "updated") or _date(meta, "published"),
        image_url=_absolute(url, _feed_image(meta)),
        ttl_minutes=_ttl(meta),
        entries=_unique(_entry(item, url) for item in entries),
    )


def _unique(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    """Entries with distinct guids; a feed repeating an item keeps its first copy."""
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.guid, entry)
    return tuple(seen.values())


def _why_not_a_feed(parsed: Any, version: str) -> str:
    problem = parsed.get("bozo_exception")
    detail = f" ({problem})" if problem else ""
    if not version:
        return f"this is not a feed: no RSS or Atom document could be read{detail}"
    return f"the feed is broken and has no readable entries{detail}"


def _entry(item: Any, feed_url: str) -> Entry:
    title = _line(_text(item, "title"))
    link = _absolute(feed_url, _text(item, "link"))
    published = _date(item, "published")
    updated = _date(item, "updated")
    content = _items(item, "content")
    return Entry(
        guid=_guid(item, link, title, published or updated),
        link=link,
        title=title,
        summary=_text(item, "summary"),
        content_html=_text(content[0], "value") if content else None,
        authors=_authors(item),
        published=published or updated,
        updated=updated,
        image=_absolute_image(feed_url, entry_image(item)),
        tags=tuple(t for tag in _items(item, "tags") if (t := _line(_text(tag, "term")))),
    )


def _guid(item: Any, link: str | None, title: str | None, when: datetime | None) -> str:
    guid = _text(item, "id")
    if guid:
        return guid
    if link:
        return link
    seed = f"{title or ''}|{when.isoformat() if when else ''}"
    return "sha1:" + hashlib.sha1(seed.encode()).hexdigest()


def _authors(item: Any) -> tuple[Author, ...]:
    found: list[Author] = []
    for detail in _items(item, "authors") or [item.get("author_detail") or {}]:
        name = _line(_text(detail, "name"))
        if name and all(a.name != name for a in found):
            found.append(Author(name=name, url=_text(detail, "href")))
    if not found and (name := _line(_text(item, "author"))):
        found.append(Author(name=name))
    return tuple(found)


def _absolute(base: str, url: str | None) -> str | None:
    return urljoin(base, url) if url else None


def _absolute_image(base: str, image: Image | None) -> Image | None:
    return replace(image, url=urljoin(base, image.url)) if image else None


def _feed_image(meta: Any) -> str | None:
    image = meta.get("image")
    if isinstance(image, dict):
        return _text(image, "href") or _text(image, "url")
    return _text(meta, "logo") or _text(meta, "icon")


def _ttl(meta: Any) -> int | None:
    ttl = _text(meta, "ttl")
    if ttl and ttl.isdigit() and int(ttl) > 0:
        return int(ttl)
    period = (_text(meta, "sy_updateperiod") or "").lower()
    if period in _PERIOD_MINUTES:
        frequency = _text(meta, "sy_updatefrequency") or "1"
        times = int(frequency) if frequency.isdigit() and int(frequency) > 0 else 1
        return max(1, _PERIOD_MINUTES[period] // times)
    return None


def _date(data: Any, key: str) -> datetime | None:
    """feedparser's reading of the ``key`` date, else our own of the raw text."""
    # dict.get: FeedParserDict.get would map updated→published with a DeprecationWarning
    value = dict.get(data, f"{key}_parsed")
    if isinstance(value, time.struct_time):
        try:
            return datetime(*value[:6], tzinfo=UTC)
        except ValueError:
            pass
    return parse_loose_date(_text(data, key))


def _text(data: Any, key: str) -> str | None:
    value = dict.get(data, key) if isinstance(data, dict) else None
    if isinstance(value, str):
        return value.strip() or None
    return None


def _line(value: str | None) -> str | None:
    """Collapse the newlines and runs of spaces pretty-printed feeds put in titles."""
    return _SPACE.sub(" ", value).strip() or None if value else None


def _items(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
