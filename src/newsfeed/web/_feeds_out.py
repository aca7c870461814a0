"""Feeds out: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the river, a source, an author, a
search or a story, each paged by the store's cursor and served with ETag/Last-Modified."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from lxml import etree
from starlette.responses import Response

from newsfeed.store._base import ArticleFilter
from newsfeed.types import ArticleRecord, Page
from newsfeed.web._context import base_url, conditional, ctx
from newsfeed.web._pages import run_search, search_filter, source_titles
from newsfeed.web._render import article_content_html

router = APIRouter(prefix="/feeds", tags=["feeds out"])
Format = Literal["rss", "atom", "json"]
Cursor = Annotated[str | None, Query(max_length=500)]
ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class FeedDoc:
    title: str
    home_url: str
    self_url: str
    next_url: str | None
    base: str
    records: tuple[ArticleRecord, ...]
    sources: dict[int, str]


def _x(text: str | None) -> str:
    """Text XML can carry: control characters (which lxml refuses) removed."""
    return _NOT_XML.sub("", text or "")


def _when(record: ArticleRecord) -> datetime:
    a = record.article
    when = a.updated or a.published or record.first_seen or datetime(1970, 1, 1, tzinfo=UTC)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _published(record: ArticleRecord) -> datetime:
    when = record.article.published or record.first_seen or _when(record)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _updated(doc: FeedDoc) -> datetime:
    return max((_when(r) for r in doc.records), default=datetime(1970, 1, 1, tzinfo=UTC))


def _item_id(doc: FeedDoc, record: ArticleRecord) -> str:
    return f"{doc.base}/articles/{record.id}"


def _link(doc: FeedDoc, record: ArticleRecord) -> str:
    a = record.article
    return a.canonical_url or a.url or _item_id(doc, record)


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, tag, {k: _x(v) for k, v in attrs.items()})
    if text is not None:
        node.text = _x(text)
    return node


def write_rss(doc: FeedDoc) -> bytes:
    rss = etree.Element("rss", version="2.0", nsmap={"atom": ATOM_NS, "dc": DC_NS})
    channel = etree.SubElement(rss, "channel")
    _el(channel, "title", doc.title)
    _el(channel, "link", doc.home_url)
    _el(channel, "description", doc.title)
    _el(channel, f"{{{ATOM_NS}}}link", href=doc.self_url, rel="self", type="application/rss+xml")
    if doc.next_url:
        _el(channel, f"{{{ATOM_NS}}}link", href=doc.next_url, rel="next")
    _el(channel, "lastBuildDate", format_datetime(_updated(doc), usegmt=True))
    for record in doc.records:
        a = record.article
        item = etree.SubElement(channel, "item")
        _el(item, "title", a.title)
        _el(item, "link", _link(doc, record))
        _el(item, "guid", _item_id(doc, record), isPermaLink="false")
        _el(item, "pubDate", format_datetime(_published(record), usegmt=True))
        for author in a.authors:
            _el(item, f"{{{DC_NS}}}creator", author.name)
        if a.section:
            _el(item, "category", a.section)
        _el(item, "description", article_content_html(a))
    return bytes(etree.tostring(rss, xml_declaration=True, encoding="UTF-8"))


def write_atom(doc: FeedDoc) -> bytes:
    feed = etree.Element("feed", nsmap={None: ATOM_NS})
    _el(feed, "id", doc.self_url)
    _el(feed, "title", doc.title)
    _el(feed, "updated", _updated(doc).isoformat())
    _el(feed, "link", href=doc.self_url, rel="self", type="application/atom+xml")
    _el(feed, "link", href=doc.home_url, rel="alternate", type="text/html")
    if doc.next_url:
        _el(feed, "link", href=doc.next_url, rel="next")
    # Entries without a byline inherit this (Atom requires an author on every entry).
    _el(etree.SubElement(feed, "author"), "name", doc.title)
    _el(feed, "generator", "newsfeed")
    for record in doc.records:
        a = record.article
        entry = etree.SubElement(feed, "entry")
        _el(entry, "id", _item_id(doc, record))
        _el(entry, "title", a.title)
        _el(entry, "updated", _when(record).isoformat())
        _el(entry, "published", _published(record).isoformat())
        _el(entry, "link", href=_link(doc, record), rel="alternate", type="text/html")
        for author in a.authors:
            _el(etree.SubElement(entry, "author"), "name", author.name)
        if a.dek:
            _el(entry, "summary", a.dek)
        _el(entry, "content", article_content_html(a), type="html")
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="UTF-8"))


def _json_item(doc: FeedDoc, record: ArticleRecord) -> dict[str, Any]:
    a = record.article
    item: dict[str, Any] = {
        "id": _item_id(doc, record),
        "url": _link(doc, record),
        "title": a.title,
        "content_html": article_content_html(a),
        "date_published": _published(record).isoformat(),
        "date_modified": _when(record).isoformat(),
        "authors": [
            {k: v for k, v in (("name", x.name), ("url", x.url), ("avatar", x.avatar_url)) if v}
            for x in a.authors
        ],
    }
    if a.dek:
        item["summary"] = a.dek
    if a.lead_image:
        item["image"] = a.lead_image.url
    if a.tags:
        item["tags"] = list(a.tags)
    if a.language:
        item["language"] = a.language
    return item


def write_json(doc: FeedDoc) -> bytes:
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": doc.title,
        "home_page_url": doc.home_url,
        "feed_url": doc.self_url,
        "items": [_json_item(doc, r) for r in doc.records],
    }
    if doc.next_url:
        feed["next_url"] = doc.next_url
    return json.dumps(feed, ensure_ascii=False).encode()


WRITERS = {"rss": write_rss, "atom": write_atom, "json": write_json}


def _respond(
    request: Request, fmt: Format, title: str, home: str, page: Page[ArticleRecord]
) -> Response:
    base = base_url(request)
    self_url = f"{base}{request.url.path}" + (f"?{request.url.query}" if request.url.query else "")
    next_url = None
    if page.next_cursor:
        nxt = request.url.include_query_params(cursor=page.next_cursor)
        next_url = f"{base}{nxt.path}?{nxt.query}"
    site = ctx(request).settings.site_title
    doc = FeedDoc(f"{title} · {site}" if title != site else site, f"{base}{home}", self_url,
                  next_url, base, page.items, source_titles(request))  # fmt: skip
    body = WRITERS[fmt](doc)
    modified = _updated(doc) if doc.records else None
    return conditional(request, body, MEDIA[fmt], last_modified=modified)


def _list(request: Request, filter: ArticleFilter, cursor: str | None) -> Page[ArticleRecord]:
    size = ctx(request).settings.feed_size
    try:
        return ctx(request).store.list_articles(filter, cursor=cursor, limit=size)
    except ValueError as exc:
        raise HTTPException(400, "cursor is not valid: start from the first page") from exc


@router.get("/river.{fmt}")
def river_feed(request: Request, fmt: Format, cursor: Cursor = None) -> Response:
    """The whole river, newest first."""
    page = _list(request, ArticleFilter(), cursor)
    return _respond(request, fmt, ctx(request).settings.site_title, "/", page)


@router.get("/source/{source_id}.{fmt}")
def source_feed(request: Request, source_id: int, fmt: Format, cursor: Cursor = None) -> Response:
    source = ctx(request).store.get_source(source_id)
    page = _list(request, ArticleFilter(source_id=source_id), cursor)
    return _respond(request, fmt, source.title, f"/sources/{source_id}", page)


@router.get("/author/{name:path}.{fmt}")
def author_feed(request: Request, name: str, fmt: Format, cursor: Cursor = None) -> Response:
    page = _list(request, ArticleFilter(author=name), cursor)
    return _respond(request, fmt, name, f"/authors/{name}", page)


@router.get("/story/{story_id}.{fmt}")
def story_feed(request: Request, story_id: int, fmt: Format, cursor: Cursor = None) -> Response:
    page = _list(request, ArticleFilter(story_id=story_id), cursor)
    return _respond(request, fmt, f"Story {story_id}", f"/stories/{story_id}", page)


@router.get("/search.{fmt}")
def search_feed(
    request: Request,
    fmt: Format,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    cursor: Cursor = None,
    source_id: str | None = None,
    author: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Response:
    """Search results as a feed (best match first)."""
    filter = search_filter(source_id, author, since, until)
    hits = run_search(request, q, filter, cursor, ctx(request).settings.feed_size)
    page = Page(tuple(h.record for h in hits.items), hits.next_cursor)
    home = request.url.path.replace("/feeds/search", "/search").rsplit(".", 1)[0]
    return _respond(request, fmt, f"Search: {q}", f"{home}?{request.url.query}", page)
