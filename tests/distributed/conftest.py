"""Fixtures for the distributed parts: a fresh PostgreSQL schema, a flushed Redis database,
WARC files written by the test, and the environment for worker subprocesses."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from tests.conftest import need

from newsfeed.distributed._config import ClusterConfig
from newsfeed.fetch import FetchOptions
from newsfeed.store._scratch import scratch_schema
from newsfeed.update import UpdateOptions
from simulator import loopback_options

REDIS_URL = os.environ.get("NEWSFEED_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
"""A Redis database of its own (5), flushed by each test that uses it."""

_schemas = itertools.count()


@pytest.fixture
def redis_url() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        need(False, f"Redis at {REDIS_URL} is not reachable: {exc}")
    client.flushdb()
    try:
        yield REDIS_URL
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    """A URL whose connections see only a fresh, empty schema (dropped afterwards)."""
    with scratch_schema(postgres_url, f"nf_dist_{os.getpid()}_{next(_schemas)}") as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'newsfeed.db'}"


def cluster(database_url: str, redis_url: str, fetch: FetchOptions | None = None) -> ClusterConfig:
    return ClusterConfig(
        database_url=database_url,
        broker_url=redis_url,
        redis_url=redis_url,
        update=UpdateOptions(fetch=fetch or loopback_options(), extract_workers=0),
        running_ttl=3.0,
    )
