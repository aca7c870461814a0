"""Store fixtures: every contract test runs on a fresh SQLite file and a fresh PostgreSQL schema.

The PostgreSQL database ``test`` is shared with other suites, so each test gets its own
schema (named after this process and a counter), reached through ``search_path``, and
dropped afterwards.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfeed.store import SqlStorage, open_store
from newsfeed.store._scratch import scratch_schema

_schemas = itertools.count()


@pytest.fixture
def pg_schema_url(postgres_url: str) -> Iterator[str]:
    """A URL whose connections see only a fresh, empty schema."""
    with scratch_schema(postgres_url, f"nf_store_{os.getpid()}_{next(_schemas)}") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'newsfeed.db'}"
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStorage]:
    storage = open_store(store_url)
    yield storage
    storage.close()
