"""What the Celery tasks do: the embedded updater's stage functions, wrapped in the locks.

Each function here is called by one task in a worker process; the Celery wiring lives in
``_app``. The database connection is opened once per process, after the pool forked.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from enum import Enum
from pathlib import Path

import redis.asyncio as aioredis

from newsfeed.distributed._config import ClusterConfig
from newsfeed.distributed._import import ImportReport, import_file
from newsfeed.distributed._limiter import RedisHostLimiter
from newsfeed.distributed._locks import holding, queued_key, release_async, running_key
from newsfeed.errors import NotFoundError
from newsfeed.fetch import Fetcher
from newsfeed.store import SqlStorage, open_store
from newsfeed.update import is_due, recheck_article, recheck_is_due, update_source, utcnow

_stores: dict[tuple[int, str], SqlStorage] = {}


class Outcome(Enum):
    DONE = "done"
    SKIPPED = "skipped"
    """Nothing to do: not due any more (a redelivered task that already ran) or gone."""
    BUSY = "busy"
    """Another worker holds the feed; try again later."""


def process_store(database_url: str) -> SqlStorage:
    """This process's store (a forked child must not reuse its parent's connections)."""
    key = (os.getpid(), database_url)
    if key not in _stores:
        _stores[key] = open_store(database_url)
    return _stores[key]


@contextlib.asynccontextmanager
async def _redis(config: ClusterConfig) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(config.redis_url)
    try:
        yield client
    finally:
        await client.aclose()


def _fetcher(config: ClusterConfig, client: aioredis.Redis) -> Fetcher:
    fetch = config.fetch
    limiter = RedisHostLimiter(client, fetch.per_host_concurrency)
    return Fetcher(fetch, limiter=limiter)


async def update_feed(config: ClusterConfig, source_id: int, token: str) -> Outcome:
    """Update one source unless another worker is on it or it is not due any more."""
    store = process_store(config.database_url)
    async with _redis(config) as client:
        async with holding(client, running_key("feed", source_id), config.running_ttl) as mine:
            if not mine:
                return Outcome.BUSY
            outcome = await _update_held(config, store, client, source_id)
        await release_async(client, queued_key("feed", source_id), token)
    return outcome


async def _update_held(
    config: ClusterConfig, store: SqlStorage, client: aioredis.Redis, source_id: int
) -> Outcome:
    try:
        source = store.get_source(source_id)
    except NotFoundError:
        return Outcome.SKIPPED  # removed since it was queued
    now = utcnow()
    if not is_due(source, now):
        return Outcome.SKIPPED
    async with _fetcher(config, client) as fetcher:
        await update_source(store, fetcher, source, now, config.update)
    return Outcome.DONE


async def recheck(config: ClusterConfig, article_id: int, token: str) -> Outcome:
    """Fetch a stored story again if its re-check is still due."""
    store = process_store(config.database_url)
    async with _redis(config) as client:
        try:
            record = store.get_article(article_id)
        except NotFoundError:
            record = None
        now = utcnow()
        outcome = Outcome.SKIPPED
        if record is not None and recheck_is_due(record, now):
            async with _fetcher(config, client) as fetcher:
                await recheck_article(store, fetcher, record, now, config.update)
            outcome = Outcome.DONE
        await release_async(client, queued_key("recheck", article_id), token)
    return outcome


def import_warc_file(config: ClusterConfig, path: str) -> ImportReport:
    """Import one WARC file in this worker process (re-runs skip what is stored), its stories
    enriched and assigned to stories as fetched ones are, clustering under the shared lock."""
    return import_file(process_store(config.database_url), Path(path), config.update.after_store)
