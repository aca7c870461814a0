"""The Celery application: broker, delivery guarantees and the task names.

Late acknowledgement with ``task_reject_on_worker_lost``: a task is acknowledged only once
it finished, and one whose worker process died is handed to another worker, so a crash
loses nothing; the idempotent upserts make the second run harmless. One task prefetched at
a time, so a busy worker does not sit on work others could do. JSON only on the wire.
"""

from __future__ import annotations

import asyncio
from typing import Any

from celery import Celery
from kombu.exceptions import OperationalError

from newsfeed.distributed import _tasks
from newsfeed.distributed._config import ClusterConfig
from newsfeed.errors import ConfigError

UPDATE_FEED = "newsfeed.update_feed"
RECHECK = "newsfeed.recheck"
IMPORT_WARC_FILE = "newsfeed.import_warc_file"


def make_app(config: ClusterConfig) -> Celery:
    app = Celery("newsfeed", broker=config.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_time_limit=config.task_time_limit,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": config.visibility_timeout,
            # Look for tasks of dead workers often enough to honour a short timeout.
            "unacked_restore_interval": max(1.0, min(60.0, config.visibility_timeout / 4)),
            "unacked_restore_throttle": 1,
            # A worker killed while restoring must not block restores for kombu's 5 minutes.
            "unacked_mutex_expire": min(300.0, max(10.0, config.visibility_timeout)),
        },
        worker_hijack_root_logger=False,
    )
    _register(app, config)
    return app


def _register(app: Celery, config: ClusterConfig) -> None:
    def update_feed(task: Any, source_id: int, token: str) -> str:
        outcome = asyncio.run(_tasks.update_feed(config, source_id, token))
        if outcome is _tasks.Outcome.BUSY:
            raise task.retry(countdown=config.running_ttl / 2)
        return str(outcome.value)

    def recheck(article_id: int, token: str) -> str:
        return str(asyncio.run(_tasks.recheck(config, article_id, token)).value)

    def import_warc_file(path: str) -> dict[str, Any]:
        report = _tasks.import_warc_file(config, path)
        return {"stored": report.stored, "failed": report.failed, "records": report.records}

    # Retried for as long as another worker holds the feed: giving up would drop it.
    app.task(name=UPDATE_FEED, bind=True, max_retries=None)(update_feed)
    app.task(name=RECHECK)(recheck)
    app.task(name=IMPORT_WARC_FILE)(import_warc_file)


def send(app: Celery, name: str, *args: object) -> None:
    """Queue one task; ``ConfigError`` when the broker cannot be reached."""
    try:
        app.send_task(name, args=list(args), retry=True, retry_policy={"max_retries": 2})
    except OperationalError as exc:
        raise ConfigError(
            f"cannot reach the broker at {_safe(app.conf.broker_url)} ({exc}); check that it "
            "runs and that NEWSFEED_BROKER_URL points to it"
        ) from None


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        rest = f"{credentials.split(':', 1)[0]}:***@{host}"
    return f"{scheme}{sep}{rest}"
