"""Feed discovery: the pure candidate list, and find_feeds against loopback publishers."""

from __future__ import annotations

import pytest
from tests.simulator import Knobs, Simulator, loopback_options

from newsfeed.errors import FetchError
from newsfeed.feeds import discover_feeds, find_feeds
from newsfeed.fetch import Fetcher

PAGE = """<!doctype html><html><head>
<base href="https://site.example/blog/">
<link rel="alternate" type="application/rss+xml" title="All posts" href="feed.xml">
<link rel="ALTERNATE home" type="application/atom+xml" href="https://site.example/atom">
<link rel="alternate" type="application/feed+json" href="/feed.json">
<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/7">
<link rel="alternate" hreflang="de" href="https://site.example/de/">
<link rel="stylesheet" type="text/css" href="/style.css">
</head><body></body></html>"""


def test_advertised_feeds_come_first_then_common_paths() -> None:
    links = discover_feeds(PAGE, "https://site.example/blog/post-1")
    advertised = [(link.url, link.kind, link.title) for link in links if link.found == "link"]
    assert advertised == [
        ("https://site.example/blog/feed.xml", "rss", "All posts"),
        ("https://site.example/atom", "atom", None),
        ("https://site.example/feed.json", "jsonfeed", None),
    ]
    guesses = [link.url for link in links if link.found == "guess"]
    assert "https://site.example/feed/" in guesses
    assert "https://site.example/rss/" in guesses  # Ghost
    assert "https://site.example/news-sitemap.xml" in guesses
    assert "https://site.example/feed.json" not in guesses  # already advertised


def test_discovery_of_bytes_and_empty_pages() -> None:
    assert discover_feeds(PAGE.encode(), "https://site.example/")[0].kind == "rss"
    links = discover_feeds(b"", "https://site.example/x")
    assert all(link.found == "guess" for link in links)


@pytest.mark.anyio
async def test_find_feeds_from_a_page_uses_the_advertised_feed() -> None:
    with Simulator(publishers=1, items=3, feed_format="atom") as sim:
        pub = sim.publishers[0]
        async with Fetcher(loopback_options()) as fetcher:
            found = await find_feeds(fetcher, pub.url("/"))
    assert [(f.url, f.kind, f.title, f.found) for f in found] == [
        (pub.feed_url, "atom", pub.name, "link")
    ]
    assert pub.stats.hits["/feed/"] == 0  # no guessing when the page says where


@pytest.mark.anyio
async def test_find_feeds_given_a_feed_url_returns_it() -> None:
    with Simulator(publishers=1, items=3) as sim:
        pub = sim.publishers[0]
        async with Fetcher(loopback_options()) as fetcher:
            found = await find_feeds(fetcher, pub.feed_url)
    assert [(f.url, f.kind, f.title, f.found) for f in found] == [
        (pub.feed_url, "rss", pub.name, "given")
    ]


@pytest.mark.anyio
async def test_find_feeds_probes_common_paths_when_nothing_is_advertised() -> None:
    knobs = Knobs(advertise_feed=False)
    with Simulator(publishers=1, items=3, feed_format="json", knobs=knobs) as sim:
        pub = sim.publishers[0]
        async with Fetcher(loopback_options()) as fetcher:
            found = await find_feeds(fetcher, pub.article_url(0))
    assert [(f.url, f.kind, f.found) for f in found] == [
        (pub.url("/feed.json"), "jsonfeed", "guess"),
        (pub.url("/news-sitemap.xml"), "sitemap", "guess"),
    ]
    assert found[0].title == pub.name


@pytest.mark.anyio
async def test_site_without_a_feed_offers_its_news_sitemap() -> None:
    knobs = Knobs(has_feed=False)
    with Simulator(publishers=1, items=3, knobs=knobs) as sim:
        pub = sim.publishers[0]
        async with Fetcher(loopback_options()) as fetcher:
            found = await find_feeds(fetcher, pub.url("/"))
    assert [(f.url, f.kind, f.title) for f in found] == [
        (pub.url("/news-sitemap.xml"), "sitemap", pub.name)
    ]


@pytest.mark.anyio
async def test_find_feeds_reports_an_unreachable_page() -> None:
    with Simulator(publishers=1, items=1) as sim:
        pub = sim.publishers[0]
        async with Fetcher(loopback_options()) as fetcher:
            with pytest.raises(FetchError, match="404"):
                await find_feeds(fetcher, pub.url("/missing"))
