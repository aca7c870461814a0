"""Process pools whose processes end with the process that made them.

A ``ProcessPoolExecutor`` shuts its processes down when its owner exits cleanly, but a
SIGKILL (or an OOM kill) gives the owner no chance: the pool's processes then wait for work
for ever, each holding its share of memory. Each process here watches its parent and exits
once the parent is gone (it has been given to another parent by then).
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext

WATCH_INTERVAL = 0.5
"""Seconds between looks at the parent: how long an orphan outlives it, at most."""


def process_pool(workers: int, mp_context: BaseContext | None = None) -> ProcessPoolExecutor:
    """A process pool of ``workers`` processes that exit when this process dies."""
    return ProcessPoolExecutor(workers, mp_context=mp_context, initializer=_exit_with_parent)


def _exit_with_parent() -> None:
    parent = os.getppid()
    watcher = threading.Thread(
        target=_watch, args=(parent,), name="newsfeed-parent-watch", daemon=True
    )
    watcher.start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)  # no clean-up: there is nobody left to hand results to
