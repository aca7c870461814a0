"""Story pages benchmark: how long the pages that show stories take to render, in-process.

Fills a SQLite file with the real fundus articles from ../shared/data plus a wire copy of
each under another outlet's name (so every story has a near-duplicate and two outlets),
analyses them (entities) and groups them with the real ``StoryStep``; then times, through
the ASGI app with its page cache off:

- article (cold)  the article page when the recent-articles pool must be (re)loaded
- article         the article page: duplicates, related coverage from the pool + its story
- article api     GET /api/v1/articles/{id}, the same with JSON
- story           the story page: outlets side by side, what each adds
- stories         the stories index
- river           the river with its "N outlets" links

and prints p50 and p99 in milliseconds for each.

    uv run python bench/story_pages.py --requests 200
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient

from newsfeed.enrich.step import EnrichStep
from newsfeed.store import NewArticle, open_store
from newsfeed.stories.step import StoryStep
from newsfeed.update import StoredArticle
from newsfeed.web import WebSettings, create_app
from newsfeed.web._accounts import open_accounts

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def _fundus_articles():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("web_fundus", ROOT / "tests/web/web_fundus.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.fundus_articles(DATA)


def _fill(url: str) -> list[int]:
    store = open_store(url)
    originals = list(_fundus_articles())
    copies = [
        replace(a, url=f"{a.url}?wire", canonical_url=f"{a.url}?wire", site_name="Wire Copy")
        for a in originals
    ]
    articles = originals + copies
    results = store.upsert_articles([NewArticle(a) for a in articles])
    # Some fundus cases share a URL: the store keeps one article for them, the steps see it once.
    once = {r.article_id: a for r, a in zip(results, articles, strict=True)}
    stored = [StoredArticle(i, a, True) for i, a in once.items()]
    started = time.perf_counter()
    EnrichStep()(store, stored)
    StoryStep()(store, stored)
    print(f"filled {len(articles)} articles, analysed and grouped in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    store.close()
    return list(once)


def _time(name: str, get: Callable[[int], object], n: int) -> None:
    times = []
    for i in range(n):
        started = time.perf_counter()
        get(i)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"{name:<16} p50 {statistics.median(times):6.1f} ms   p99 {p99:6.1f} ms   (n={n})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/news.db"
        ids = _fill(url)
        store = open_store(url)
        settings = WebSettings(secret_key="k" * 32, cache_seconds=0)
        app = create_app(store, settings, accounts=open_accounts(url))
        ctx = app.state.ctx
        stories = [s.id for s in store.list_stories(limit=100, min_articles=2).items]
        print(f"{len(stories)} stories of two or more articles on the first index page")
        n = args.requests
        with TestClient(app) as client:

            def ok(path: str) -> None:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)

            def cold(i: int) -> None:
                ctx.recent.forget()
                ok(f"/articles/{ids[i % len(ids)]}")

            _time("article (cold)", cold, max(20, n // 10))
            _time("article", lambda i: ok(f"/articles/{ids[i % len(ids)]}"), n)
            _time("article api", lambda i: ok(f"/api/v1/articles/{ids[i % len(ids)]}"), n)
            _time("story", lambda i: ok(f"/stories/{stories[i % len(stories)]}"), n)
            _time("stories", lambda i: ok("/stories"), n)
            _time("river", lambda i: ok("/"), n)
        store.close()


if __name__ == "__main__":
    main()
