"""One writer and several readers at once, a busy database, and a writer killed mid-batch."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_factory import new

from newsfeed.store import SqlStorage, _engine, open_store

WORKER = str(Path(__file__).with_name("store_worker.py"))


def _spawn(*args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, WORKER, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_one_writer_and_several_reader_processes(store_url: str) -> None:
    open_store(store_url).close()  # migrate once, up front
    procs = [_spawn(store_url, "write", 4)] + [_spawn(store_url, "read", 4) for _ in range(3)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
    assert outputs[0][0].startswith("wrote ")
    assert int(outputs[0][0].split()[1]) > 0
    assert all(int(out.split()[1]) > 0 for out, _ in outputs[1:])


def test_one_writer_and_reader_threads_share_a_store(store: SqlStorage) -> None:
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                store.list_articles(limit=10)
                store.search("alpha")
                store.count_articles()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for start in range(0, 300, 30):
            store.upsert_articles([new(n) for n in range(start, start + 30)])
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert store.count_articles() == 300


def test_a_write_waits_out_a_long_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Held past the busy timeout, the lock still only delays the write: it is retried."""
    monkeypatch.setattr(_engine, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "n.db"
    store = open_store(f"sqlite:///{path}")
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.8, lambda: blocker.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    [result] = store.upsert_articles([new(1)])
    assert time.monotonic() - started >= 0.5  # it really had to wait for the lock
    assert result.created
    release.join()
    blocker.close()
    store.close()


@pytest.mark.slow
def test_sigkill_in_the_middle_of_a_batch(store_url: str) -> None:
    total, size = 3000, 500
    open_store(store_url).close()
    proc = _spawn(store_url, "batch", total, size)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "begin 2":  # batches 0 and 1 are committed
            time.sleep(random.uniform(0.05, 0.25))
            break
    proc.kill()
    proc.wait(timeout=30)
    assert proc.returncode == -9

    engine = sa.create_engine(store_url)
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            conn.exec_driver_sql(
                "INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')"
            )
        stored = conn.exec_driver_sql("SELECT count(*) FROM articles").scalar()
    assert stored is not None
    assert stored % size == 0, f"a batch was half written: {stored} stories"
    assert size * 2 <= stored < total, f"the kill did not land mid-run: {stored} stories"

    rerun = _spawn(store_url, "batch", total, size)
    _out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    with engine.connect() as conn:
        count, keys, revisions, max_rev = conn.exec_driver_sql(
            "SELECT count(*), count(DISTINCT url_key), "
            "(SELECT count(*) FROM revisions), max(revision_count) FROM articles"
        ).one()
    engine.dispose()
    assert (count, keys, revisions, max_rev) == (total, total, total, 1)
    with open_store(store_url) as store:
        assert len(store.search("story drones", limit=50).items) == 50


def test_two_writers_racing_on_the_same_stories(store: SqlStorage) -> None:
    """Concurrent upserts of one batch: no error, no duplicate (PostgreSQL retries the loser)."""
    batch = [new(n) for n in range(200)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def write() -> None:
        try:
            barrier.wait()
            for start in range(0, 200, 50):
                store.upsert_articles(batch[start : start + 50])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count_articles() == 200
    assert all(len(store.get_revisions(r.article_id)) == 1 for r in store.upsert_articles(batch))
