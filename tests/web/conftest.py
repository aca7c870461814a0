"""Fixtures for the web tests: a real SQLite store filled with real articles, and the app.

The session database holds every fundus page (reviewed parser output from ../shared/data),
the seed page in two revisions (the second adds the editor's note), and an XSS corpus planted
in titles, captions, bodies, author bios and a feed title. Tests that change data work on a
copy of that file.
"""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # for `tests.conftest.need`

from web_fundus import SEED_URL, fundus_articles, seed_article
from web_helpers import LOOPBACK_FETCH, SECRET

from newsfeed.store import open_store
from newsfeed.store._base import NewArticle, Storage, StoryChanges
from newsfeed.types import Article, Author, Block, Image
from newsfeed.web import WebSettings, create_app
from newsfeed.web._accounts import open_accounts

XSS_TITLE = (
    '<script>window.__xss=1;alert("title")</script>Payload <img src=x onerror="window.__xss=1">'
)
XSS_PAYLOADS = (
    "<script>window.__xss=1;alert(1)</script>",
    '<img src=x onerror="window.__xss=1;alert(2)">',
    '<svg onload="window.__xss=1;alert(3)"><script>window.__xss=1</script></svg>',
    '<a href="javascript:window.__xss=1;alert(4)">click</a>',
    '"><iframe src="javascript:alert(5)"></iframe>',
    "</textarea><style>*{display:none}</style>",
)
XSS_URL = "javascript:window.__xss=1;alert(6)"
STORY_ID = 4242


def _xss_articles() -> list[Article]:
    bad_author = Author(
        name='Mallory <b onmouseover="window.__xss=1">X</b>',
        role="<script>window.__xss=1</script>Editor",
        bio=" ".join(XSS_PAYLOADS),
        avatar_url=XSS_URL,
        url=XSS_URL,
    )
    bad_image = Image(url=XSS_URL, caption=XSS_PAYLOADS[1], credit=XSS_PAYLOADS[2])
    out = []
    for i, payload in enumerate(XSS_PAYLOADS):
        out.append(
            Article(
                title=f"{XSS_TITLE} {i} payload",
                url=f"https://evil.example/xss/{i}",
                dek=payload,
                section=payload,
                authors=(bad_author,),
                published=datetime(2001, 1, 1, tzinfo=UTC) + timedelta(days=i),
                lead_image=bad_image,
                blocks=(
                    Block(kind="paragraph", text=f"payload body {payload}"),
                    Block(kind="quote", text=payload),
                    Block(kind="figure", image=bad_image),
                    Block(kind="embed", url=XSS_URL, text=payload),
                    Block(kind="list", items=(payload, XSS_PAYLOADS[0])),
                ),
                html=f"<p>payload {payload}</p>",
                text=f"payload body {payload}",
                related=(),
            )
        )
    out.append(
        Article(
            title="payload raw html only",
            url="https://evil.example/xss/html",
            published=datetime(2001, 2, 1, tzinfo=UTC),
            html="".join(XSS_PAYLOADS) + "<p>payload raw html survives</p>",
            text="payload raw html survives",
        )
    )
    return out


def fill(store: Storage, data_dir: Path) -> None:
    sources: dict[str, int] = {}
    items = []
    for article in fundus_articles(data_dir):
        name = article.site_name or "?"
        if name not in sources:
            domain = "/".join((article.url or "").split("/")[:3])
            sources[name] = store.add_source(f"{domain}/feed.xml", name, site_url=domain).id
        items.append(NewArticle(article, source_id=sources[name], fetched_at=article.published))
    store.upsert_articles(items)

    seed = seed_article(data_dir)
    kyiv = store.add_source(
        "https://kyivindependent.com/news-feed/rss/",
        "The Kyiv Independent",
        site_url="https://kyivindependent.com",
        category="Ukraine",
    ).id
    first = replace(
        seed,
        editor_notes=(),
        blocks=seed.blocks[:-3],
        text="\n".join(b.text for b in seed.blocks[:-3]),
    )
    store.upsert_articles([NewArticle(first, source_id=kyiv)])
    store.upsert_articles([NewArticle(seed, source_id=kyiv)])

    evil = store.add_source("https://evil.example/feed", XSS_TITLE + " Evil Feed").id
    store.upsert_articles([NewArticle(a, source_id=evil) for a in _xss_articles()])


def mark_story(store: Storage, urls: list[str]) -> None:
    """Group articles under one story through the store, as clustering does."""
    ids = [r.id for r in (store.get_article_by_url(u) for u in urls) if r is not None]
    store.apply_story_changes(StoryChanges(assign=tuple((i, STORY_ID) for i in ids)))


@pytest.fixture(scope="session")
def filled_db(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("webdb") / "news.db"
    store = open_store(f"sqlite:///{path}")
    try:
        fill(store, shared_data)
        top = store.list_articles(limit=3).items
        urls = [SEED_URL] + [
            r.article.canonical_url or "" for r in top if r.article.canonical_url != SEED_URL
        ]
        mark_story(store, urls[:3])
    finally:
        store.close()
    return path


@pytest.fixture
def db_path(filled_db: Path, tmp_path: Path) -> Path:
    """A private copy of the filled database: tests may change it."""
    path = tmp_path / "news.db"
    shutil.copy(filled_db, path)
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[Storage]:
    store = open_store(f"sqlite:///{db_path}")
    yield store
    store.close()


class _FeedSite(BaseHTTPRequestHandler):
    """A publisher on loopback: a home page linking its feed (a real one from shared data)."""

    feed = b""

    def do_GET(self) -> None:
        pages = {
            "/": (
                b'<html><head><title>Guardian US</title><link rel="alternate" '
                b'type="application/rss+xml" title="Guardian US" href="/feed.xml"></head>'
                b"<body>News</body></html>",
                "text/html; charset=utf-8",
            ),
            "/plain": (
                b"<html><head><title>No feeds</title></head><body>x</body></html>",
                "text/html; charset=utf-8",
            ),
            "/feed.xml": (self.feed, "application/rss+xml"),
        }
        body, kind = pages.get(self.path, (b"not here", "text/plain"))
        self.send_response(200 if self.path in pages else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def feed_site(shared_data: Path) -> Iterator[str]:
    """The base URL of a real HTTP server on 127.0.0.1 that serves a site with a feed."""
    _FeedSite.feed = (shared_data / "feeds" / "guardian_us.rss").read_bytes()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FeedSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def settings() -> WebSettings:
    return WebSettings(
        secret_key=SECRET, base_url="http://testserver", page_size=10, fetch_options=LOOPBACK_FETCH
    )


@pytest.fixture
def client(store: Storage, db_path: Path, settings: WebSettings) -> Iterator[TestClient]:
    app = create_app(store, settings, accounts=open_accounts(f"sqlite:///{db_path}"))
    with TestClient(app) as client:
        yield client
