"""What the workers, the scheduler and the importer need to know, from settings and the
environment.

The database and the broker come from ``Settings`` (``NEWSFEED_DATABASE_URL``,
``NEWSFEED_BROKER_URL``). The knobs that only matter when running distributed are read
from the environment here:

``NEWSFEED_REDIS_URL``            locks and the shared per-host limiter (default: the broker
                                  when it is Redis, else ``redis://127.0.0.1:6379/0``)
``NEWSFEED_HOST_CONCURRENCY``     requests to one host at once, across all workers (2)
``NEWSFEED_HOST_DELAY``           seconds between the starts of two requests to one host (1.0)
``NEWSFEED_ALLOWED_NETWORKS``     comma-separated CIDRs let through the SSRF guard
``NEWSFEED_VISIBILITY_TIMEOUT``   seconds before Redis hands an unacknowledged task to
                                  another worker (3600); RabbitMQ redelivers on disconnect
``NEWSFEED_SCHEDULER_TICK``       seconds between two looks for due feeds (30)
``NEWSFEED_QUEUED_TTL``           how long a queued feed is not queued again (900): the safety
                                  net should the broker ever drop its task
``NEWSFEED_RUNNING_TTL``          lifetime of a feed's running lock, renewed while its task
                                  runs: how long a killed worker keeps its feed blocked (30)
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import TypeVar

import redis

from newsfeed.config import Settings
from newsfeed.errors import ConfigError
from newsfeed.fetch import FetchOptions
from newsfeed.update import UpdateOptions, shareable

N = TypeVar("N", int, float)

DEFAULT_BROKER = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Everything a worker, the scheduler or the importer runs with."""

    database_url: str
    broker_url: str
    redis_url: str
    update: UpdateOptions
    """The embedded updater's options (fetch settings, after-store steps) as workers use
    them: extraction in the worker process itself, which is the unit of parallelism."""
    visibility_timeout: float = 3600.0
    scheduler_tick: float = 30.0
    queued_ttl: float = 900.0
    """How long a feed stays marked as queued; after that the scheduler queues it again if
    it is still due. Late acknowledgement should make this moot; it is the safety net for a
    task the broker or a wedged worker never finishes."""
    running_ttl: float = 30.0
    """Lifetime of a feed's running lock; renewed while its task runs, so a killed worker
    blocks the feed for at most this long."""
    task_time_limit: float = 900.0

    @property
    def fetch(self) -> FetchOptions:
        return self.update.fetch


def redis_lock(url: str, name: str) -> Callable[[], AbstractContextManager[object]]:
    """A lock held across every process that shares the Redis server. It expires after
    two minutes, so a worker killed while holding it cannot block the others for good."""

    def make() -> AbstractContextManager[object]:
        client = redis.Redis.from_url(url)
        lock: AbstractContextManager[object] = client.lock(
            f"newsfeed:lock:{name}", timeout=120, blocking_timeout=600
        )
        return lock

    return make


def cluster_config(
    settings: Settings, update: UpdateOptions, env: Mapping[str, str] | None = None
) -> ClusterConfig:
    """The cluster's configuration; ``update`` is the embedded updater's options, to whose
    fetch options the per-host limits and allowed networks from the environment apply."""
    env = os.environ if env is None else env
    broker = settings.broker_url or DEFAULT_BROKER
    redis_url = env.get("NEWSFEED_REDIS_URL") or (
        broker if broker.startswith(("redis://", "rediss://")) else DEFAULT_BROKER
    )
    networks = _networks(env.get("NEWSFEED_ALLOWED_NETWORKS", ""))
    base = update.fetch
    fetch = replace(
        base,
        per_host_concurrency=_number(env, "NEWSFEED_HOST_CONCURRENCY", base.per_host_concurrency),
        per_host_delay=_number(env, "NEWSFEED_HOST_DELAY", base.per_host_delay),
        allowed_networks=base.allowed_networks + networks,
    )
    return ClusterConfig(
        database_url=settings.database_url,
        broker_url=broker,
        redis_url=redis_url,
        update=replace(
            update,
            fetch=fetch,
            extract_workers=0,
            after_store=shareable(update.after_store, redis_lock(redis_url, "stories")),
        ),
        visibility_timeout=_number(env, "NEWSFEED_VISIBILITY_TIMEOUT", 3600.0),
        scheduler_tick=_number(env, "NEWSFEED_SCHEDULER_TICK", 30.0),
        running_ttl=max(0.5, _number(env, "NEWSFEED_RUNNING_TTL", 30.0)),
        queued_ttl=max(1.0, _number(env, "NEWSFEED_QUEUED_TTL", 900.0)),
    )


def require_shared_database(settings: Settings, what: str) -> None:
    """Workers on several machines need one database server; SQLite is a local file."""
    if settings.is_sqlite:
        raise ConfigError(
            f"{what} needs a shared PostgreSQL database, not SQLite: set "
            "NEWSFEED_DATABASE_URL=postgresql+psycopg://USER@HOST/DB"
        )


def _networks(raw: str) -> tuple[str, ...]:
    found = tuple(n.strip() for n in raw.split(",") if n.strip())
    for network in found:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ConfigError(
                f"NEWSFEED_ALLOWED_NETWORKS: {network!r} is not a network (write 10.1.0.0/16)"
            ) from None
    return found


def _number(env: Mapping[str, str], name: str, default: N) -> N:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = type(default)(raw)
    except ValueError:
        kind = "a whole number" if isinstance(default, int) else "a number"
        raise ConfigError(f"{name} must be {kind}, not {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, not {raw!r}")
    return value
