"""The micro-cache: anonymous reads are shared for a moment; signed-in reads never are."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send
from web_helpers import SECRET, csrf, setup_admin

from newsfeed.store._base import Storage
from newsfeed.web import WebSettings, create_app
from newsfeed.web._accounts import open_accounts
from newsfeed.web._cache import MicroCache


@pytest.fixture
def cached(store: Storage, db_path: Path) -> Iterator[TestClient]:
    settings = WebSettings(secret_key=SECRET, cache_seconds=0.5)
    app = create_app(store, settings, accounts=open_accounts(f"sqlite:///{db_path}"))
    with TestClient(app) as client:
        yield client


def _rename(store: Storage, title: str) -> int:
    source = next(s for s in store.list_sources() if "Kyiv" in s.title)
    store.update_source(dataclasses.replace(source, title=title))
    return source.id


def test_anonymous_reads_are_shared_until_they_expire(cached: TestClient, store: Storage) -> None:
    source_id = _rename(store, "Kyiv One")
    assert "Kyiv One" in cached.get(f"/api/v1/sources/{source_id}").text
    _rename(store, "Kyiv Two")
    stale = cached.get(f"/api/v1/sources/{source_id}")
    assert "Kyiv One" in stale.text  # served from the cache
    assert stale.headers["content-security-policy"]  # with the security headers kept
    assert (
        cached.get(
            f"/api/v1/sources/{source_id}", headers={"If-None-Match": stale.headers["etag"]}
        ).status_code
        == 304
    )
    time.sleep(0.6)
    assert "Kyiv Two" in cached.get(f"/api/v1/sources/{source_id}").text


def test_signed_in_reads_and_writes_skip_the_cache(cached: TestClient, store: Storage) -> None:
    source_id = _rename(store, "Kyiv One")
    anonymous = TestClient(cached.app)
    assert "Kyiv One" in anonymous.get(f"/sources/{source_id}").text
    setup_admin(cached)  # a POST: empties the cache
    _rename(store, "Kyiv Two")
    assert "Kyiv Two" in cached.get(f"/sources/{source_id}").text  # signed in: never cached
    assert "Kyiv Two" in anonymous.get(f"/sources/{source_id}").text
    cached.post(
        f"/sources/{source_id}/settings", data={"title": "Kyiv Three", "csrf": csrf(cached)}
    )
    assert "Kyiv Three" in anonymous.get(f"/sources/{source_id}").text


def test_anonymous_pages_set_no_cookie_and_carry_no_token(cached: TestClient) -> None:
    page = cached.get("/")
    assert "set-cookie" not in page.headers
    assert 'name="csrf-token" content=""' in page.text
    signin = cached.get("/setup")
    assert "nf_csrf" in signin.headers["set-cookie"]


def test_an_expired_page_is_rendered_once_while_the_others_get_the_kept_copy() -> None:
    renders = 0
    release = asyncio.Event()

    async def page(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal renders
        renders += 1
        number = renders
        if number == 2:
            await release.wait()  # the second rendering is slow
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": f"rendering {number}".encode()})

    cache = MicroCache(page, ttl=0.2)

    async def get() -> str:
        sent: list[Message] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b""}

        async def send(message: Message) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": []}
        await cache(scope, receive, send)
        return bytes(sent[-1]["body"]).decode()

    async def main() -> None:
        assert await get() == "rendering 1"
        await asyncio.sleep(0.25)  # expired
        slow = asyncio.create_task(get())
        await asyncio.sleep(0.01)
        assert [await get() for _ in range(3)] == ["rendering 1"] * 3  # no burst of renders
        release.set()
        assert await slow == "rendering 2"
        assert await get() == "rendering 2"
        assert renders == 2
        await asyncio.sleep(0.45)  # expired for longer than ttl: never served again
        assert await get() == "rendering 3"

    asyncio.run(main())
