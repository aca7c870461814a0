"""Following sources: add by any URL (with feed discovery), OPML import and export.

Shared by the CLI and the web pages, so both discover and name sources the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsfeed.errors import ParseError
from newsfeed.feeds import FeedLink, find_feeds, parse_opml, write_opml
from newsfeed.fetch import Fetcher, FetchOptions
from newsfeed.store import Storage
from newsfeed.types import Source

Chooser = Callable[[Sequence[FeedLink]], FeedLink]
"""Picks one feed where a site offers several (the CLI asks the user)."""


def first_feed(links: Sequence[FeedLink]) -> FeedLink:
    return links[0]


async def discover(url: str, options: FetchOptions) -> list[FeedLink]:
    """The verified feeds at or behind ``url``. Raises ``FetchError``, ``ParseError``."""
    async with Fetcher(options) as fetcher:
        links = await find_feeds(fetcher, url)
    if not links:
        raise ParseError(
            f"no feed found at {url}: it is not a feed, and the page advertises none "
            "and none of the usual feed paths answered; try the feed's own URL"
        )
    return links


def add_source(
    store: Storage,
    url: str,
    options: FetchOptions,
    *,
    title: str | None = None,
    category: str | None = None,
    choose: Chooser = first_feed,
) -> Source:
    """Discover the feed behind ``url`` and follow it, named after the feed unless told."""
    links = asyncio.run(discover(url, options))
    link = choose(links) if len(links) > 1 else links[0]
    return store.add_source(
        link.url,
        title or link.title or link.url,
        kind=link.kind or "rss",
        site_url=link.site_url,
        category=category,
    )


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    already_followed: int


def import_opml(store: Storage, body: bytes, name: str = "the OPML file") -> ImportReport:
    """Follow every feed an OPML file lists, keeping its categories. Raises ``ParseError``."""
    added = existing = 0
    for feed in parse_opml(body, name):
        if store.get_source_by_url(feed.url) is not None:
            existing += 1
            continue
        store.add_source(
            feed.url, feed.title or feed.url, site_url=feed.site_url, category=feed.category
        )
        added += 1
    return ImportReport(added, existing)


def export_opml(store: Storage) -> str:
    return write_opml(store.list_sources())
