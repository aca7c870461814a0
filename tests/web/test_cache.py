"""The micro-cache: anonymous reads are shared for a moment; signed-in reads never are."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import SECRET, csrf, setup_admin

from newsfeed.store._base import Storage
from newsfeed.web import WebSettings, create_app
from newsfeed.web._accounts import open_accounts


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
