"""Per-host politeness shared by every worker: a ``HostLimiter`` kept in Redis.

For each host a sorted set holds the requests in progress (token → lease end) and a key holds
the earliest time the next request may start. One Lua script checks and takes a slot
atomically, on the Redis server's clock, so workers on machines with skewed clocks still
agree. A slot's lease is renewed while its request runs, so a slot whose worker died is
freed within one lease (seconds), not after the longest request could take.
"""

from __future__ import annotations

import contextlib
import random
import secrets
from collections.abc import AsyncIterator
from functools import partial

import anyio
import redis.asyncio as aioredis

from newsfeed.distributed._locks import PREFIX, renewing

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
    """At most ``concurrency`` requests to a host at once and the asked delay between
    their starts, counted over every process that shares the Redis server."""

    def __init__(self, client: aioredis.Redis, concurrency: int, lease: float = LEASE) -> None:
        self.client = client
        self.concurrency = max(1, concurrency)
        self.lease_ms = max(300, int(lease * 1000))

    @contextlib.asynccontextmanager
    async def slot(self, host: str, delay: float) -> AsyncIterator[None]:
        slots = f"{PREFIX}:host:{host}:slots"
        token = secrets.token_hex(8)
        await self._acquire(slots, f"{PREFIX}:host:{host}:next", token, int(delay * 1000))
        try:
            renew = partial(self.client.eval, _RENEW, 1, slots, token, self.lease_ms)
            async with renewing(renew, self.lease_ms / 3000):
                yield
        finally:
            with anyio.CancelScope(shield=True):
                await self.client.zrem(slots, token)

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
