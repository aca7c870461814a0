"""OPML import and export keep categories, nested or by attribute."""

from __future__ import annotations

import pytest

from newsfeed.errors import ParseError
from newsfeed.feeds import OpmlFeed, parse_opml, write_opml
from newsfeed.types import Source

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="News">
    <outline text="World" title="World">
      <outline type="rss" text="Kyiv Independent" xmlUrl="https://kyivindependent.com/rss/"
               htmlUrl="https://kyivindependent.com/"/>
    </outline>
    <outline type="rss" text="BBC" title="BBC News" xmlUrl="https://feeds.bbci.co.uk/news/rss.xml"/>
  </outline>
  <outline type="rss" text="Tagged" xmlUrl="https://tagged.example/feed"
           category="/Tech/AI,/Other"/>
  <outline type="rss" text="Loose" xmlUrl="https://loose.example/feed"/>
</body></opml>"""


def test_parse_keeps_nested_and_attribute_categories() -> None:
    feeds = parse_opml(OPML)
    assert feeds == [
        OpmlFeed(
            "https://kyivindependent.com/rss/",
            "Kyiv Independent",
            "https://kyivindependent.com/",
            "News/World",
        ),
        OpmlFeed("https://feeds.bbci.co.uk/news/rss.xml", "BBC News", None, "News"),
        OpmlFeed("https://tagged.example/feed", "Tagged", None, "Tech/AI"),
        OpmlFeed("https://loose.example/feed", "Loose", None, None),
    ]


def test_round_trip_keeps_everything() -> None:
    feeds = parse_opml(OPML)
    again = parse_opml(write_opml(feeds).encode())
    assert sorted(again, key=lambda f: f.url) == sorted(feeds, key=lambda f: f.url)


def test_write_accepts_stored_sources() -> None:
    sources = [
        Source(id=1, url="https://a.example/rss", title="A & B", category="News/Europe"),
        Source(id=2, url="https://c.example/rss", title="C", site_url="https://c.example/"),
    ]
    text = write_opml(sources)
    assert 'text="A &amp; B"' in text
    assert [(f.title, f.category) for f in parse_opml(text.encode())] == [
        ("C", None),
        ("A & B", "News/Europe"),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<opml><body><outline", "not well-formed"),
        (b"<rss version='2.0'/>", "not an OPML file"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
        (
            b'<!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body><outline text="&a;"/></body></opml>',
            "entities",
        ),
    ],
)
def test_bad_opml(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_opml(body)
