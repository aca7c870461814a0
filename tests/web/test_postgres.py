"""The web app over PostgreSQL: the same pages and accounts, on a throwaway database."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from web_fundus import SEED_URL, fundus_articles, seed_article
from web_helpers import LOOPBACK_FETCH, SECRET, csrf, setup_admin

from newsfeed.store import open_store
from newsfeed.store._base import NewArticle
from newsfeed.web import WebSettings, create_app
from newsfeed.web._accounts import open_accounts

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    """A fresh database on the test server, dropped afterwards (other suites share `test`)."""
    name = f"newsfeed_web_{secrets.token_hex(4)}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_pages_and_accounts_on_postgres(pg_url: str, shared_data: Path, feed_site: str) -> None:
    store = open_store(pg_url)
    try:
        store.upsert_articles([NewArticle(a) for a in fundus_articles(shared_data, limit=30)])
        store.upsert_articles([NewArticle(seed_article(shared_data))])
        settings = WebSettings(secret_key=SECRET, fetch_options=LOOPBACK_FETCH)
        app = create_app(store, settings, accounts=open_accounts(pg_url))
        with TestClient(app) as client:
            river = client.get("/")
            assert river.status_code == 200
            assert river.text.count('<article class="card') == 20
            seed = store.get_article_by_url(SEED_URL)
            assert seed
            article = client.get(f"/articles/{seed.id}").text
            assert "Brendan Smialowski / AFP via Getty Images" in article
            hits = client.get("/api/v1/search", params={"q": "Ushakov"}).json()["items"]
            assert hits[0]["article"]["id"] == seed.id
            setup_admin(client)
            added = client.post(
                "/sources", data={"url": f"{feed_site}/feed.xml", "csrf": csrf(client)}
            )
            assert added.status_code == 200
            assert store.get_source_by_url(f"{feed_site}/feed.xml")
    finally:
        store.close()
