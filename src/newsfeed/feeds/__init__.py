"""Feeds in and out: parsing (RSS, Atom, JSON Feed, sitemaps), discovery and OPML.

Every function here is pure except ``find_feeds``, which fetches through a ``Fetcher``.
"""

from newsfeed.feeds._discover import COMMON_PATHS, FeedLink, discover_feeds, find_feeds
from newsfeed.feeds._feed import parse_feed
from newsfeed.feeds._opml import OpmlFeed, parse_opml, write_opml
from newsfeed.feeds._sitemap import Sitemap, parse_sitemap

__all__ = [
    "COMMON_PATHS",
    "FeedLink",
    "OpmlFeed",
    "Sitemap",
    "discover_feeds",
    "find_feeds",
    "parse_feed",
    "parse_opml",
    "parse_sitemap",
    "write_opml",
]
