"""Enrichment as the pipeline runs it: analyse + save per stored story, and what entity pages
cost to read afterwards.

    uv run python bench/enrich_step.py                      # every fundus page, SQLite
    uv run python bench/enrich_step.py --limit 50 --backend postgres

The fundus pages from ../shared/data are extracted and stored first (not timed); then
``EnrichStep`` runs over them in batches of ten, as the update pipeline hands them over, and
the time is split between the text analysis and the store writes. Finally the most-named
entities' data is read the way ``/entities/{key}`` reads it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pages import available, load_pages
from newsfeed.enrich import step
from newsfeed.errors import NewsfeedError
from newsfeed.extract import extract
from newsfeed.store import ArticleFilter, NewArticle, SqlStorage, open_store
from newsfeed.types import Article
from newsfeed.update import StoredArticle

PG_URL = os.environ.get(
    "NEWSFEED_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BATCH = 10
SCHEMA = f"bench_enrich_{os.getpid()}"


def _articles(limit: int | None) -> list[Article]:
    out = []
    for page in load_pages("fundus", limit):
        try:
            out.append(extract(page.html, page.url))
        except NewsfeedError:
            continue
    return out


def _schema(action: str, name: str) -> None:
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        if action == "create":
            conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    engine.dispose()


def _open(backend: str, directory: str) -> SqlStorage:
    """A fresh database: a temporary SQLite file, or a schema of its own on PostgreSQL (the
    server's database is shared with the test suites)."""
    if backend == "sqlite":
        return open_store(f"sqlite:///{directory}/bench.db")
    _schema("create", SCHEMA)
    url = sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    return open_store(url.render_as_string(hide_password=False))


def _timed_analyse() -> list[float]:
    """Wrap the rules so the analysis share of each step call can be told apart."""
    spent: list[float] = []
    real = step.analyse

    def timed(*args: object, **kwargs: object) -> object:
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            spent.append(time.perf_counter() - started)

    step.analyse = timed  # type: ignore[assignment]
    return spent


def run(backend: str, limit: int | None) -> None:
    articles = _articles(limit)
    step.analyse("Warm-up: Vladimir Putin met Olaf Scholz in Berlin on Monday.", None)
    with tempfile.TemporaryDirectory() as directory:
        store = _open(backend, directory)
        results = store.upsert_articles([NewArticle(a) for a in articles])
        stored = [
            StoredArticle(r.article_id, a, True) for r, a in zip(results, articles, strict=True)
        ]
        spent = _timed_analyse()
        started = time.perf_counter()
        for i in range(0, len(stored), BATCH):
            step.EnrichStep()(store, stored[i : i + BATCH])
        total = time.perf_counter() - started
        entities = store.list_entities(limit=20)
        reads = []
        for entity in entities:
            t0 = time.perf_counter()
            store.entity_analyses(entity.key, limit=50)
            store.list_articles(ArticleFilter(entity=entity.key), limit=20)
            reads.append(time.perf_counter() - t0)
        linked = sum(e.article_count for e in store.list_entities(limit=500))
        store.close()
        if backend == "postgres":
            _schema("drop", SCHEMA)
    n = len(stored)
    analysis = sum(spent)
    print(f"backend {backend}: {n} fundus articles, batches of {BATCH}")
    print(f"  enrich step     {n / total:8.1f} articles/s   ({1000 * total / n:.1f} ms/article)")
    print(f"  of which rules  {1000 * analysis / n:8.1f} ms/article; store writes "
          f"{1000 * (total - analysis) / n:.1f} ms/article")  # fmt: skip
    print(f"  index           {linked} article-entity links (top 500 entities)")
    if reads:
        median = 1000 * statistics.median(reads)
        print(f"  entity page data (20 most named): median {median:.1f} ms, "
              f"max {1000 * max(reads):.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--limit", type=int, default=None, help="fundus pages (default: all)")
    args = parser.parse_args()
    if not available():
        sys.exit("../shared/data/pages is missing: nothing to measure")
    run(args.backend, args.limit)


if __name__ == "__main__":
    main()
