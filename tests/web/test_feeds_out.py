"""Feeds out: parse our own RSS, Atom and JSON Feed output and check what the specs require."""

from __future__ import annotations

import feedparser
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from web_fundus import SEED_URL

from newsfeed.store._base import Storage

ATOM = "{http://www.w3.org/2005/Atom}"


def test_rss_has_guid_and_self_link(client: TestClient) -> None:
    response = client.get("/feeds/river.rss")
    assert response.headers["content-type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "rss20"
    assert len(parsed.entries) == 50
    assert all(e.id.startswith("http://testserver/articles/") for e in parsed.entries)
    root = etree.fromstring(response.content)
    self_link = root.find(f"channel/{ATOM}link[@rel='self']")
    assert self_link is not None
    assert self_link.get("href") == "http://testserver/feeds/river.rss"
    assert root.find(f"channel/{ATOM}link[@rel='next']") is not None
    for item in root.iter("item"):
        assert item.findtext("guid")
        assert item.findtext("pubDate")
        assert item.findtext("title")


def test_atom_has_id_updated_author(client: TestClient) -> None:
    parsed = feedparser.parse(client.get("/feeds/river.atom").content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert parsed.feed.id
    assert parsed.feed.updated
    assert parsed.feed.author
    for entry in parsed.entries:
        assert entry.id
        assert entry.updated
        assert entry.title
        assert entry.link
        assert entry.get("author") or parsed.feed.author  # its own byline, else the feed's
        assert entry.content[0].type == "text/html"


def test_json_feed_fields_and_paging(client: TestClient, store: Storage) -> None:
    ids: list[str] = []
    url: str | None = "/feeds/river.json"
    while url:
        feed = client.get(url).json()
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["title"]
        assert feed["feed_url"].startswith("http://testserver/feeds/river.json")
        for item in feed["items"]:
            assert isinstance(item["id"], str)
            assert item["content_html"]
            assert isinstance(item["authors"], list)
            assert all(a["name"] for a in item["authors"])
        ids += [item["id"] for item in feed["items"]]
        url = feed.get("next_url")
        assert "author" not in feed  # 1.1 uses "authors" only
    assert len(ids) == len(set(ids)) == store.count_articles()


def test_seed_item_carries_its_parts(client: TestClient, store: Storage) -> None:
    record = store.get_article_by_url(SEED_URL)
    assert record
    assert record.source_id
    feed = client.get(f"/feeds/source/{record.source_id}.json").json()
    item = next(i for i in feed["items"] if i["url"] == SEED_URL)
    assert item["authors"] == [
        {"name": "Tim Zadorozhnyy", "url": "https://kyivindependent.com/author/tim-zadorozhnyy/"}
    ]
    assert "Brendan Smialowski / AFP via Getty Images" in item["content_html"]
    assert "Editor" in item["content_html"]


@pytest.mark.parametrize(
    "path",
    ["/feeds/author/Tim Zadorozhnyy", "/feeds/story/4242", "/feeds/search"],
)
@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_every_kind_of_feed_parses(client: TestClient, path: str, fmt: str) -> None:
    response = client.get(f"{path}.{fmt}", params={"q": "Putin"} if "search" in path else None)
    assert response.status_code == 200
    if fmt == "json":  # feedparser does not read JSON Feed
        assert response.json()["items"]
        return
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.entries


def test_feeds_answer_conditional_gets(client: TestClient) -> None:
    first = client.get("/feeds/river.atom")
    assert first.headers["last-modified"]
    assert first.headers["etag"]
    again = client.get("/feeds/river.atom", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    since = client.get(
        "/feeds/river.atom", headers={"If-Modified-Since": first.headers["last-modified"]}
    )
    assert since.status_code == 304
    old = client.get(
        "/feeds/river.atom", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    )
    assert old.status_code == 200


def test_unknown_things_are_404_or_400(client: TestClient) -> None:
    assert client.get("/feeds/source/999999.rss").status_code == 404
    assert client.get("/feeds/river.xml").status_code == 400
    assert client.get("/feeds/river.rss", params={"cursor": "junk"}).status_code == 400
