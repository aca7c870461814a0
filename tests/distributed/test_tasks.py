"""The task bodies and the scheduler, in this process: real Redis, a real SQLite file,
the simulator as the web."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import redis
from tests.distributed.conftest import cluster
from tests.distributed.warc_files import fundus_pages, write_pages

from newsfeed.distributed._app import UPDATE_FEED, make_app
from newsfeed.distributed._locks import claim, queued_key, running_key
from newsfeed.distributed._scheduler import schedule_once
from newsfeed.distributed._tasks import (
    Outcome,
    import_warc_file,
    process_store,
    recheck,
    update_feed,
)
from newsfeed.extract import extract
from newsfeed.store import NewArticle, open_store
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


def test_recheck_task_stores_an_edit_as_a_revision(sqlite_url: str, redis_url: str) -> None:
    config = cluster(sqlite_url, redis_url)
    client = redis.Redis.from_url(redis_url)
    with Simulator(publishers=1, items=2) as sim:
        pub = sim.publishers[0]
        store = process_store(sqlite_url)
        page = extract(pub.article_body(0), pub.article_url(0))
        born = utcnow() - timedelta(hours=2)  # past the 1-hour re-check
        item = NewArticle(replace(page, published=born), fetched_at=born)
        [stored] = store.upsert_articles([item])
        pub.edit_story(0)
        token = claim(client, queued_key("recheck", stored.article_id), 60)
        assert token is not None
        assert asyncio.run(recheck(config, stored.article_id, token)) is Outcome.DONE
        # Checked now: a second delivery finds nothing due.
        assert asyncio.run(recheck(config, stored.article_id, token)) is Outcome.SKIPPED
    assert len(store.get_revisions(stored.article_id)) == 2
    assert client.get(queued_key("recheck", stored.article_id)) is None
    client.close()


def test_warc_file_task_imports_in_the_worker_process(
    sqlite_url: str, redis_url: str, tmp_path: Path, shared_data: Path
) -> None:
    path = tmp_path / "one.warc.gz"
    write_pages(path, fundus_pages(shared_data, 3))
    report = import_warc_file(cluster(sqlite_url, redis_url), str(path))
    assert (report.records, report.stored) == (3, 3)
    assert process_store(sqlite_url).count_articles() == 3
