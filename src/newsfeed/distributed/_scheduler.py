"""The scheduler: every tick, queue a task for each due feed and each due re-check.

A feed is queued only when its *queued* lock could be taken (``SET NX PX``), so however many
ticks pass (or schedulers run) while its task waits, it is in flight once. The task gives
the lock back when it ends.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

import redis
from celery import Celery

from newsfeed.distributed._app import RECHECK, UPDATE_FEED, send
from newsfeed.distributed._config import ClusterConfig
from newsfeed.distributed._locks import claim, queued_key, release
from newsfeed.errors import ConfigError
from newsfeed.store import Storage
from newsfeed.update import due_rechecks, is_due, utcnow

log = logging.getLogger("newsfeed.scheduler")


@dataclass(frozen=True, slots=True)
class Tick:
    """What one look for due work queued (and how much was already in flight)."""

    feeds: int
    rechecks: int
    in_flight: int


def schedule_once(
    store: Storage, client: redis.Redis, app: Celery, config: ClusterConfig, now: datetime
) -> Tick:
    """Queue every due feed and re-check that is not in flight already."""
    feeds = rechecks = busy = 0
    for source in store.list_sources():
        if is_due(source, now):
            queued = _queue(client, app, config, UPDATE_FEED, "feed", source.id)
            feeds += queued
            busy += not queued
    for record in due_rechecks(store, now):
        queued = _queue(client, app, config, RECHECK, "recheck", record.id)
        rechecks += queued
        busy += not queued
    return Tick(feeds, rechecks, busy)


def _queue(
    client: redis.Redis, app: Celery, config: ClusterConfig, task: str, kind: str, ident: int
) -> bool:
    key = queued_key(kind, ident)
    token = claim(client, key, config.queued_ttl)
    if token is None:
        return False
    try:
        send(app, task, ident, token)
    except ConfigError:
        release(client, key, token)
        raise
    return True


def scheduler_loop(
    store: Storage, client: redis.Redis, app: Celery, config: ClusterConfig, *, ticks: int = 0
) -> None:
    """Tick every ``config.scheduler_tick`` seconds; forever, or ``ticks`` times."""
    done = 0
    while not ticks or done < ticks:
        started = time.monotonic()
        tick = schedule_once(store, client, app, config, utcnow())
        if tick.feeds or tick.rechecks:
            log.info(
                "queued %d feeds and %d re-checks (%d still in flight)",
                tick.feeds,
                tick.rechecks,
                tick.in_flight,
            )
        done += 1
        time.sleep(max(0.0, config.scheduler_tick - (time.monotonic() - started)))
