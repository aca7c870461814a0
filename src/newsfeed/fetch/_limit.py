"""Per-host politeness: how many requests to one host at once, and how far apart they start.

The fetcher asks a ``HostLimiter`` for a slot before each request. The default keeps its
books in this process; a shared one (``newsfeed.distributed``) keeps them in Redis so the
limits hold across every worker on every machine.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol

import anyio


class HostLimiter(Protocol):
    """Grants slots for requests to one host (``"name:port"``)."""

    def slot(self, host: str, delay: float | None = None) -> AbstractAsyncContextManager[None]:
        """Held for the whole of one request; entering waits until the host may be asked.
        ``delay`` overrides the limiter's spacing for this host (a robots.txt Crawl-delay)."""
        ...


@dataclass
class _Host:
    slots: anyio.Semaphore
    lock: anyio.Lock = field(default_factory=anyio.Lock)
    next_start: float = 0.0


class LocalHostLimiter:
    """Per-host limits kept in this process (the embedded default)."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.concurrency = concurrency
        self.delay = delay
        self._hosts: dict[str, _Host] = {}

    @asynccontextmanager
    async def slot(self, host: str, delay: float | None = None) -> AsyncIterator[None]:
        spacing = self.delay if delay is None else delay
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _Host(anyio.Semaphore(self.concurrency))
        async with state.slots:
            async with state.lock:
                now = time.monotonic()
                wait = state.next_start - now
                state.next_start = max(now, state.next_start) + spacing
            if wait > 0:
                await anyio.sleep(wait)
            yield
