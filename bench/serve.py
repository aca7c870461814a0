"""Serve benchmark: the web app over SQLite holding N stories, loaded from a second process.

Fills a SQLite file with ``--stories`` articles (real fundus articles from ../shared/data,
repeated with unique URLs and spread-out dates), starts uvicorn (``--workers`` processes) and
loads it over loopback with ``wrk`` (or a small asyncio httpx client when wrk is missing):

- river           GET /
- show-more-50    GET the page reached by following 50 "Show More" cursors
- article         GET /articles/{id}
- search          GET /search?q=...
- api-list        GET /api/v1/articles
- article-random  GET /articles/{random id of all}
- hello-world     a FastAPI hello world with the same workers, in the same run

each with the micro-cache on (2 s, the default) and off, and prints requests/s, p50 and p99
for each, with the servers' CPU time per request and the load average (on a shared machine
latency mostly measures the wait for a core; CPU per request much less so). Before that it
times the store calls behind the pages in one process. Targets on 2 cores at 1,000,000
stories: p99 <= 50 ms for river, article and API pages; throughput >= 30% of hello world's.

    uv run --group bench python bench/serve.py --stories 20000      # quick
    uv run --group bench python bench/serve.py --db /tmp/bench1m.db --fill-only   # fill once
    uv run --group bench python bench/serve.py --db /tmp/bench1m.db  # 1,000,000, reusing it
    uv run --group bench python bench/serve.py --db /tmp/bench1m.db --queries-only

Filling a million stories takes ~10 minutes (100,000 through the Storage API, the rest copied
in SQL) and ~4.7 GB; ``--db`` keeps the file for the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT.parent / "shared" / "data"
SECRET = "bench-secret-key-0123456789abcdef"


# --- the apps uvicorn imports in each worker ------------------------------------------


def make_app():  # type: ignore[no-untyped-def]
    from newsfeed.store import open_store
    from newsfeed.web import WebSettings, create_app
    from newsfeed.web._accounts import open_accounts

    url = os.environ["NEWSFEED_BENCH_DB"]
    settings = WebSettings(
        secret_key=SECRET, cache_seconds=float(os.environ["NEWSFEED_BENCH_CACHE"])
    )
    return create_app(open_store(url), settings, accounts=open_accounts(url))


def make_hello():  # type: ignore[no-untyped-def]
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/")
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app


# --- filling the database -------------------------------------------------------------


def _fundus_articles():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("web_fundus", ROOT / "tests/web/web_fundus.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.fundus_articles(DATA, use_extract=False)  # a template source: speed


def fill(url: str, stories: int, batch: int) -> float:
    from newsfeed.store import open_store
    from newsfeed.store._base import NewArticle

    store = open_store(url)
    templates = [_trim(a) for a in _fundus_articles()]
    sources = [
        store.add_source(f"https://bench{i}.example/feed.xml", f"Bench source {i}").id
        for i in range(50)
    ]
    start = time.perf_counter()
    newest = datetime(2026, 1, 1, tzinfo=UTC)
    for first in range(0, stories, batch):
        items = []
        for n in range(first, min(first + batch, stories)):
            base = templates[n % len(templates)]
            when = newest - timedelta(minutes=n * 3)
            article = replace(
                base,
                url=f"https://bench.example/{n}",
                canonical_url=None,
                title=f"{base.title} #{n}",
                published=when,
            )
            items.append(NewArticle(article, source_id=sources[n % len(sources)], fetched_at=when))
        store.upsert_articles(items, defer_search=True)
        done = min(first + batch, stories)
        if done % (batch * 20) == 0 or done == stories:
            rate = done / (time.perf_counter() - start)
            print(f"  filled {done:,} stories ({rate:,.0f}/s)", flush=True)
    store.update_search()
    store.close()
    return time.perf_counter() - start


_SHIFTED = "strftime('%Y-%m-%d %H:%M:%f', {col}, '-{minutes} minutes') || '000'"


def replicate(db: Path, base: int, stories: int) -> float:
    """Grow the database to ``stories`` by copying the first ``base`` stories in SQL (the
    bulk path: the triggers queue every copy for ``update_search``), each round older than
    the last."""
    import sqlite3

    from newsfeed.store import open_store

    start = time.perf_counter()
    conn = sqlite3.connect(db)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(articles)") if row[1] != "id"]
    have = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    round_no = 0
    while have < stories:
        round_no += 1
        take = min(base, stories - have)
        offset = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
        minutes = round_no * base * 3
        values = {c: c for c in columns}
        values["url_key"] = f"url_key || '/copy{round_no}'"
        values["url"] = f"url || '/copy{round_no}'"
        for col in ("published", "first_seen", "last_checked", "sort_time"):
            values[col] = _SHIFTED.format(col=col, minutes=minutes)
        select = ", ".join(values[c] for c in columns)
        with conn:
            conn.execute(
                f"INSERT INTO articles ({', '.join(columns)}) SELECT {select} FROM articles "
                f"WHERE id <= {take} ORDER BY id"
            )
            conn.execute(
                "INSERT INTO article_authors SELECT article_id + ?, position, name, role, bio, "
                "avatar_url FROM article_authors WHERE article_id <= ?",
                (offset, take),
            )
            conn.execute(
                "INSERT INTO revisions SELECT article_id + ?, number, fetched_at, title, text, "
                "editor_notes, diff FROM revisions WHERE article_id <= ? AND number = 1",
                (offset, take),
            )
        have += take
        rate = (have - base) / (time.perf_counter() - start)
        print(f"  copied up to {have:,} stories ({rate:,.0f}/s)", flush=True)
    conn.close()
    store = open_store(f"sqlite:///{db}")
    print(f"  indexed {store.update_search():,} copies for search", flush=True)
    store.close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA optimize")
    conn.close()
    return time.perf_counter() - start


def _trim(article):  # type: ignore[no-untyped-def]
    """Keep the bench database to a sane size: the first few blocks of each real article."""
    blocks = tuple(replace(b, text=b.text[:400]) for b in article.blocks[:3])
    text = "\n".join(b.text for b in blocks)
    return replace(article, blocks=blocks, text=text, word_count=len(text.split()), figures=())


# --- serving and loading --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_worker(factory: str, port: int) -> None:
    """One server process on a SO_REUSEPORT socket: the kernel spreads connections over
    the processes. TCP_NODELAY matters: without it on a socket handed to uvicorn, every
    response waited ~40 ms for delayed ACKs (uvicorn's own ``--workers`` mode shows this)."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", port))
    app = {"make_app": make_app, "make_hello": make_hello}[factory]()
    from newsfeed.web import freeze_heap

    freeze_heap()  # as newsfeed's own serve does
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    uvicorn.Server(config).run(sockets=[sock])


def start(
    factory: str, workers: int, db_url: str, cache: float = 2.0
) -> tuple[list[subprocess.Popen[bytes]], str]:
    port = _free_port()
    env = dict(os.environ, NEWSFEED_BENCH_DB=db_url, NEWSFEED_BENCH_CACHE=str(cache))
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", factory, "--port", str(port)], env=env
        )
        for _ in range(workers)
    ]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a busy machine, or no compiled bytecode yet
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/", timeout=2).status_code < 500:
                time.sleep(1.0)  # let every worker finish starting
                return procs, base
        except httpx.HTTPError:
            time.sleep(0.2)
    stop(procs)
    raise SystemExit(f"the {factory} server did not start")


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


RANDOM_ARTICLE_LUA = """
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/articles/" .. math.random(1, %d))
end
"""


def load_wrk(
    url: str, seconds: int, connections: int, threads: int, script: str | None = None
) -> tuple[float, float, float]:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        if script:
            lua.write(script)
            lua.flush()
            cmd += ["-s", lua.name]
        out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    if "Non-2xx" in out:
        raise SystemExit(f"{url} answered errors under load:\n{out}")
    return rps, p50, p99


async def _load_httpx(
    url: str, seconds: int, connections: int, random_to: int | None = None
) -> tuple[float, float, float]:
    import random

    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds

    async def worker(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            target = url if random_to is None else f"{url}/articles/{random.randint(1, random_to)}"
            response = await client.get(target)
            response.raise_for_status()
            latencies.append((time.perf_counter() - t) * 1000)

    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(connections)))
        elapsed = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / elapsed, cuts[49], cuts[98]


def load(
    url: str, args: argparse.Namespace, random_to: int | None = None
) -> tuple[float, float, float]:
    """Load ``url`` (or, with ``random_to``, random article pages 1..random_to under it)."""
    if shutil.which("wrk") and not args.httpx:
        script = RANDOM_ARTICLE_LUA % random_to if random_to else None
        return load_wrk(url, args.seconds, args.connections, threads=1, script=script)
    return asyncio.run(_load_httpx(url, args.seconds, args.connections, random_to))


def follow_show_more(base: str, pages: int) -> str:
    path = "/"
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(pages):
            html = client.get(path).text
            match = re.search(r'class="show-more" href="([^"]+)"', html)
            if not match:
                raise SystemExit(f"ran out of pages before {pages} Show More clicks")
            path = unescape(match.group(1))
    return path


def query_timings(url: str, top_id: int, repeat: int = 200) -> None:
    """The store calls behind each page, timed in this process (no HTTP, no other load):
    what the database and the decoding of rows cost, apart from the web layer."""
    from newsfeed.store import open_store

    store = open_store(url)
    cursor = None
    for _ in range(50):
        cursor = store.list_articles(cursor=cursor, limit=20, body=False).next_cursor
    middle = max(1, top_id // 2)
    calls = {
        "river list (brief rows)": lambda: store.list_articles(limit=20, body=False),
        "river list (full rows)": lambda: store.list_articles(limit=20),
        "51st page list (brief)": lambda: store.list_articles(cursor=cursor, limit=20, body=False),
        "get_article": lambda: store.get_article(middle),
        "get_analysis": lambda: store.get_analysis(middle),
        "get_duplicates": lambda: store.get_duplicates(middle),
        "list_sources": store.list_sources,
        "search 'Putin'": lambda: store.search("Putin", limit=20),
    }
    print(f"\nstore calls in one process, {repeat} times each")
    print(f"{'call':<26}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms':>9}")
    for name, call in calls.items():
        call()
        wall = []
        cpu = time.process_time()
        for _ in range(repeat):
            began = time.perf_counter()
            call()
            wall.append((time.perf_counter() - began) * 1000)
        cpu_ms = (time.process_time() - cpu) * 1000 / repeat
        cuts = statistics.quantiles(wall, n=100)
        print(f"{name:<26}{cuts[49]:>9.2f}{cuts[98]:>9.2f}{cpu_ms:>9.2f}")
    store.close()


def _top_id(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        top = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    if not top:
        raise SystemExit(f"{db} holds no stories")
    return int(top)


Row = tuple[float, float, float, float, float]
"""requests/s, p50 ms, p99 ms, server CPU ms per request, 1-minute load average after."""


def _cpu_seconds(procs: list[subprocess.Popen[bytes]]) -> float:
    """User + system CPU time of the server processes so far (Linux /proc)."""
    total = 0
    for proc in procs:
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def measured(
    procs: list[subprocess.Popen[bytes]],
    url: str,
    args: argparse.Namespace,
    random_to: int | None = None,
) -> Row:
    """``load``, plus the servers' CPU time per request: a figure that a busy machine
    disturbs far less than latency (which then mostly measures waiting for a core)."""
    before = _cpu_seconds(procs)
    rps, p50, p99 = load(url, args, random_to)
    cpu_ms = (_cpu_seconds(procs) - before) * 1000 / max(1.0, rps * args.seconds)
    return rps, p50, p99, cpu_ms, os.getloadavg()[0]


def run_hello(url: str, args: argparse.Namespace) -> Row:
    procs, base = start("make_hello", args.workers, url)
    try:
        return measured(procs, base + "/", args)
    finally:
        stop(procs)


def run_app(url: str, args: argparse.Namespace, cache: float) -> dict[str, Row]:
    procs, base = start("make_app", args.workers, url, cache)
    try:
        more = follow_show_more(base, 50)
        count = args.top_id
        scenarios = {
            "river": "/",
            "show-more-50": more,
            "article": f"/articles/{max(1, count // 2)}",
            "search": "/search?q=Putin",
            "api-list": "/api/v1/articles",
        }
        results = {name: measured(procs, base + path, args) for name, path in scenarios.items()}
        results["article-random"] = measured(procs, base, args, random_to=count)
        return results
    finally:
        stop(procs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="reuse (or create) this SQLite file")
    parser.add_argument("--fill-only", action="store_true", help="fill --db and stop")
    parser.add_argument(
        "--queries-only", action="store_true", help="time the store calls only, no HTTP load"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seconds", type=int, default=10, help="load time per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument(
        "--upserted",
        type=int,
        default=100_000,
        help="stories stored through the Storage API; the rest are SQL copies",
    )
    parser.add_argument(
        "--cache",
        type=float,
        nargs="*",
        default=[2.0, 0.0],
        help="micro-cache seconds to measure (default: 2 and 0 = off)",
    )
    parser.add_argument("--httpx", action="store_true", help="use the httpx client, not wrk")
    parser.add_argument("--worker", choices=["make_app", "make_hello"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.port)
        return
    if not DATA.is_dir():
        raise SystemExit(f"shared data not found at {DATA}")

    workdir = None if args.db else Path(tempfile.mkdtemp(prefix="newsfeed-web-bench-"))
    db = args.db or workdir / "bench.db"  # type: ignore[operator]
    url = f"sqlite:///{db}"
    if not db.exists():
        base = min(args.stories, args.upserted)
        print(f"filling {db}: {base:,} stories through store.upsert_articles …", flush=True)
        seconds = fill(url, base, args.batch)
        if args.stories > base:
            print(f"… and copies up to {args.stories:,} in bulk SQL", flush=True)
            seconds += replicate(db, base, args.stories)
        print(f"filled in {seconds:.0f} s ({db.stat().st_size / 1e6:,.0f} MB)", flush=True)
    if args.fill_only:
        return
    args.top_id = _top_id(db)  # the river shows the newest first: not the highest ids
    print(f"1-minute load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    query_timings(url, args.top_id)
    if args.queries_only:
        return

    # The machine is shared: hello world is measured before and after the app, and the
    # better of the two is the yardstick (the conservative choice for the ratio).
    hellos = [run_hello(url, args)]
    results = {f"cache {c:g}s": run_app(url, args, c) for c in args.cache}
    hellos.append(run_hello(url, args))
    hello = max(hellos)
    if workdir:
        shutil.rmtree(workdir, ignore_errors=True)

    tool = "httpx" if args.httpx or not shutil.which("wrk") else "wrk"
    print(
        f"\n{args.stories:,} stories · {args.workers} workers · {args.connections} connections"
        f" · {args.seconds}s each · {tool} on loopback · 1-minute load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"{'scenario':<16}{'micro-cache':>12}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'vs hello':>10}{'CPU ms/req':>12}{'load':>6}"
    )
    rows = [(name, mode, row) for mode, found in results.items() for name, row in found.items()]
    rows += [("hello-world", "before" if n == 0 else "after", row) for n, row in enumerate(hellos)]
    for name, mode, (rps, p50, p99, cpu_ms, load_avg) in rows:
        print(
            f"{name:<16}{mode:>12}{rps:>9.0f}{p50:>9.1f}{p99:>9.1f}{rps / hello[0]:>10.0%}"
            f"{cpu_ms:>12.2f}{load_avg:>6.1f}"
        )


if __name__ == "__main__":
    main()
