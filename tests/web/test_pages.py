"""The HTML pages, rendered over the real SQLite store filled with real articles."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient
from web_fundus import SEED_URL
from web_helpers import csrf, setup_admin

from newsfeed.store._base import ArticleFilter, NewArticle, Storage
from newsfeed.types import Article


def _card_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<article class="card[^"]*" data-id="(\d+)"', html)]


def _next_link(html: str) -> str | None:
    match = re.search(r'class="show-more" href="([^"]+)"', html)
    return unescape(match.group(1)) if match else None


def test_river_lists_newest_first_with_card_parts(client: TestClient, store: Storage) -> None:
    page = client.get("/")
    assert page.status_code == 200
    expected = [r.id for r in store.list_articles(limit=10).items]
    assert _card_ids(page.text) == expected
    first = store.get_article(expected[0]).article
    assert first.title in unescape(page.text)
    assert "min read" in page.text
    assert " ago</time>" in page.text
    assert 'class="thumb"' in page.text
    assert 'class="source"' in page.text
    assert "Show More" in page.text


def test_show_more_pages_have_no_gap_and_no_duplicate(client: TestClient, store: Storage) -> None:
    seen: list[int] = []
    url: str | None = "/"
    while url:
        page = client.get(url)
        assert page.status_code == 200
        seen += _card_ids(page.text)
        url = _next_link(page.text)
    assert len(seen) == len(set(seen)) == store.count_articles()


def test_show_more_fragment_is_only_cards(client: TestClient) -> None:
    link = _next_link(client.get("/").text)
    assert link
    fragment = client.get(link + "&fragment=1")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert len(_card_ids(fragment.text)) == 10
    assert set(_card_ids(fragment.text)).isdisjoint(_card_ids(client.get("/").text))


def test_article_page_is_laid_out_like_the_seed(client: TestClient, store: Storage) -> None:
    record = store.get_article_by_url(SEED_URL)
    assert record
    html = client.get(f"/articles/{record.id}").text
    text = unescape(html)
    order = [
        '<p class="section">News Feed</p>',
        "Putin, Trump to meet in the coming days, Moscow says</h1>",
        "3 min read",
        'class="caption">US President Donald Trump (L)',
        'class="credit">Brendan Smialowski / AFP via Getty Images</span>',
        "Editor's note:</strong> The story was updated with comments by President",
        "Russian President Vladimir Putin and U.S. President",
        '<blockquote><p>"At the suggestion of the American side',
        "<h2>Read more</h2>",
        "President Trump has all the cards",
        'class="author-card"',
        'href="/authors/Tim%20Zadorozhnyy">Tim Zadorozhnyy</a>',
        '<p class="role">News Editor</p>',
        "Based in Warsaw",
        "Revision history",
        "<ins>",
    ]
    at = 0
    for piece in order:  # each part present, and after the one before it
        found = text.find(piece, at)
        assert found >= 0, f"{piece!r} missing or out of order"
        at = found + len(piece)
    assert f'href="{SEED_URL}"' in html  # the link to the original
    assert "Article image" not in text
    assert "Avatar\n" not in text


def test_author_page_lists_their_stories(client: TestClient) -> None:
    page = client.get("/authors/Tim Zadorozhnyy")
    assert page.status_code == 200
    assert "News Editor" in page.text
    assert "Putin, Trump to meet" in page.text
    assert client.get("/authors/Nobody Wrote This").status_code == 404
    assert "Tim Zadorozhnyy" in client.get("/authors").text


def test_source_page_shows_feed_health(client: TestClient, store: Storage) -> None:
    source = next(s for s in store.list_sources() if s.title == "The Kyiv Independent")
    store.update_source(
        __import__("dataclasses").replace(source, last_error="HTTP 503 from the server")
    )
    page = client.get(f"/sources/{source.id}")
    assert page.status_code == 200
    assert "Last fetch" in page.text
    assert "never" in page.text
    assert "HTTP 503 from the server" in page.text
    assert "Next check" in page.text
    assert "Putin, Trump to meet" in page.text
    assert client.get("/sources/999999").status_code == 404


def test_story_page_lists_articles_of_the_story(client: TestClient, store: Storage) -> None:
    records = store.list_articles(ArticleFilter(story_id=4242)).items
    assert len(records) == 3
    page = client.get("/stories/4242")
    shown = [int(x) for x in re.findall(r'<article class="covered" data-id="(\d+)"', page.text)]
    assert sorted(shown) == sorted(r.id for r in records)
    assert client.get("/stories/1").status_code == 404


def test_search_highlights_and_filters(client: TestClient, store: Storage) -> None:
    page = client.get("/search", params={"q": "Ushakov"})
    assert page.status_code == 200
    assert "<mark>Ushakov</mark>" in page.text
    seed = store.get_article_by_url(SEED_URL)
    assert seed
    assert seed.id in _card_ids(page.text)
    other = next(s for s in store.list_sources() if s.title != "The Kyiv Independent")
    filtered = client.get("/search", params={"q": "Ushakov", "source_id": other.id})
    assert seed.id not in _card_ids(filtered.text)
    dated = client.get("/search", params={"q": "Ushakov", "until": "2020-01-01"})
    assert seed.id not in _card_ids(dated.text)
    by_author = client.get("/search", params={"q": "Ushakov", "author": "Tim Zadorozhnyy"})
    assert _card_ids(by_author.text) == [seed.id]
    assert client.get("/search", params={"q": "x", "since": "not-a-date"}).status_code == 400
    blank = client.get(
        "/search", params={"q": "Ushakov", "source_id": "", "since": "", "until": ""}
    )
    assert seed.id in _card_ids(blank.text)


def test_search_says_when_imported_stories_are_not_searchable_yet(
    client: TestClient, store: Storage
) -> None:
    imported = Article(title="Zeppelins over Kyiv", url="https://a.example/z", text="Zeppelins.")
    store.upsert_articles([NewArticle(imported)], defer_search=True)
    waiting = client.get("/search", params={"q": "zeppelins"})
    assert "1 stories just imported are not searchable yet" in waiting.text
    store.update_search()
    found = client.get("/search", params={"q": "Zeppelins"})  # not the micro-cached page
    assert "Zeppelins over Kyiv" in unescape(found.text)
    assert "not searchable yet" not in found.text


def test_bad_cursor_is_a_clear_400(client: TestClient) -> None:
    page = client.get("/", params={"cursor": "not-a-cursor"})
    assert page.status_code == 400
    assert "broken" in page.text


def test_read_and_saved_need_sign_in_then_work(client: TestClient, store: Storage) -> None:
    record = store.list_articles(limit=1).items[0]
    token = csrf(client, "/setup")
    denied = client.post(f"/articles/{record.id}/save", data={"csrf": token, "value": "true"})
    assert denied.status_code == 401
    setup_admin(client)
    token = csrf(client)
    done = client.post(
        f"/articles/{record.id}/save",
        data={"csrf": token, "value": "true", "next": "/saved"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/saved"
    assert store.get_article(record.id).saved
    assert _card_ids(client.get("/saved").text) == [record.id]
    client.post(f"/articles/{record.id}/read", data={"csrf": token, "value": "true"})
    assert store.get_article(record.id).read
    assert record.id not in _card_ids(client.get("/?unread=1").text)


def test_html_pages_answer_304_to_their_etag(client: TestClient) -> None:
    first = client.get("/authors")
    etag = first.headers["etag"]
    again = client.get("/authors", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
