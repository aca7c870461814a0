"""``newsfeed worker``, ``scheduler`` and ``import-warc --queue`` as a user runs them: clear
one-line errors when the setup cannot work, and a scheduler that queues for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from newsfeed.config import load_settings
from newsfeed.distributed._config import cluster_config
from newsfeed.errors import ConfigError
from newsfeed.fetch import FetchOptions
from newsfeed.store import open_store


def newsfeed(
    env: dict[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsfeed", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = dict(os.environ, NEWSFEED_HOME=str(tmp_path / "home"), COLUMNS="200")
    values.pop("NEWSFEED_DATABASE_URL", None)
    return values


@pytest.mark.parametrize("command", [["worker"], ["scheduler"]])
def test_workers_refuse_sqlite_with_a_hint(env: dict[str, str], command: list[str]) -> None:
    result = newsfeed(env, *command)
    assert result.returncode == 1
    assert "needs a shared PostgreSQL database" in result.stderr
    assert "Traceback" not in result.stderr


def test_queueing_warc_files_needs_postgres_too(env: dict[str, str], tmp_path: Path) -> None:
    warc = tmp_path / "a.warc"
    warc.write_bytes(b"")
    result = newsfeed(env, "import-warc", "--queue", str(warc))
    assert result.returncode == 1
    assert "needs a shared PostgreSQL database" in result.stderr


@pytest.mark.postgres
def test_unreachable_redis_is_one_clear_line(env: dict[str, str], pg_url: str) -> None:
    env.update(NEWSFEED_DATABASE_URL=pg_url, NEWSFEED_REDIS_URL="redis://127.0.0.1:1/0")
    result = newsfeed(env, "scheduler")
    assert result.returncode == 1
    assert "cannot reach Redis at redis://127.0.0.1:1/0" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.postgres
def test_a_bad_knob_is_named(env: dict[str, str], pg_url: str) -> None:
    env.update(NEWSFEED_DATABASE_URL=pg_url, NEWSFEED_HOST_DELAY="soon")
    result = newsfeed(env, "worker")
    assert result.returncode == 1
    assert "NEWSFEED_HOST_DELAY must be a number, not 'soon'" in result.stderr


@pytest.mark.postgres
def test_queueing_warc_files_sends_one_task_per_file(
    env: dict[str, str], pg_url: str, redis_url: str, tmp_path: Path
) -> None:
    open_store(pg_url).close()
    files = [tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"]
    for path in files:
        path.write_bytes(b"")
    env.update(NEWSFEED_DATABASE_URL=pg_url, NEWSFEED_BROKER_URL=redis_url)
    result = newsfeed(env, "import-warc", "--queue", *map(str, files))
    assert result.returncode == 0, result.stderr
    assert "queued 2 files" in result.stdout
    queued = redis.Redis.from_url(redis_url).lrange("celery", 0, -1)
    assert len(queued) == 2
    assert all(b"newsfeed.import_warc_file" in message for message in queued)
    assert any(str(files[0]).encode() in message for message in queued)


def test_config_knobs_are_checked() -> None:
    settings = load_settings({"NEWSFEED_HOME": "/tmp/nf", "NEWSFEED_BROKER_URL": "amqp://h//"})
    config = cluster_config(
        settings,
        FetchOptions(),
        {"NEWSFEED_ALLOWED_NETWORKS": "10.1.0.0/16, 127.0.0.0/8", "NEWSFEED_HOST_DELAY": "0.5"},
    )
    assert config.fetch.allowed_networks == ("10.1.0.0/16", "127.0.0.0/8")
    assert config.fetch.per_host_delay == 0.5
    assert config.broker_url == "amqp://h//"
    assert config.redis_url == "redis://127.0.0.1:6379/0"  # RabbitMQ brokers; Redis locks
    with pytest.raises(ConfigError, match="NEWSFEED_ALLOWED_NETWORKS: 'intranet'"):
        cluster_config(settings, FetchOptions(), {"NEWSFEED_ALLOWED_NETWORKS": "intranet"})
    with pytest.raises(ConfigError, match="NEWSFEED_HOST_CONCURRENCY must be a whole number"):
        cluster_config(settings, FetchOptions(), {"NEWSFEED_HOST_CONCURRENCY": "2.5"})
