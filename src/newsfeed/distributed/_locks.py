"""Per-source locks in Redis: ``SET NX PX`` to take, a compare-and-delete script to give back.

Two locks per feed. *queued* is taken by the scheduler when it sends the feed's task and
given back when the task ends, so a feed has at most one task in flight. *running* is taken
by the worker for as long as it works on the feed and renewed while it does, so the same
task delivered twice (Redis redelivers after the visibility timeout) never fetches a feed
twice at once; a worker killed mid-task lets go when the lock's short lifetime runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial

import anyio
import redis
import redis.asyncio as aioredis

PREFIX = "newsfeed"

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


def queued_key(kind: str, ident: int) -> str:
    return f"{PREFIX}:queued:{kind}:{ident}"


def running_key(kind: str, ident: int) -> str:
    return f"{PREFIX}:running:{kind}:{ident}"


def claim(client: redis.Redis, key: str, ttl: float) -> str | None:
    """A fresh token when the lock was free (and is now ours), else None."""
    token = secrets.token_hex(8)
    taken = client.set(key, token, nx=True, px=max(1, int(ttl * 1000)))
    return token if taken else None


def release(client: redis.Redis, key: str, token: str) -> None:
    client.eval(_RELEASE, 1, key, token)


async def release_async(client: aioredis.Redis, key: str, token: str) -> None:
    await client.eval(_RELEASE, 1, key, token)


@contextlib.asynccontextmanager
async def holding(client: aioredis.Redis, key: str, ttl: float) -> AsyncIterator[bool]:
    """Take ``key`` if free, keep renewing it while the block runs, give it back after.

    Yields whether the lock was taken; when not, the block should not do the work.
    """
    token = secrets.token_hex(8)
    ttl_ms = max(1, int(ttl * 1000))
    if not await client.set(key, token, nx=True, px=ttl_ms):
        yield False
        return
    try:
        async with renewing(partial(client.eval, _RENEW, 1, key, token, ttl_ms), ttl_ms / 3000):
            yield True
    finally:
        await release_async(client, key, token)


@contextlib.asynccontextmanager
async def renewing(renew: Callable[[], Awaitable[object]], every: float) -> AsyncIterator[None]:
    """Call ``renew`` every ``every`` seconds while the block runs.

    The renewer stops on a flag as well as on cancellation: a cancellation that lands while
    ``renew`` waits on Redis can be swallowed, and a renewer that only listened for it then
    renewed for ever, holding its lock or slot while the block's exit waited for it (a feed
    task hung that way under heavy load).
    """
    done = asyncio.Event()

    async def loop() -> None:
        while not done.is_set():
            await asyncio.sleep(every)
            if not done.is_set():
                await renew()

    renewer = asyncio.create_task(loop())
    try:
        yield
    finally:
        done.set()
        renewer.cancel()
        with anyio.CancelScope(shield=True), contextlib.suppress(asyncio.CancelledError):
            await renewer
