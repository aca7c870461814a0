"""Finding a site's feeds from any of its pages.

``discover_feeds`` is pure: it lists candidates from ``<link rel="alternate">`` and the
common paths where feeds live. ``find_feeds`` fetches: given a feed URL it returns that
feed; given a page it checks the advertised candidates, and only when none is a feed the
common paths, and returns the ones that really parse, named after the feed's title.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import urljoin, urlsplit

import anyio
import lxml.html

from newsfeed.errors import FetchError, ParseError
from newsfeed.feeds._feed import parse_feed
from newsfeed.fetch import decode
from newsfeed.types import Feed, SourceKind

if TYPE_CHECKING:
    from newsfeed.fetch import Fetcher, FetchResult

_LINK_TYPES: dict[str, SourceKind] = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "jsonfeed",
    "application/rdf+xml": "rdf",
}
COMMON_PATHS: tuple[tuple[str, SourceKind], ...] = (
    ("/feed/", "rss"),
    ("/rss/", "rss"),
    ("/rss.xml", "rss"),
    ("/atom.xml", "atom"),
    ("/feed.json", "jsonfeed"),
    ("/index.xml", "rss"),
    ("/news-sitemap.xml", "sitemap"),
    ("/sitemap.xml", "sitemap"),
)


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed a page points to (``found="link"``) or that may exist (``found="guess"``).

    After ``find_feeds`` has checked it, ``title`` is the name to give the source and
    ``site_url`` the site's home page.
    """

    url: str
    kind: SourceKind | None = None
    title: str | None = None
    found: Literal["link", "guess", "given"] = "link"
    site_url: str | None = None


def discover_feeds(html: bytes | str, page_url: str) -> list[FeedLink]:
    """Candidates for a page: advertised feeds first, then the common paths of its site."""
    links = _advertised(html, page_url)
    seen = {link.url for link in links}
    root = "{0.scheme}://{0.netloc}".format(urlsplit(page_url))
    for path, kind in COMMON_PATHS:
        url = root + path
        if url not in seen:
            seen.add(url)
            links.append(FeedLink(url=url, kind=kind, found="guess"))
    return links


def _advertised(html: bytes | str, page_url: str) -> list[FeedLink]:
    text = decode(html)[0] if isinstance(html, bytes) else html
    if not text.strip():
        return []
    try:
        doc = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return []
    base = page_url
    for base_el in doc.iter("base"):
        if base_el.get("href"):
            base = urljoin(page_url, base_el.get("href"))
            break
    links: list[FeedLink] = []
    for el in doc.iter("link"):
        rels = (el.get("rel") or "").lower().split()
        kind = _link_kind(el.get("type"), el.get("href") or "", el.get("title"))
        href = (el.get("href") or "").strip()
        if "alternate" in rels and kind and href:
            url = urljoin(base, href)
            if all(link.url != url for link in links):
                links.append(FeedLink(url=url, kind=kind, title=_clean(el.get("title"))))
    return links


def _link_kind(media_type: str | None, href: str, title: str | None) -> SourceKind | None:
    media = (media_type or "").split(";")[0].strip().lower()
    if media in _LINK_TYPES:
        return _LINK_TYPES[media]
    # Plain application/json alternates are usually REST API documents (WordPress posts),
    # not feeds; accept them only when they say they are a feed.
    if media == "application/json" and (
        href.endswith("feed.json") or "feed" in (title or "").lower()
    ):
        return "jsonfeed"
    return None


async def find_feeds(fetcher: Fetcher, url: str) -> list[FeedLink]:
    """The feeds at or behind ``url``, verified by fetching and parsing each.

    Raises FetchError if ``url`` itself cannot be fetched; candidates that fail are
    skipped. An empty list means the site has no feed newsfeed could find.
    """
    page = await fetcher.fetch(url)
    try:
        feed = parse_feed(page.body, page.url, page.headers.get("content-type"))
    except ParseError:
        feed = None
    if feed is not None and _is_real_feed(feed, page):
        return [_verified(FeedLink(page.url, found="given"), feed, None)]
    site_name = _site_name(page.body)
    candidates = discover_feeds(page.body, page.url)
    advertised = [c for c in candidates if c.found == "link"]
    found = await _verify_all(fetcher, advertised, site_name)
    if not found:
        guesses = [c for c in candidates if c.found == "guess"]
        found = await _verify_all(fetcher, guesses, site_name)
    return found


def _is_real_feed(feed: Feed, page: FetchResult) -> bool:
    kind = page.content_type or ""
    return bool(feed.entries) or "html" not in kind


async def _verify_all(
    fetcher: Fetcher, candidates: list[FeedLink], site_name: str | None
) -> list[FeedLink]:
    results: list[FeedLink | None] = [None] * len(candidates)

    async def verify(index: int, link: FeedLink) -> None:
        results[index] = await _verify(fetcher, link, site_name)

    async with anyio.create_task_group() as tg:
        for index, link in enumerate(candidates):
            tg.start_soon(verify, index, link)
    verified: list[FeedLink] = []
    for result in results:
        if result is not None and all(v.url != result.url for v in verified):
            verified.append(result)
    return verified


async def _verify(fetcher: Fetcher, link: FeedLink, site_name: str | None) -> FeedLink | None:
    try:
        result = await fetcher.fetch(link.url)
        feed = parse_feed(result.body, result.url, result.headers.get("content-type"))
    except (FetchError, ParseError):
        return None
    if link.found == "guess" and not feed.entries:
        return None
    return _verified(FeedLink(result.url, link.kind, link.title, link.found), feed, site_name)


def _verified(link: FeedLink, feed: Feed, site_name: str | None) -> FeedLink:
    title = feed.title or link.title or site_name or urlsplit(link.url).hostname
    return FeedLink(url=link.url, kind=feed.kind, title=title, found=link.found, site_url=feed.link)


def _site_name(html: bytes) -> str | None:
    """The site's own name: ``og:site_name``, else the page title."""
    text = decode(html)[0]
    if not text.strip():
        return None
    try:
        doc = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return None
    for meta in doc.iter("meta"):
        if (meta.get("property") or meta.get("name")) == "og:site_name":
            return _clean(meta.get("content"))
    return _clean(doc.findtext(".//title"))


def _clean(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value else None
