"""The JSON API: shapes match the documented models, cursors page without gaps, ETags, writes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_fundus import SEED_URL
from web_helpers import csrf, setup_admin

from newsfeed.store._base import Storage
from newsfeed.web import _schemas as s


def _token(client: TestClient) -> str:
    setup_admin(client)
    page = client.post("/settings/tokens", data={"name": "script", "csrf": csrf(client)})
    assert page.status_code == 201
    token = page.text.split('class="token">')[1].split("<")[0]
    client.cookies.clear()  # from here on, only the token speaks
    return token


def test_articles_pages_follow_cursors_without_gaps(client: TestClient, store: Storage) -> None:
    ids: list[int] = []
    url: str | None = "/api/v1/articles?limit=50"
    while url:
        body = client.get(url).json()
        s.ArticlePageOut.model_validate(body)
        ids += [item["id"] for item in body["items"]]
        url = body["next_url"]
    assert len(ids) == len(set(ids)) == store.count_articles()


def test_article_detail_matches_model_and_store(client: TestClient, store: Storage) -> None:
    record = store.get_article_by_url(SEED_URL)
    assert record
    body = client.get(f"/api/v1/articles/{record.id}").json()
    article = s.ArticleOut.model_validate(body)
    assert article.title == record.article.title
    assert article.lead_image
    assert article.lead_image.credit == "Brendan Smialowski / AFP via Getty Images"
    assert article.authors[0].role == "News Editor"
    assert article.editor_notes[0]["kind"] == "editor_note"
    assert "<blockquote>" in article.content_html
    revisions = client.get(f"/api/v1/articles/{record.id}/revisions").json()
    assert [r["number"] for r in revisions] == [1, 2]
    assert any(c["op"] == "insert" for c in revisions[1]["diff"])
    assert client.get("/api/v1/articles/987654").status_code == 404


def test_sources_authors_search_stories(client: TestClient, store: Storage) -> None:
    sources = client.get("/api/v1/sources").json()
    for item in sources:
        s.SourceOut.model_validate(item)
    assert len(sources) == len(store.list_sources())
    one = client.get(f"/api/v1/sources/{sources[0]['id']}").json()
    assert one == sources[0]
    authors = client.get("/api/v1/authors", params={"limit": 5}).json()
    assert len(authors) == 5
    assert authors[0]["article_count"] >= authors[-1]["article_count"]
    hits = client.get("/api/v1/search", params={"q": "Ushakov"}).json()
    s.SearchPageOut.model_validate(hits)
    assert hits["items"][0]["article"]["url"] == SEED_URL
    assert "<mark>Ushakov</mark>" in hits["items"][0]["snippet_html"]
    story = client.get("/api/v1/stories/4242").json()
    s.StoryOut.model_validate(story)
    assert len(story["articles"]) == len(story["article_ids"]) == story["article_count"] == 3
    assert client.get("/api/v1/stories/1").status_code == 404


def test_api_etag_gives_304(client: TestClient) -> None:
    first = client.get("/api/v1/articles")
    etag = first.headers["etag"]
    assert client.get("/api/v1/articles", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/api/v1/articles", headers={"If-None-Match": '"other"'}).status_code == 200


def test_bad_input_is_a_clear_error(client: TestClient) -> None:
    assert client.get("/api/v1/articles", params={"cursor": "garbage"}).status_code == 400
    assert client.get("/api/v1/articles", params={"limit": 1000}).status_code == 422
    assert client.get("/api/v1/search").status_code == 422
    assert client.get("/api/v1/articles", params={"since": "yesterday"}).status_code == 400


def test_writes_need_a_token(client: TestClient, store: Storage, feed_site: str) -> None:
    new = {"url": f"{feed_site}/feed.xml", "category": "Test"}
    assert client.post("/api/v1/sources", json=new).status_code in (401, 403)
    token = _token(client)
    auth = {"Authorization": f"Bearer {token}"}
    assert (
        client.post(
            "/api/v1/sources", json=new, headers={"Authorization": "Bearer nope"}
        ).status_code
        == 401
    )
    made = client.post("/api/v1/sources", json=new, headers=auth)
    assert made.status_code == 201
    source_id = made.json()["id"]
    assert made.json()["title"] == "The Guardian"  # from the feed itself
    assert store.get_source(source_id).category == "Test"
    assert client.post("/api/v1/sources", json=new, headers=auth).json()["id"] == source_id
    article = store.list_articles(limit=1).items[0]
    assert (
        client.put(
            f"/api/v1/articles/{article.id}/saved", json={"value": True}, headers=auth
        ).status_code
        == 204
    )
    assert store.get_article(article.id).saved
    assert client.delete(f"/api/v1/sources/{source_id}", headers=auth).status_code == 204
    assert store.get_source_by_url(new["url"]) is None
    assert client.delete(f"/api/v1/sources/{source_id}", headers=auth).status_code == 404


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "javascript:alert(1)", "feed.xml"])
def test_adding_a_non_http_url_is_refused(client: TestClient, url: str) -> None:
    auth = {"Authorization": f"Bearer {_token(client)}"}
    response = client.post("/api/v1/sources", json={"url": url}, headers=auth)
    assert response.status_code == 400
    assert "https://" in response.json()["detail"]


def test_session_writes_through_the_api_need_the_csrf_header(
    client: TestClient, feed_site: str
) -> None:
    setup_admin(client)
    new = {"url": feed_site + "/"}
    assert client.post("/api/v1/sources", json=new).status_code == 403
    made = client.post("/api/v1/sources", json=new, headers={"X-CSRF-Token": csrf(client)})
    assert made.status_code == 201
    assert made.json()["url"] == f"{feed_site}/feed.xml"  # discovered from the home page


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/sources",
        "/api/v1/authors",
        "/api/v1/search",
        "/api/v1/stories/{story_id}",
    ):
        assert path in spec["paths"]
    assert "ArticleOut" in spec["components"]["schemas"]
