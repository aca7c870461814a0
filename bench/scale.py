"""Scale-out benchmark: stories/s with 1, 2 and 4 Celery worker processes on PostgreSQL, and
WARC import stories/s against ``extract``'s own throughput per core.

Ingestion: the simulator serves ``--feeds`` feeds of ``--items`` real pages (fundus) each;
every story gets its own canonical URL so that each is a distinct story. For each worker
count: a fresh PostgreSQL schema, a flushed Redis database, N ``newsfeed worker
--concurrency 1`` processes started and ready, then every feed queued at once; the clock
stops when every feed was fetched and every task finished.

WARC import: a WARC file of ``--records`` records built from the fundus pages (repeated with
distinct URLs and canonical links), imported with every core into PostgreSQL twice: without
after-store steps, and as if fetched (enrichment and story clustering). Per core, each is
compared with the same per-page work done bare, warm, on as many processes at once (what the
cores give together on this machine, where two busy processes each run slower than one):
``extract()`` alone, and ``extract()`` with the steps' ``prepare`` (enrichment's analysis,
the near-duplicate signature). What is left is the import's own cost: reading the archive,
handing pages over, storing, linking entities and clustering. Each figure is also given per
CPU-second (the PostgreSQL server's own time is not counted), which a busy shared machine
disturbs less than the clock; the import as if fetched is also set against ``extract()``
alone, for the record.

    uv run python bench/scale.py                  # the full run (minutes)
    uv run python bench/scale.py --feeds 8 --items 5 --records 300 --workers 1,2
"""

from __future__ import annotations

import argparse
import gzip
import io
import itertools
import json
import multiprocessing
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from multiprocessing.queues import SimpleQueue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from urllib.parse import urlsplit

import redis
import sqlalchemy as sa
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfeed._prepare import PageIn, prepare_many, warm_up
from newsfeed._simulator import Simulator
from newsfeed._simulator_content import article_html
from newsfeed.distributed._app import make_app
from newsfeed.distributed._config import ClusterConfig
from newsfeed.distributed._import import import_files
from newsfeed.distributed._scheduler import schedule_once
from newsfeed.enrich.step import EnrichStep, stored_entity_keys
from newsfeed.store import open_store
from newsfeed.store._scratch import scratch_schema
from newsfeed.stories.step import StoryStep
from newsfeed.update import AfterStore, Prepare, UpdateOptions, prepares_of, utcnow

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FUNDUS = DATA / "pages" / "fundus"
POSTGRES = os.environ.get(
    "NEWSFEED_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS = os.environ.get("NEWSFEED_BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
_CANONICAL = re.compile(
    rb"<link[^>]+rel=[\"']?canonical[^>]*>|<meta[^>]+property=[\"']og:url[\"'][^>]*>", re.I
)
_HEAD = re.compile(rb"<head[^>]*>", re.I)
_schemas = itertools.count()


def with_canonical(html: bytes, url: str) -> bytes:
    """The page claiming ``url`` as its canonical address (so copies are distinct stories)."""
    html = _CANONICAL.sub(b"", html)
    link = f'<link rel="canonical" href="{url}">'.encode()
    found = _HEAD.search(html)
    at = found.end() if found else 0
    return html[:at] + link + html[at:]


def fresh_schema() -> AbstractContextManager[str]:
    return scratch_schema(POSTGRES, f"nf_bench_{os.getpid()}_{next(_schemas)}")


# --- ingestion with N workers ------------------------------------------------------------


def distinct_stories(sim: Simulator) -> None:
    """Serve each story at the URL its feed links to, with that URL as its canonical one:
    the fundus pages repeat across publishers, and repeats would otherwise be one story.
    (Routes also work around the simulator's page route, which counts stories within one
    publisher while its feeds number them across all.)"""
    html = {"Content-Type": "text/html; charset=utf-8"}
    for pub in sim.publishers:
        for story in pub.stories:
            url = pub.article_url(story.index)
            body = with_canonical(article_html(story, False), url)
            pub.set_route(f"/articles/{story.index}.html", body, 200, html)


@contextmanager
def workers(count: int, env: dict[str, str], logs: Path) -> Iterator[list[int]]:
    procs = []
    for n in range(count):
        log = (logs / f"worker-{count}-{n}.log").open("wb")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "newsfeed", "worker", "--concurrency", "1"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    try:
        deadline = time.monotonic() + 180
        for n in range(count):
            path = logs / f"worker-{count}-{n}.log"
            while b" ready." not in path.read_bytes():
                if time.monotonic() > deadline or procs[n].poll() is not None:
                    raise SystemExit(f"worker {n} did not start:\n{path.read_text()[-2000:]}")
                time.sleep(0.2)
        yield [proc.pid for proc in procs]
    finally:
        for proc in procs:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def ingest(sim: Simulator, count: int, logs: Path) -> tuple[int, float, float, float]:
    """Stories stored, seconds taken, CPU-seconds of the workers (with their pool processes)
    and of this process (the simulator, mostly) by ``count`` worker processes."""
    client = redis.Redis.from_url(REDIS)
    client.flushdb()
    with fresh_schema() as url:
        with open_store(url) as store:
            for pub in sim.publishers:
                store.add_source(pub.feed_url, pub.name)
        env = dict(
            os.environ,
            NEWSFEED_HOME=str(logs / "home"),
            NEWSFEED_DATABASE_URL=url,
            NEWSFEED_BROKER_URL=REDIS,
            NEWSFEED_ALLOWED_NETWORKS="127.0.0.0/8",
            NEWSFEED_HOST_DELAY="0",
            NEWSFEED_LOG_LEVEL="INFO",
        )
        config = ClusterConfig(url, REDIS, REDIS, UpdateOptions())
        with workers(count, env, logs) as pids, open_store(url) as store:
            started, own, busy = time.perf_counter(), time.process_time(), tree_cpu(pids)
            schedule_once(store, client, make_app(config), config, utcnow())
            _wait_for(url, client)
            elapsed = time.perf_counter() - started
            busy, own = tree_cpu(pids) - busy, time.process_time() - own
            stored = store.count_articles()
    client.flushdb()
    client.close()
    return stored, elapsed, busy, own


def tree_cpu(pids: list[int]) -> float:
    """CPU-seconds used so far by these processes and their live children (from /proc)."""
    total = 0.0
    for pid in pids:
        with suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            total += tree_cpu([int(c) for c in children])
    return total


def _wait_for(url: str, client: redis.Redis, limit: float = 900.0) -> None:
    engine = sa.create_engine(url)
    deadline = time.monotonic() + limit
    try:
        while True:
            if time.monotonic() > deadline:  # a stuck task must not hang the benchmark
                stuck = sorted(k.decode() for k in client.scan_iter("newsfeed:*"))
                raise SystemExit(f"not done after {limit:.0f} s; still held: {stuck}")
            with engine.connect() as conn:
                waiting = conn.exec_driver_sql(
                    "SELECT count(*) FROM sources WHERE last_fetched IS NULL"
                ).scalar_one()
            if not waiting and not list(client.scan_iter("newsfeed:queued:*")):
                return
            time.sleep(0.1)
    finally:
        engine.dispose()


# --- WARC import --------------------------------------------------------------------------


def fundus_pages() -> list[tuple[str, bytes]]:
    index = json.loads((FUNDUS / "index.json").read_text())["pages"]
    return [
        (
            p["url"],
            gzip.decompress(
                (FUNDUS / Path(p["files"]["html"]).parent / "page.html.gz").read_bytes()
            ),
        )
        for p in index
    ]


def build_warc(path: Path, records: int) -> list[tuple[str, bytes]]:
    """A WARC of ``records`` distinct pages (the fundus pages over and over)."""
    pages = fundus_pages()
    written = []
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n in range(records):
            original, html = pages[n % len(pages)]
            host = urlsplit(original).hostname
            url = f"https://{host}/bench/{n}"
            body = with_canonical(html, url)
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
            written.append((url, body))
    return written


def _bare_run(
    pages: list[PageIn],
    prepares: tuple[Prepare, ...],
    ready: Barrier,
    results: SimpleQueue[tuple[int, float, float, float]],
) -> None:
    warm_up(prepares)  # word lists and gazetteers load before the clock, as in the import
    ready.wait()
    started, cpu = time.perf_counter(), time.process_time()
    prepare_many(pages, prepares)
    results.put((len(pages), time.process_time() - cpu, started, time.perf_counter()))


def bare_rate(
    pages: list[tuple[str, bytes]], prepares: tuple[Prepare, ...], processes: int
) -> tuple[float, float]:
    """Pages/s, by the clock and per CPU-second, of the per-page work alone (``extract()``
    and the steps' ``prepare``, as an import's pool runs it) on ``processes`` processes at
    once, every one warm and started together: no archive, no store, no hand-over."""
    context = multiprocessing.get_context("fork")
    ready, results = context.Barrier(processes), context.SimpleQueue()
    chunks = [[PageIn(url, body) for url, body in pages[n::processes]] for n in range(processes)]
    children = [
        context.Process(target=_bare_run, args=(chunk, prepares, ready, results))
        for chunk in chunks
    ]
    for child in children:
        child.start()
    got = [results.get() for _ in children]
    for child in children:
        child.join()
    # Each process's own rate, summed: one that ends first must not count as idle time.
    rate = sum(done / (ended - started) for done, _, started, ended in got)
    return rate, sum(g[0] for g in got) / sum(g[1] for g in got)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the import's pool)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def import_rate(path: Path, cores: int, steps: tuple[AfterStore, ...]) -> tuple[float, float]:
    """Stories/s of ``import-warc`` on every core into a fresh PostgreSQL schema, by the
    clock and per CPU-second (this process and its pool)."""
    with fresh_schema() as url:
        cpu = cpu_seconds()
        report = import_files(url, [path], processes=cores, after_store=steps)
        used = cpu_seconds() - cpu
    rate = report.stored / report.elapsed
    what = "as if fetched (enrichment, stories)" if steps else "no after-store steps"
    print(
        f"  import-warc, {what}, {cores} processes: {rate:6.1f} stories/s "
        f"({report.stored} stored, {report.failed} failed, {report.elapsed:.1f} s; "
        f"{report.stored / used:.1f} per CPU-second; load {os.getloadavg()[0]:.1f})"
    )
    return rate, report.stored / used


def warc_import(records: int, baseline: int, workdir: Path) -> None:
    path = workdir / "bench.warc.gz"
    pages = build_warc(path, records)
    size = path.stat().st_size / 1e6
    cores = os.cpu_count() or 1
    sample = pages[:baseline]
    steps = (EnrichStep(), StoryStep(entity_keys=stored_entity_keys))
    print(f"\nWARC import: {records} records, {size:.1f} MB gzip, {cores} cores")
    bare: dict[tuple[str, int], tuple[float, float]] = {}
    for name, prepares in (("extract()", ()), ("extract() + steps' prepare", prepares_of(steps))):
        for processes in sorted({1, cores}):
            rate, cpu = bare_rate(sample, prepares, processes)
            bare[name, processes] = rate, cpu
            print(
                f"  {name}, {baseline} pages, {processes} process{'es' if processes > 1 else ''}"
                f" at once: {rate:6.1f} pages/s ({rate / processes:.1f} per core, "
                f"{cpu:.1f} per CPU-second; load {os.getloadavg()[0]:.1f})"
            )
    plain = import_rate(path, cores, ())
    fetched = import_rate(path, cores, steps)
    print(f"  per core, against the same work done bare on {cores} processes at once (>= 80%):")
    print(_against("import, no after-store steps", plain, bare["extract()", cores]))
    print(_against("import as if fetched", fetched, bare["extract() + steps' prepare", cores]))
    print("  per core, against one process doing extract() alone (by the clock, CPU):")
    for name, result in (
        ("import, no after-store steps", plain),
        ("import as if fetched", fetched),
    ):
        print(_against(name, (result[0] / cores, result[1]), bare["extract()", 1]))


def _against(name: str, result: tuple[float, float], base: tuple[float, float]) -> str:
    return (
        f"    {name:<29} {result[0] / base[0]:4.0%} by the clock, "
        f"{result[1] / base[1]:4.0%} per CPU-second"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=40)
    parser.add_argument("--items", type=int, default=25)
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--records", type=int, default=2000, help="WARC records")
    parser.add_argument("--baseline", type=int, default=258, help="pages for extract() alone")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-warc", action="store_true")
    args = parser.parse_args()
    if not FUNDUS.is_dir():
        raise SystemExit(f"shared data not found at {FUNDUS}")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if not args.skip_ingest:
            run_ingestion(args, workdir)
        if not args.skip_warc:
            warc_import(args.records, min(args.baseline, args.records), workdir)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def run_ingestion(args: argparse.Namespace, workdir: Path) -> None:
    counts = [int(n) for n in args.workers.split(",")]
    print(f"\nIngestion: {args.feeds} feeds x {args.items} stories (fundus pages), PostgreSQL")
    base = None
    with Simulator(args.feeds, args.items, pages=FUNDUS) as sim:
        distinct_stories(sim)
        for count in counts:
            stored, elapsed, busy, own = ingest(sim, count, workdir)
            rate = stored / elapsed
            base = base or rate
            print(
                f"  {count} worker process{'es' if count > 1 else '  '}: {rate:6.1f} stories/s "
                f"({stored} stories in {elapsed:.1f} s; x{rate / base:.2f} of 1 worker; "
                f"workers {busy:.0f} CPU-s = {stored / busy:.1f} stories per CPU-second, "
                f"simulator and bench {own:.0f} CPU-s; load {os.getloadavg()[0]:.1f})"
            )


if __name__ == "__main__":
    main()
