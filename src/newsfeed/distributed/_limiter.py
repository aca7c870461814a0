"""Per-host politeness shared by every worker: a ``HostLimiter`` kept in Redis.

For each host a sorted set holds the requests in progress (token → lease end) and a key holds
the earliest time the next request may start. One Lua script checks and takes a slot
atomically, on the Redis server's clock, so workers on machines with skewed clocks still
agree. A slot's lease is renewed while its request runs, so a slot whose worker died is
freed within one lease (seconds), not after the longest request could take.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import secrets
from collections.abc import AsyncIterator

import anyio
import redis.asyncio as aioredis

from newsfeed.distributed._locks import PREFIX

# Returns 0 when the slot is taken, else how many ms to wait (-1: all slots busy).
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < next_start then return next_start - now end
local lease = tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease)
local delay = tonumber(ARGV[3])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay) end
return 0
"""
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 0
"""
_BUSY_POLL = 0.05
LEASE = 10.0


class RedisHostLimiter:
    """At most ``concurrency`` requests to a host at once and ``delay`` seconds between
    their starts, counted over every process that shares the Redis server."""

    def __init__(
        self, client: aioredis.Redis, concurrency: int, delay: float, lease: float = LEASE
    ) -> None:
        self.client = client
        self.concurrency = max(1, concurrency)
        self.delay_ms = int(delay * 1000)
        self.lease_ms = max(300, int(lease * 1000))

    @contextlib.asynccontextmanager
    async def slot(self, host: str, delay: float | None = None) -> AsyncIterator[None]:
        slots = f"{PREFIX}:host:{host}:slots"
        token = secrets.token_hex(8)
        delay_ms = self.delay_ms if delay is None else int(delay * 1000)
        await self._acquire(slots, f"{PREFIX}:host:{host}:next", token, delay_ms)
        renewer = asyncio.create_task(self._renew(slots, token))
        try:
            yield
        finally:
            renewer.cancel()
            with anyio.CancelScope(shield=True):
                with contextlib.suppress(asyncio.CancelledError):
                    await renewer
                await self.client.zrem(slots, token)

    async def _renew(self, slots: str, token: str) -> None:
        while True:
            await asyncio.sleep(self.lease_ms / 3000)
            await self.client.eval(_RENEW, 1, slots, token, self.lease_ms)

    async def _acquire(self, slots: str, next_key: str, token: str, delay_ms: int) -> None:
        while True:
            wait = await self.client.eval(
                _ACQUIRE, 2, slots, next_key, token, self.concurrency, delay_ms, self.lease_ms
            )
            if wait == 0:
                return
            # Jitter keeps waiting workers from all asking again at the same instant.
            seconds = _BUSY_POLL if wait < 0 else wait / 1000
            await anyio.sleep(seconds + random.uniform(0, _BUSY_POLL))
