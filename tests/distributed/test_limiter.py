"""The shared per-host limiter and the per-source locks, on a real Redis, with real fetchers
hitting a simulated publisher on loopback."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import redis
import redis.asyncio as aioredis

from newsfeed.distributed._limiter import RedisHostLimiter
from newsfeed.distributed._locks import claim, holding, release
from newsfeed.fetch import Fetcher, FetchOptions
from simulator import Knobs, Simulator, loopback_options


async def _crawl(redis_url: str, options: FetchOptions, urls: list[str], workers: int) -> None:
    """``workers`` independent fetchers (as on separate machines), each with its own Redis
    connection and limiter, fetching ``urls`` all at once."""

    async def one_worker() -> None:
        client = aioredis.Redis.from_url(redis_url)
        limiter = RedisHostLimiter(client, options.per_host_concurrency, options.per_host_delay)
        async with Fetcher(options, limiter=limiter) as fetcher:
            await asyncio.gather(*(fetcher.fetch(u) for u in urls))
        await client.aclose()

    await asyncio.gather(*(one_worker() for _ in range(workers)))


def test_concurrency_per_host_holds_across_fetchers(redis_url: str) -> None:
    with Simulator(publishers=1, items=6, knobs=Knobs(latency=0.15)) as sim:
        pub = sim.publishers[0]
        urls = [pub.article_url(i) for i in range(6)]
        options = loopback_options(per_host_concurrency=2, per_host_delay=0.0)
        asyncio.run(_crawl(redis_url, replace(options, respect_robots=False), urls, workers=3))
        assert sum(pub.stats.hits[f"/articles/{i}.html"] for i in range(6)) == 18
        # Each fetcher alone would allow 2 at once: 3 fetchers unshared would reach 6.
        assert pub.stats.max_active == 2


def test_delay_between_requests_holds_across_fetchers(redis_url: str) -> None:
    with Simulator(publishers=1, items=4) as sim:
        pub = sim.publishers[0]
        urls = [pub.article_url(i) for i in range(4)]
        options = loopback_options(per_host_concurrency=4, per_host_delay=0.1)
        started = time.monotonic()
        asyncio.run(_crawl(redis_url, replace(options, respect_robots=False), urls, workers=3))
        elapsed = time.monotonic() - started
    # 12 requests, each starting at least 0.1 s after the one before, whoever sends it.
    assert elapsed >= 1.1
    assert elapsed < 6


def test_a_slot_of_a_dead_worker_frees_when_its_lease_ends(redis_url: str) -> None:
    async def scenario() -> float:
        client = aioredis.Redis.from_url(redis_url)
        dead = RedisHostLimiter(client, concurrency=1, delay=0.0, lease=1.0)
        # What a SIGKILLed worker leaves behind: a slot taken and no one renewing it.
        await dead._acquire("newsfeed:host:example.org:80:slots", "newsfeed:host:x:next", "t", 0)
        alive = RedisHostLimiter(client, concurrency=1, delay=0.0, lease=1.0)
        started = time.monotonic()
        async with alive.slot("example.org:80"):
            waited = time.monotonic() - started
        await client.aclose()
        return waited

    waited = asyncio.run(scenario())
    assert 0.8 <= waited < 3


def test_a_slot_held_longer_than_its_lease_stays_held(redis_url: str) -> None:
    async def scenario() -> float:
        client = aioredis.Redis.from_url(redis_url)
        limiter = RedisHostLimiter(client, concurrency=1, delay=0.0, lease=0.4)
        released = 0.0

        async def slow_request() -> None:
            nonlocal released
            async with limiter.slot("example.org:80"):
                await asyncio.sleep(1.5)  # almost four leases: renewal keeps the slot
                released = time.monotonic()

        async def next_request() -> float:
            await asyncio.sleep(0.1)
            async with limiter.slot("example.org:80"):
                return time.monotonic()

        _, entered = await asyncio.gather(slow_request(), next_request())
        await client.aclose()
        return entered - released

    assert asyncio.run(scenario()) >= 0


def test_queued_lock_is_taken_once_and_given_back_only_by_its_owner(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    token = claim(client, "newsfeed:queued:feed:1", ttl=60)
    assert token is not None
    assert claim(client, "newsfeed:queued:feed:1", ttl=60) is None
    release(client, "newsfeed:queued:feed:1", "someone-else")
    assert claim(client, "newsfeed:queued:feed:1", ttl=60) is None
    release(client, "newsfeed:queued:feed:1", token)
    assert claim(client, "newsfeed:queued:feed:1", ttl=60) is not None
    client.close()


def test_running_lock_is_renewed_while_held_and_freed_after(redis_url: str) -> None:
    async def scenario() -> tuple[bool, bool, bool]:
        client = aioredis.Redis.from_url(redis_url)
        async with holding(client, "newsfeed:running:feed:7", ttl=0.3) as first:
            await asyncio.sleep(1.0)  # three lifetimes: only renewal keeps it
            async with holding(client, "newsfeed:running:feed:7", ttl=0.3) as second:
                pass
        async with holding(client, "newsfeed:running:feed:7", ttl=0.3) as third:
            pass
        await client.aclose()
        return first, second, third

    assert asyncio.run(scenario()) == (True, False, True)
