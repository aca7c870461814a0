"""Storage benchmark: bulk insert, full-text query latency and size per article.

    uv run python bench/store.py                          # 100,000 articles, SQLite and PostgreSQL
    uv run python bench/store.py --backend sqlite --articles 20000
    uv run python bench/store.py --search-million         # SQLite at 1,000,000 articles

Article bodies are real: the expected texts of the readability test pages and the fundus
bodies from ../shared/data, each stored article made distinct by mixing the paragraphs of two
real bodies. Every article also carries its HTML and body blocks, as extraction stores them.
Insertion goes through ``upsert_articles`` (the public path, revisions and authors included)
as a bulk import does it, with ``defer_search``; then ``update_search`` indexes everything,
timed apart. A query is a full ``search()`` call: ranking, records and highlighted snippets.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from newsfeed.store import NewArticle, SqlStorage, open_store
from newsfeed.types import Article, Author, Block

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PG_URL = os.environ.get(
    "NEWSFEED_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
QUERIES = [
    "ukraine", "trump", "election", "police", "climate change", "government", "president",
    "football", "court ruling", "economy", "war", "berlin", "minister said", "new york",
    "health", "school", "prices", "energy", "the", "stock market", "covid", "china trade",
    "parliament vote", "fire", "weather storm", "bundesregierung", "migration", "film",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Body:
    title: str
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...]
    language: str | None


def load_bodies() -> list[Body]:
    if not (DATA / "pages").is_dir():
        sys.exit(f"shared data not found at {DATA}")
    bodies = []
    for path in sorted((DATA / "pages" / "readability").glob("*/expected.json")):
        data = json.loads(path.read_text())
        paragraphs = tuple(p.strip() for p in (data.get("text") or "").split("\n") if p.strip())
        if len(paragraphs) >= 2:
            byline = data.get("byline")
            bodies.append(
                Body(
                    data.get("title") or path.parent.name,
                    paragraphs,
                    (byline,) if byline else (),
                    data.get("lang"),
                )
            )
    for path in sorted((DATA / "pages" / "fundus").glob("*/*/expected.json")):
        data = json.loads(path.read_text())
        body = data.get("body") or {}
        paragraphs = tuple(body.get("summary") or ()) + tuple(
            p for s in body.get("sections") or () for p in s.get("paragraphs") or ()
        )
        if len(paragraphs) >= 2:
            bodies.append(
                Body(
                    data.get("title") or "", paragraphs, tuple(data.get("authors") or ())[:3], None
                )
            )
    return bodies


@dataclass(frozen=True, slots=True)
class _Parts:
    """A body's paragraphs as text, as HTML and as blocks, made once: building them anew
    for every article cost the benchmark's own thread more than storing it."""

    text: tuple[str, ...]
    html: tuple[str, ...]
    blocks: tuple[Block, ...]
    words: tuple[int, ...]


def _parts(body: Body) -> _Parts:
    return _Parts(
        body.paragraphs,
        tuple(f"<p>{escape(p)}</p>" for p in body.paragraphs),
        tuple(Block("paragraph", p) for p in body.paragraphs),
        tuple(len(p.split()) for p in body.paragraphs),
    )


def articles(bodies: list[Body], count: int, seed: int = 7) -> Iterator[NewArticle]:
    """``count`` distinct articles of real size: one real body, with a paragraph of another
    real body spliced in at a random place, a number in the title and URL."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    parts = [_parts(body) for body in bodies]
    for n in range(count):
        i = n % len(bodies)
        a, pa, pb = bodies[i], parts[i], parts[rng.randrange(len(bodies))]
        at, k = rng.randint(0, len(pa.text)), rng.randrange(len(pb.text))

        def spliced(mine: tuple[Any, ...], theirs: tuple[Any, ...]) -> tuple[Any, ...]:
            return (*mine[:at], theirs[k], *mine[at:])  # noqa: B023 (used at once)

        text = "\n\n".join(spliced(pa.text, pb.text))
        words = sum(pa.words) + pb.words[k]
        yield NewArticle(
            Article(
                title=f"{a.title} ({n})",
                url=f"https://bench.example/{n % 97}/story-{n}",
                text=text,
                html="".join(spliced(pa.html, pb.html)),
                blocks=spliced(pa.blocks, pb.blocks),
                authors=tuple(Author(name) for name in a.authors),
                published=start + timedelta(seconds=n * 30),
                language=a.language,
                word_count=words,
                reading_time=max(1, words // 230),
            ),
            guid=f"bench-{n}",
        )


def insert(store: SqlStorage, bodies: list[Body], count: int, batch: int) -> float:
    """Articles/s stored, as a bulk import stores them: searchable after ``update_search``."""
    started = time.perf_counter()
    pending: list[NewArticle] = []
    done = 0
    for item in articles(bodies, count):
        pending.append(item)
        if len(pending) == batch:
            store.upsert_articles(pending, defer_search=True)
            done += len(pending)
            pending = []
            if done % (batch * 20) == 0:
                rate = done / (time.perf_counter() - started)
                print(f"  … {done:,} stored ({rate:,.0f}/s)", file=sys.stderr, flush=True)
    if pending:
        store.upsert_articles(pending, defer_search=True)
    return count / (time.perf_counter() - started)


def index(store: SqlStorage, count: int) -> tuple[float, float]:
    """Articles/s made searchable by ``update_search``: wall clock, and per CPU second."""
    started, cpu = time.perf_counter(), time.process_time()
    store.update_search()
    return count / (time.perf_counter() - started), count / (time.process_time() - cpu)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def search_latency(store: SqlStorage, rounds: int) -> dict[str, float]:
    """p50/p99 of a full ``search()`` call: wall clock, and CPU time of this process."""
    for query in QUERIES:  # warm the cache once, as a running server would be
        store.search(query)
    wall, cpu = [], []
    for _ in range(rounds):
        for query in QUERIES:
            started, cpu_started = time.perf_counter(), time.process_time()
            store.search(query)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
    return {
        "p50": _p(wall, 0.5),
        "p99": _p(wall, 0.99),
        "cpu_p50": _p(cpu, 0.5),
        "cpu_p99": _p(cpu, 0.99),
        "n": len(wall),
    }


def sqlite_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def postgres_bytes(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        size = conn.exec_driver_sql(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')"
        ).scalar()
    engine.dispose()
    return int(size or 0)


def run(
    backend: str,
    count: int,
    batch: int,
    rounds: int,
    bodies: list[Body],
    keep: Path | None,
    pg_schema: str | None,
) -> None:
    with tempfile.TemporaryDirectory(
        prefix="newsfeed-bench-", dir=os.environ.get("BENCH_DIR")
    ) as tmp:
        if backend == "sqlite":
            path = keep or Path(tmp) / "bench.db"
            url = f"sqlite:///{path}"
        else:
            schema = pg_schema or f"nf_bench_{os.getpid()}"
            admin = sa.create_engine(PG_URL)
            with admin.begin() as conn:
                if not pg_schema:
                    conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
                conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            url = (
                sa.make_url(PG_URL)
                .update_query_dict({"options": f"-csearch_path={schema}"})
                .render_as_string(hide_password=False)
            )
        try:
            store = open_store(url)
            cpu = time.process_time()
            nan = float("nan")
            if store.count_articles() == 0:
                rate = insert(store, bodies, count, batch)
                cpu_rate = count / (time.process_time() - cpu)
                index_rate, index_cpu_rate = index(store, count)
            else:  # --db with a database filled by an earlier run: measure search only
                store.update_search()
                count, rate, cpu_rate = store.count_articles(), nan, nan
                index_rate = index_cpu_rate = nan
            if backend == "sqlite":
                with store._engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                size = sqlite_bytes(path)
            else:
                with store._engine.connect() as conn:
                    conn.exec_driver_sql("ANALYZE")
                size = postgres_bytes(url)
            latency = search_latency(store, rounds)
            store.close()
        finally:
            if backend == "postgres" and not pg_schema:
                with admin.begin() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            if backend == "postgres":
                admin.dispose()
    print(
        f"{backend} at {count:,} articles (batches of {batch}), "
        f"load average now {os.getloadavg()[0]:.1f}:"
    )
    if rate != rate:  # NaN: the database came from --db or --pg-schema
        print("  bulk insert        not measured (reused a database filled earlier)")
    else:
        print(f"  bulk insert        {rate:10,.0f} articles/s stored (wall clock)")
    if backend == "sqlite" and cpu_rate == cpu_rate:  # SQLite works in this process
        print(f"                     {cpu_rate:10,.0f} articles per CPU second of this process")
        print(
            f"  search indexing    {index_rate:10,.0f} articles/s by update_search"
            f" ({index_cpu_rate:,.0f} per CPU second)"
        )
        both = 1 / (1 / rate + 1 / index_rate)
        print(f"  stored and indexed {both:10,.0f} articles/s, the two one after the other")
    print(
        f"  search p50 / p99   {latency['p50']:10.1f} ms / {latency['p99']:.1f} ms wall clock"
        f"  ({latency['n']:.0f} queries)"
    )
    if backend == "sqlite":
        print(
            f"                     {latency['cpu_p50']:10.1f} ms / {latency['cpu_p99']:.1f} ms"
            " CPU time of this process"
        )
    print(f"  database size      {size / count:10,.0f} bytes/article  ({size / 1e9:.2f} GB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="how many (default 100000)")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--search-million", action="store_true", help="SQLite at 1,000,000 articles"
    )
    parser.add_argument("--batch", type=int, default=500, help="articles per upsert (default 500)")
    parser.add_argument("--rounds", type=int, default=10, help="times each query runs (default 10)")
    parser.add_argument(
        "--db", type=Path, help="SQLite file to fill and keep; if it has articles, only search"
    )
    parser.add_argument(
        "--pg-schema", help="PostgreSQL schema to fill and keep; if it has articles, only search"
    )
    args = parser.parse_args()
    bodies = load_bodies()
    sizes = [sum(len(p) for p in b.paragraphs) for b in bodies]
    print(
        f"{len(bodies)} real bodies, median {statistics.median(sizes):,.0f} characters, "
        f"mean {statistics.mean(sizes):,.0f}; load average {os.getloadavg()[0]:.1f}"
        f" on {os.cpu_count()} cores"
    )
    if args.search_million:
        args.backend, args.articles = "sqlite", 1_000_000
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    for backend in backends:
        run(backend, args.articles, args.batch, args.rounds, bodies, args.db, args.pg_schema)


if __name__ == "__main__":
    main()
