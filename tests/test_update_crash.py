"""SIGKILL in the middle of an update, then update again: no story lost, none duplicated."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from simulator import Knobs, Simulator


def stored(db: Path) -> tuple[int, int]:
    """(rows, distinct story keys) in the articles table; (0, 0) before it exists."""
    try:
        with sqlite3.connect(db, timeout=10) as conn:
            row = conn.execute("SELECT count(*), count(DISTINCT url_key) FROM articles").fetchone()
            return int(row[0]), int(row[1])
    except sqlite3.OperationalError:
        return 0, 0


def test_killed_update_then_update_again_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("NEWSFEED_DATABASE_URL", None)
    env.update(NEWSFEED_HOME=str(tmp_path), NEWSFEED_ALLOW_PRIVATE_ADDRESSES="true")
    db = tmp_path / "newsfeed.db"
    cmd = [sys.executable, "-m", "newsfeed"]
    # Slow pages, so the kill lands while stories are still arriving.
    with Simulator(publishers=4, items=8, knobs=Knobs(latency=0.1)) as sim:
        for pub in sim.publishers:
            subprocess.run([*cmd, "add", pub.feed_url], env=env, check=True, timeout=60)
        proc = subprocess.Popen([*cmd, "update"], env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while stored(db)[0] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        partial = stored(db)[0]
        assert 0 < partial < 32, "the kill should land mid-round"
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        again = subprocess.run([*cmd, "update", "--all"], env=env, timeout=300)
        assert again.returncode == 0
    assert stored(db) == (32, 32)
