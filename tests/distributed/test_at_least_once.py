"""At-least-once, no duplicates: real Celery worker processes killed with SIGKILL at random
while they fetch, extract and store, against a real PostgreSQL, a real Redis and the
simulator as the web. Afterwards the store must hold every story of the simulator exactly
once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from newsfeed._simulator_content import article_html
from newsfeed.store import open_store
from simulator import Knobs, Simulator

PUBLISHERS = 12
ITEMS = 10
WORKERS = 3
KILLS = 6


class Workers:
    """``newsfeed worker`` subprocesses, each in its own process group."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.procs: list[subprocess.Popen[bytes]] = []
        self.log_of: dict[int, Path] = {}

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        path = self.logs / f"proc-{len(self.procs) + 1}.log"
        log = path.open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsfeed", *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        self.log_of[proc.pid] = path
        return proc

    def busy(self, proc: subprocess.Popen[bytes]) -> bool:
        """Whether the worker is in the middle of a task, by its own log."""
        lines = self.log_of[proc.pid].read_text(errors="replace").splitlines()
        events = [line for line in lines if "] received" in line or "] succeeded" in line]
        return proc.poll() is None and bool(events) and events[-1].endswith("received")

    def pick_busy(self, rng: random.Random, workers: list[subprocess.Popen[bytes]]) -> int:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            busy = [n for n, proc in enumerate(workers) if self.busy(proc)]
            if busy:
                return rng.choice(busy)
            time.sleep(0.1)
        raise AssertionError("no worker took a task within a minute")

    def kill_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)


def serve_every_story(sim: Simulator) -> None:
    """Serve each story at the URL its feed links to. (The simulator's feeds number stories
    across all publishers while its page route counts within one, so beyond the first
    publisher every page would answer 404.)"""
    html = {"Content-Type": "text/html; charset=utf-8"}
    for pub in sim.publishers:
        for story in pub.stories:
            pub.set_route(f"/articles/{story.index}.html", article_html(story, False), 200, html)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


@contextmanager
def running(env: dict[str, str], logs: Path) -> Iterator[Workers]:
    workers = Workers(env, logs)
    try:
        yield workers
    finally:
        workers.kill_all()


def _kill(rng: random.Random, proc: subprocess.Popen[bytes]) -> str:
    """SIGKILL the pool child (the main process requeues its task) or the whole worker
    (its unacknowledged task comes back after the visibility timeout)."""
    children = _children(proc.pid)
    if children and rng.random() < 0.5:
        os.kill(rng.choice(children), signal.SIGKILL)
        return "child"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return "worker"


@pytest.mark.slow
@pytest.mark.postgres
def test_workers_killed_at_random_lose_nothing_and_duplicate_nothing(
    pg_url: str, redis_url: str, shared_data: Path, tmp_path: Path
) -> None:
    seed = int(os.environ.get("NEWSFEED_TEST_SEED", time.time_ns() % 10_000))
    rng = random.Random(seed)
    print(f"seed {seed}")
    env = dict(
        os.environ,
        NEWSFEED_HOME=str(tmp_path / "home"),
        NEWSFEED_DATABASE_URL=pg_url,
        NEWSFEED_BROKER_URL=redis_url,
        NEWSFEED_ALLOWED_NETWORKS="127.0.0.0/8",
        NEWSFEED_HOST_DELAY="0",
        NEWSFEED_VISIBILITY_TIMEOUT="5",
        NEWSFEED_RUNNING_TTL="3",
        NEWSFEED_QUEUED_TTL="20",
        NEWSFEED_SCHEDULER_TICK="1",
    )
    pages = shared_data / "pages" / "fundus"
    # Latency stretches each feed task over seconds, so the kills land mid-task.
    with Simulator(PUBLISHERS, ITEMS, pages=pages, knobs=Knobs(latency=0.25)) as sim:
        serve_every_story(sim)
        with open_store(pg_url) as store:
            for pub in sim.publishers:
                store.add_source(pub.feed_url, "")
        with running(env, tmp_path) as procs:
            workers = [procs.start("worker", "--concurrency", "1") for _ in range(WORKERS)]
            procs.start("scheduler")
            kills = []
            for _ in range(KILLS):
                victim = procs.pick_busy(rng, workers)
                time.sleep(rng.uniform(0.0, 1.5))  # somewhere inside the task
                kills.append(_kill(rng, workers[victim]))
                if workers[victim].poll() is not None:
                    workers[victim] = procs.start("worker", "--concurrency", "1")
            finished = _wait_until_done(pg_url, redis_url, PUBLISHERS * ITEMS, timeout=150)
        feed_fetches = sum(p.stats.hits[p.feed_path] for p in sim.publishers)
        urls = {p.article_url(s.index) for p in sim.publishers for s in p.stories}
    print(f"kills: {kills}; feed fetches: {feed_fetches} for {PUBLISHERS} feeds")
    assert len(kills) == KILLS
    assert finished, _logs(tmp_path)
    # Killed mid-task, some feeds were fetched again by the task's second delivery.
    assert feed_fetches > PUBLISHERS
    _check_store(pg_url, urls)


def _wait_until_done(pg_url: str, redis_url: str, expected: int, timeout: float) -> bool:
    client = redis.Redis.from_url(redis_url)
    engine = sa.create_engine(pg_url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                stored = conn.exec_driver_sql("SELECT count(*) FROM articles").scalar_one()
                waiting = conn.exec_driver_sql(
                    "SELECT count(*) FROM sources WHERE last_fetched IS NULL"
                ).scalar_one()
            in_flight = list(client.scan_iter("newsfeed:queued:*"))
            if stored >= expected and not waiting and not in_flight:
                return True
            time.sleep(0.5)
        return False
    finally:
        client.close()
        engine.dispose()


def _check_store(pg_url: str, urls: set[str]) -> None:
    with open_store(pg_url) as store:
        assert store.count_articles() == len(urls)
        records = store.list_articles(limit=500).items
        assert {r.article.url for r in records} == urls
        # A task run twice stores identical content: no second revision, ever.
        assert {r.revision_count for r in records} == {1}
        assert not [r for r in records if r.extract_error]
        for source in store.list_sources():
            assert source.last_error is None
            assert source.last_fetched is not None
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        revisions = conn.exec_driver_sql("SELECT count(*) FROM revisions").scalar_one()
        keys = conn.exec_driver_sql("SELECT count(DISTINCT url_key) FROM articles").scalar_one()
    engine.dispose()
    assert revisions == len(urls)
    assert keys == len(urls)


def _logs(folder: Path) -> str:
    tails = [f"--- {log.name}\n" + log.read_text()[-1500:] for log in sorted(folder.glob("*.log"))]
    return "\n".join(tails)
