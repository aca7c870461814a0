"""The pool's processes end with the process that made them, even when it is SIGKILLed."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

OWNER = """
import os, time
from newsfeed._pool import process_pool

pool = process_pool(2)
pool.submit(os.getpid).result()  # the pool starts its processes on first use
print(" ".join(str(pid) for pid in pool._processes), flush=True)
time.sleep(120)
"""


def alive(pid: int) -> bool:
    """Running; an exited process that its new parent has not reaped yet counts as gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def test_pool_processes_exit_after_their_owner_is_killed() -> None:
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    workers = [int(pid) for pid in owner.stdout.readline().split()]
    try:
        assert len(workers) == 2
        assert all(alive(pid) for pid in workers)
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers), "the pool outlived its owner"
    finally:
        owner.kill()
        owner.wait()
        for pid in workers:  # should the test fail, leave no orphan behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
