"""The task bodies and the scheduler, in this process: real Redis, a real SQLite file,
the simulator as the web."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import redis
from tests.distributed.conftest import cluster

from newsfeed.distributed._app import UPDATE_FEED, make_app
from newsfeed.distributed._locks import claim, queued_key, running_key
from newsfeed.distributed._scheduler import schedule_once
from newsfeed.distributed._tasks import Outcome, process_store, update_feed
from newsfeed.store import open_store
from newsfeed.update import utcnow
from simulator import Simulator


def test_feed_task_stores_the_feed_then_skips_a_second_delivery(
    sqlite_url: str, redis_url: str
) -> None:
    config = cluster(sqlite_url, redis_url)
    client = redis.Redis.from_url(redis_url)
    with Simulator(publishers=1, items=5) as sim:
        store = process_store(sqlite_url)
        source = store.add_source(sim.publishers[0].feed_url, "")
        token = claim(client, queued_key("feed", source.id), 60)
        assert token is not None
        assert asyncio.run(update_feed(config, source.id, token)) is Outcome.DONE
        assert store.count_articles() == 5
        assert client.get(queued_key("feed", source.id)) is None  # given back
        # The same message delivered again (a redelivery after a crash) does no fetching.
        hits = sim.publishers[0].stats.hits[sim.publishers[0].feed_path]
        assert asyncio.run(update_feed(config, source.id, token)) is Outcome.SKIPPED
        assert sim.publishers[0].stats.hits[sim.publishers[0].feed_path] == hits
    assert store.count_articles() == 5
    client.close()


def test_feed_task_backs_off_while_another_worker_runs_the_feed(
    sqlite_url: str, redis_url: str
) -> None:
    config = cluster(sqlite_url, redis_url)
    client = redis.Redis.from_url(redis_url)
    with Simulator(publishers=1, items=2) as sim:
        store = process_store(sqlite_url)
        source = store.add_source(sim.publishers[0].feed_url, "")
        client.set(running_key("feed", source.id), "another-worker", px=60_000)
        assert asyncio.run(update_feed(config, source.id, "t")) is Outcome.BUSY
        assert sim.publishers[0].stats.hits[sim.publishers[0].feed_path] == 0
    assert store.count_articles() == 0
    client.close()


def test_scheduler_queues_each_due_feed_once_and_never_page_sources(
    sqlite_url: str, redis_url: str
) -> None:
    config = cluster(sqlite_url, redis_url)
    app = make_app(config)
    client = redis.Redis.from_url(redis_url)
    store = open_store(sqlite_url)
    due = store.add_source("http://127.0.0.1:9/a.xml", "a")
    later = store.add_source("http://127.0.0.1:9/b.xml", "b")
    store.update_source(replace(later, next_check=utcnow() + timedelta(hours=1)))
    store.add_source("https://example.org/", "example.org", kind="page")
    first = schedule_once(store, client, app, config, utcnow())
    second = schedule_once(store, client, app, config, utcnow())
    assert (first.feeds, first.in_flight) == (1, 0)
    assert (second.feeds, second.in_flight) == (0, 1)
    queued = client.lrange("celery", 0, -1)
    assert len(queued) == 1
    assert UPDATE_FEED.encode() in queued[0]
    assert client.get(queued_key("feed", due.id)) is not None
    store.close()
    client.close()
