"""Feed formats and malformed input, on small documents written for these tests."""

from __future__ import annotations

import gzip
import json
import resource
import time
from datetime import UTC, datetime

import pytest

from newsfeed._simulator_content import cp1251_feed, invalid_feed, xml_bomb
from newsfeed.errors import ParseError
from newsfeed.feeds import parse_feed, parse_sitemap

URL = "https://news.example/feed"


def test_json_feed_1_1() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Example News",
        "home_page_url": "https://news.example/",
        "language": "en",
        "authors": [{"name": "Desk"}],
        "items": [
            {
                "id": 42,
                "url": "https://news.example/a",
                "title": "A story",
                "content_html": "<p>Body</p>",
                "image": "https://news.example/a.jpg",
                "date_published": "2025-08-04T12:00:00+02:00",
                "tags": ["world"],
            },
            {"id": "b", "title": "Other", "authors": [{"name": "Ann", "url": "https://a/"}]},
        ],
    }
    feed = parse_feed(json.dumps(doc).encode(), URL, "application/feed+json")
    assert feed.kind == "jsonfeed"
    assert feed.title == "Example News"
    first, second = feed.entries
    assert first.guid == "42"
    assert first.published == datetime(2025, 8, 4, 10, tzinfo=UTC)
    assert first.image is not None
    assert first.image.url == "https://news.example/a.jpg"
    assert [a.name for a in first.authors] == ["Desk"]  # the feed's authors by default
    assert [a.name for a in second.authors] == ["Ann"]
    assert first.tags == ("world",)


def test_json_feed_1_0_author() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1",
        "title": "Old",
        "items": [{"id": "1", "url": "https://x/1", "author": {"name": "Bob"}}],
    }
    entry = parse_feed(json.dumps(doc).encode(), URL).entries[0]
    assert [a.name for a in entry.authors] == ["Bob"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"title": "x"}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": 3}', "no items"),
    ],
)
def test_bad_json_feeds(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_feed(body, URL, "application/json")


def test_atom_0_3_and_rss_0_91() -> None:
    atom03 = b"""<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#">
      <title>Old Atom</title><link rel="alternate" href="https://old.example/"/>
      <entry><title>Entry</title><link rel="alternate" href="https://old.example/1"/>
      <id>tag:old,1</id><issued>2004-01-02T03:04:05Z</issued>
      <author><name>Ann</name></author></entry></feed>"""
    feed = parse_feed(atom03, URL)
    assert feed.kind == "atom"
    entry = feed.entries[0]
    assert (entry.title, entry.link, entry.guid) == ("Entry", "https://old.example/1", "tag:old,1")
    assert entry.published == datetime(2004, 1, 2, 3, 4, 5, tzinfo=UTC)
    rss091 = b"""<?xml version="1.0"?><!DOCTYPE rss PUBLIC
      "-//Netscape Communications//DTD RSS 0.91//EN"
      "http://my.netscape.com/publish/formats/rss-0.91.dtd">
      <rss version="0.91"><channel><title>Old RSS</title><link>https://o/</link>
      <item><title>Item &amp; more</title><link>https://o/1</link></item></channel></rss>"""
    feed = parse_feed(rss091, URL)
    assert feed.title == "Old RSS"
    assert feed.entries[0].title == "Item & more"
    assert feed.entries[0].guid == "https://o/1"  # no guid: the link stands in


def test_guid_falls_back_to_a_hash_of_title_and_date() -> None:
    rss = b"""<rss version="2.0"><channel><title>T</title>
      <item><title>No link</title><pubDate>Mon, 04 Aug 2025 10:00:00 GMT</pubDate></item>
      <item><title>No link either</title></item></channel></rss>"""
    first, second = parse_feed(rss, URL).entries
    assert first.guid.startswith("sha1:")
    assert first.guid != second.guid
    assert parse_feed(rss, URL).entries[0].guid == first.guid  # stable across parses


def test_relative_links_are_resolved_against_the_feed_url() -> None:
    rss = b"""<rss version="2.0"><channel><title>T</title><link>/</link>
      <item><title>a</title><link>/news/a</link><guid isPermaLink="false">a-1</guid></item>
      </channel></rss>"""
    feed = parse_feed(rss, URL)
    assert feed.link == "https://news.example/"
    assert feed.entries[0].link == "https://news.example/news/a"
    assert feed.entries[0].guid == "a-1"


def test_sy_update_period_gives_ttl() -> None:
    rss = b"""<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
      <channel><title>T</title><sy:updatePeriod>daily</sy:updatePeriod>
      <sy:updateFrequency>4</sy:updateFrequency><item><title>a</title><link>https://a/</link>
      </item></channel></rss>"""
    assert parse_feed(rss, URL).ttl_minutes == 360


def test_xml_bomb_is_refused_quickly_without_memory_growth() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(ParseError, match="declares XML entities"):
        parse_feed(xml_bomb(), URL)
    with pytest.raises(ParseError, match="declares XML entities"):
        parse_sitemap(xml_bomb().replace(b"<rss", b"<urlset"), URL)
    assert time.monotonic() - started < 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KiB


def test_external_entity_is_refused() -> None:
    xxe = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
      <rss version="2.0"><channel><title>&x;</title></channel></rss>"""
    with pytest.raises(ParseError, match="entities"):
        parse_feed(xxe, URL)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (invalid_feed(), "broken"),
        (b"<html><body><p>Hello</p></body></html>", "HTML page, not a feed"),
        (b"<?xml version='1.0'?><note>hi</note>", "not a feed"),
        (b"   ", "empty"),
        (b"\x00\x01\x02binary", "not"),
    ],
)
def test_not_a_feed(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        parse_feed(body, URL)
    assert URL in str(caught.value)


def test_cp1251_without_declaration_is_detected() -> None:
    feed = parse_feed(cp1251_feed(), URL)
    assert feed.title == "Новости Оренбурга"
    assert feed.entries[0].title == "Президент подписал закон о бюджете на следующий год"


def test_cp1251_mislabelled_as_latin1_is_detected() -> None:
    feed = parse_feed(cp1251_feed(), URL, "text/xml; charset=iso-8859-1")
    assert feed.entries[1].title == "В Оренбурге открыли новый мост через реку Урал"


def test_header_charset_wins_over_declaration() -> None:
    text = "<?xml version='1.0' encoding='iso-8859-1'?><rss version='2.0'><channel>"
    text += (
        "<title>Gruß</title><item><title>ü</title><link>https://a/</link></item></channel></rss>"
    )
    assert parse_feed(text.encode("utf-8"), URL, "application/xml; charset=utf-8").title == "Gruß"
    assert parse_feed(text.encode("latin-1"), URL).title == "Gruß"


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://news.example/world/1</loc><lastmod>2025-08-04T11:00:00Z</lastmod>
    <news:news><news:publication><news:name>Example Times</news:name>
      <news:language>en</news:language></news:publication>
      <news:publication_date>2025-08-04T10:00:00+01:00</news:publication_date>
      <news:title>Talks resume in Istanbul</news:title>
      <news:keywords>diplomacy, Turkey</news:keywords></news:news>
    <image:image><image:loc>https://news.example/1.jpg</image:loc>
      <image:caption>Delegates</image:caption></image:image></url>
  <url><loc>https://news.example/world/2</loc></url>
</urlset>"""


def test_news_sitemap() -> None:
    sitemap = parse_sitemap(NEWS_SITEMAP, URL)
    assert sitemap.publication == "Example Times"
    assert not sitemap.is_index
    first, second = sitemap.entries
    assert first.guid == first.link == "https://news.example/world/1"
    assert first.title == "Talks resume in Istanbul"
    assert first.published == datetime(2025, 8, 4, 9, tzinfo=UTC)
    assert first.updated == datetime(2025, 8, 4, 11, tzinfo=UTC)
    assert first.tags == ("diplomacy", "Turkey")
    assert first.image is not None
    assert first.image.caption == "Delegates"
    assert second.title is None
    feed = parse_feed(NEWS_SITEMAP, URL)  # parse_feed recognises sitemaps too
    assert feed.kind == "sitemap"
    assert feed.title == "Example Times"
    assert len(feed.entries) == 2


def test_sitemap_index_and_gzip() -> None:
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://news.example/s1.xml</loc></sitemap>
      <sitemap><loc>https://news.example/s2.xml.gz</loc></sitemap></sitemapindex>"""
    sitemap = parse_sitemap(gzip.compress(index), URL)
    assert sitemap.is_index
    assert sitemap.sitemaps == ("https://news.example/s1.xml", "https://news.example/s2.xml.gz")


def test_sitemap_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024))
    with pytest.raises(ParseError, match="inflates to more than"):
        parse_sitemap(bomb, URL)


def test_not_a_sitemap() -> None:
    with pytest.raises(ParseError, match="not a sitemap"):
        parse_sitemap(b"<rss version='2.0'/>", URL)
    with pytest.raises(ParseError, match="not well-formed"):
        parse_sitemap(b"<urlset><url>", URL)
