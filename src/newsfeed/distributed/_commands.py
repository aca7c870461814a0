"""The bodies of ``newsfeed worker``, ``newsfeed scheduler`` and ``newsfeed import-warc``."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import redis
from celery import Celery
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from newsfeed.config import Settings
from newsfeed.distributed._app import IMPORT_WARC_FILE, make_app, send
from newsfeed.distributed._config import ClusterConfig, cluster_config, require_shared_database
from newsfeed.distributed._import import ImportReport, import_files
from newsfeed.distributed._scheduler import scheduler_loop
from newsfeed.errors import ConfigError, ParseError
from newsfeed.store import open_store
from newsfeed.update import AfterStore


def config_for(settings: Settings) -> ClusterConfig:
    from newsfeed._runner import update_options

    return cluster_config(settings, update_options(settings))


def run_worker(settings: Settings, concurrency: int, *, pool: str = "prefork") -> None:
    """Run a Celery worker with ``concurrency`` processes until stopped."""
    require_shared_database(settings, "`newsfeed worker`")
    config = config_for(settings)
    open_store(config.database_url).close()  # fail now, clearly, and migrate once
    _check_redis(config)
    app = make_app(config)
    _check_broker(app)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request drowns the log
    app.worker_main(
        [
            "worker",
            f"--concurrency={max(1, concurrency)}",
            f"--pool={pool}",
            f"--loglevel={settings.log_level}",
            f"--hostname=newsfeed-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ]
    )


def run_scheduler(settings: Settings, *, ticks: int = 0) -> None:
    """Queue due feeds and re-checks every tick; forever, or ``ticks`` times."""
    require_shared_database(settings, "`newsfeed scheduler`")
    config = config_for(settings)
    client = _check_redis(config)
    app = make_app(config)
    _check_broker(app)
    store = open_store(config.database_url)
    try:
        scheduler_loop(store, client, app, config, ticks=ticks)
    finally:
        store.close()
        client.close()


def import_warc(
    settings: Settings,
    files: Sequence[Path],
    *,
    processes: int | None = None,
    console: Console | None = None,
) -> ImportReport:
    """Import WARC files here, on ``processes`` processes (default: every core), with a
    progress bar on ``console``."""
    _check_files(files)
    total = sum(path.stat().st_size for path in files)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console or Console(), transient=True) as bar:
        task = bar.add_task("importing", total=total)
        stored = 0

        def tally(batch: ImportReport) -> None:
            nonlocal stored
            stored += batch.stored
            bar.update(task, description=f"{stored} stories stored")

        return import_files(
            settings.database_url,
            files,
            processes=processes,
            after_store=import_steps(settings),
            advance=lambda n: bar.update(task, advance=n),
            tally=tally,
        )


def import_steps(settings: Settings) -> tuple[AfterStore, ...]:
    """The after-store steps of a local import: the embedded updater's own, except that on a
    shared PostgreSQL database with a broker set (workers may be running) story clustering
    takes the workers' lock, so that there is still one clusterer at a time."""
    from newsfeed._runner import update_options

    if settings.is_sqlite or not settings.broker_url:
        return update_options(settings).after_store
    return config_for(settings).update.after_store


def queue_warc_files(settings: Settings, files: Sequence[Path]) -> int:
    """Hand each file to the workers as one task; the files must be readable at the same
    path on the worker machines (a shared mount)."""
    require_shared_database(settings, "`newsfeed import-warc --queue`")
    _check_files(files)
    app = make_app(config_for(settings))
    _check_broker(app)
    for path in files:
        send(app, IMPORT_WARC_FILE, str(path.resolve()))
    return len(files)


def _check_files(files: Sequence[Path]) -> None:
    for path in files:
        if not path.is_file():
            raise ParseError(f"{path}: no such WARC file")


def _check_redis(config: ClusterConfig) -> redis.Redis:
    client = redis.Redis.from_url(config.redis_url, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise ConfigError(
            f"cannot reach Redis at {config.redis_url} ({exc}); it keeps the locks and "
            "per-host limits: start it or set NEWSFEED_REDIS_URL"
        ) from None
    return client


def _check_broker(app: Celery) -> None:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=5)
    except Exception as exc:  # kombu raises transport-specific errors
        raise ConfigError(
            f"cannot reach the broker ({exc}); check that it runs and that "
            "NEWSFEED_BROKER_URL points to it"
        ) from None
