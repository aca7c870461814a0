"""Sitemaps, sitemap indexes and Google News sitemaps: recent article URLs for sites
without a feed. Parsed with lxml with entities, DTDs and the network all off."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dateutil import parser as dateparser
from lxml import etree

from newsfeed.errors import ParseError
from newsfeed.feeds._safety import gunzip_capped, parse_xml, xml_text
from newsfeed.types import Entry, Feed, Image

_SITEMAP_ROOT = re.compile(rb"<(?:\w+:)?(urlset|sitemapindex)[\s>]")
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A parsed sitemap: its pages as entries, or (for an index) its child sitemaps."""

    url: str
    entries: tuple[Entry, ...] = ()
    sitemaps: tuple[str, ...] = ()
    publication: str | None = None
    """The ``news:publication`` name of a Google News sitemap."""

    @property
    def is_index(self) -> bool:
        return bool(self.sitemaps) and not self.entries


def looks_like_sitemap(body: bytes) -> bool:
    return bool(_SITEMAP_ROOT.search(body[:4096]))


def parse_sitemap(body: bytes, url: str, content_type: str | None = None) -> Sitemap:
    """Parse a sitemap (``.xml`` or ``.xml.gz``), a sitemap index or a news sitemap.

    Raises ParseError when the document is not well-formed, declares entities, or is not
    a sitemap at all.
    """
    if body[:2] == b"\x1f\x8b":
        body = gunzip_capped(body, url)
    root = parse_xml(xml_text(body, url, content_type), url, "sitemap")
    name = etree.QName(root).localname
    if name == "sitemapindex":
        children = (_child_text(s, "loc") for s in _children(root, "sitemap"))
        return Sitemap(url=url, sitemaps=tuple(loc for loc in children if loc))
    if name != "urlset":
        raise ParseError(f"{url}: this XML document is not a sitemap (its root is <{name}>)")
    entries = tuple(e for node in _children(root, "url") if (e := _entry(node)))
    publication = root.findtext(f".//{{{NEWS}}}publication/{{{NEWS}}}name")
    return Sitemap(url=url, entries=entries, publication=(publication or "").strip() or None)


def sitemap_as_feed(sitemap: Sitemap) -> Feed:
    return Feed(url=sitemap.url, kind="sitemap", title=sitemap.publication, entries=sitemap.entries)


def _entry(node: Any) -> Entry | None:
    loc = _child_text(node, "loc")
    if not loc:
        return None
    news = node.find(f"{{{NEWS}}}news")
    lastmod = _date(_child_text(node, "lastmod"))
    title = published = None
    tags: tuple[str, ...] = ()
    if news is not None:
        title = (news.findtext(f"{{{NEWS}}}title") or "").strip() or None
        published = _date(news.findtext(f"{{{NEWS}}}publication_date"))
        keywords = news.findtext(f"{{{NEWS}}}keywords") or ""
        tags = tuple(k.strip() for k in keywords.split(",") if k.strip())
    return Entry(
        guid=loc,
        link=loc,
        title=title,
        published=published or lastmod,
        updated=lastmod,
        image=_image(node),
        tags=tags,
    )


def _image(node: Any) -> Image | None:
    image = node.find(f"{{{IMAGE}}}image")
    if image is None:
        return None
    loc = (image.findtext(f"{{{IMAGE}}}loc") or "").strip()
    caption = (image.findtext(f"{{{IMAGE}}}caption") or "").strip() or None
    return Image(url=loc, caption=caption) if loc else None


def _children(root: Any, name: str) -> list[Any]:
    return [c for c in root if isinstance(c.tag, str) and etree.QName(c).localname == name]


def _child_text(node: Any, name: str) -> str | None:
    for child in _children(node, name):
        text = (child.text or "").strip()
        if text:
            return str(text)
    return None


def _date(value: str | None) -> datetime | None:
    if not value or not value.strip():
        return None
    try:
        when = dateparser.isoparse(value.strip())
    except (ValueError, OverflowError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
