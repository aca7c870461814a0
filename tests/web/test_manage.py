"""Managing sources from the web pages: add, settings, remove, OPML out and back in."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lxml import etree
from web_helpers import csrf, setup_admin

from newsfeed.store._base import Storage


def test_add_by_site_address_discovers_the_feed(
    client: TestClient, store: Storage, feed_site: str
) -> None:
    setup_admin(client)
    added = client.post(
        "/sources",
        data={
            "url": f" {feed_site}/ ",
            "category": "World",
            "csrf": csrf(client),
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    source = store.get_source_by_url(f"{feed_site}/feed.xml")
    assert source
    assert source.category == "World"
    assert source.title == "The Guardian"  # the feed's own title
    assert added.headers["location"] == f"/sources/{source.id}"
    changed = client.post(
        f"/sources/{source.id}/settings",
        data={"title": "World desk", "category": "", "csrf": csrf(client)},
    )
    assert changed.status_code == 200
    source = store.get_source(source.id)
    assert source.title == "World desk"
    assert source.category is None
    assert source.fetch_full_page is False  # unchecked box
    assert "World desk" in client.get("/sources").text
    client.post(f"/sources/{source.id}/delete", data={"csrf": csrf(client)})
    assert store.get_source_by_url(f"{feed_site}/feed.xml") is None
    refused = client.post("/sources", data={"url": "javascript:alert(1)", "csrf": csrf(client)})
    assert refused.status_code == 400


def test_adding_a_site_without_feeds_says_so(client: TestClient, feed_site: str) -> None:
    setup_admin(client)
    response = client.post("/sources", data={"url": f"{feed_site}/plain", "csrf": csrf(client)})
    assert response.status_code == 400
    assert "No feed found" in response.text
    gone = client.post("/sources", data={"url": "http://127.0.0.1:9/", "csrf": csrf(client)})
    assert gone.status_code == 400
    assert "Could not fetch" in gone.text


def test_opml_export_then_import_into_an_empty_list(client: TestClient, store: Storage) -> None:
    exported = client.get("/sources.opml")
    assert exported.headers["content-type"].startswith("text/x-opml")
    root = etree.fromstring(exported.content)
    urls = {o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")}
    assert urls == {s.url for s in store.list_sources()}
    kyiv = root.xpath("//outline[@text='Ukraine']/outline")
    assert [o.get("title") for o in kyiv] == ["The Kyiv Independent"]

    setup_admin(client)
    for source in store.list_sources():
        store.remove_source(source.id)
    response = client.post(
        "/sources/opml",
        data={"csrf": csrf(client)},
        files={"file": ("subs.opml", exported.content, "text/x-opml")},
    )
    assert response.status_code == 200
    assert f"Imported {len(urls)} new sources" in response.text
    assert {s.url for s in store.list_sources()} == urls
    back = store.get_source_by_url("https://kyivindependent.com/news-feed/rss/")
    assert back
    assert back.category == "Ukraine"
    assert back.title == "The Kyiv Independent"


def test_bad_opml_is_a_clear_400(client: TestClient) -> None:
    setup_admin(client)
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body>&a;</body></opml>'
    for data, why in (
        (b"not xml at all", "not well-formed"),
        (b"<html><body/></html>", "not an OPML"),
        (bomb, "entities"),
    ):
        response = client.post(
            "/sources/opml",
            data={"csrf": csrf(client)},
            files={"file": ("x.opml", data, "text/xml")},
        )
        assert response.status_code == 400
        assert why in response.text
    huge = b"<opml><body>" + b" " * (5 * 1024 * 1024) + b"</body></opml>"
    response = client.post(
        "/sources/opml", data={"csrf": csrf(client)}, files={"file": ("x.opml", huge, "text/xml")}
    )
    assert response.status_code == 413
