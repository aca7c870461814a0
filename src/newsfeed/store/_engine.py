"""Opening a database: URL checks, SQLite pragmas, write transactions and retries.

SQLite runs in WAL mode so readers never wait for the writer. Writers start with
``BEGIN IMMEDIATE`` (so the busy timeout covers taking the write lock), and a write that
still meets a busy database is retried with backoff, so "database is locked" never reaches
a user while another process writes.
"""

from __future__ import annotations

import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import orjson
import sqlalchemy as sa
from sqlalchemy import event, exc, pool
from sqlalchemy.engine import URL, Connection, Engine

from newsfeed.errors import ConfigError, StorageError

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5_000
RETRY_FOR_SECONDS = 60.0
_WRITE = "newsfeed_write"


def parse_url(url: str) -> URL:
    """The URL as SQLAlchemy reads it; ``ConfigError`` when it is not a supported database."""
    try:
        parsed = sa.make_url(url)
    except exc.ArgumentError:
        raise ConfigError(
            f"invalid database URL {url!r}: use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgres":  # the libpq spelling, common in hosting dashboards
        parsed, backend = parsed.set(drivername="postgresql+psycopg"), "postgresql"
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"unsupported database {backend!r} in {parsed.render_as_string()!r}: "
            "newsfeed stores to SQLite or PostgreSQL"
        )
    if backend == "postgresql" and parsed.get_driver_name() != "psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    # Query parameters (e.g. options=-csearch_path=...) reach psycopg as they are.
    args: dict[str, Any] = {"connect_timeout": 5}
    return sa.create_engine(
        url,
        connect_args=args,
        pool_pre_ping=True,
        json_serializer=compact_json,
        json_deserializer=orjson.loads,
    )


def compact_json(value: object) -> str:
    # orjson writes no spaces and no \uXXXX escapes (JSON columns are a good part of every
    # row), several times faster than the standard library.
    return orjson.dumps(value).decode()


def _sqlite_engine(url: URL) -> Engine:
    path = url.database or ""
    in_memory = path in ("", ":memory:")
    if not in_memory:
        check_data_dir(Path(path).expanduser().resolve().parent)
    engine = sa.create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        poolclass=pool.StaticPool if in_memory else pool.QueuePool,
        json_serializer=compact_json,
        json_deserializer=orjson.loads,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Take transaction control from the driver so BEGIN IMMEDIATE is possible.
        dbapi_conn.isolation_level = None
        for pragma in (
            f"busy_timeout={BUSY_TIMEOUT_MS}",
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            # 64 MB of page cache: FTS5 merges its segments through it while indexing.
            "cache_size=-65536",
        ):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def check_data_dir(directory: Path) -> None:
    """``ConfigError`` unless the SQLite file's directory exists and takes new files."""
    if not directory.is_dir():
        raise ConfigError(
            f"the data directory {directory} does not exist: create it or set NEWSFEED_HOME"
        )
    try:
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as error:
        raise ConfigError(
            f"the data directory {directory} is not writable ({error.strerror}): "
            "fix its permissions or set NEWSFEED_HOME"
        ) from None


# PostgreSQL: serialization failure and deadlock are always worth another try.
_RETRY_SQLSTATES = {"40001", "40P01"}
# A unique key another writer has just taken: worth another try for an upsert only (the
# retry finds that row and updates it); elsewhere it is a real conflict.
_UNIQUE_VIOLATION = "23505"
_CONFLICT_RETRIES = 3


def _is_transient(error: exc.DBAPIError) -> bool:
    if isinstance(error.orig, sqlite3.OperationalError):
        text = str(error.orig).lower()
        return "locked" in text or "busy" in text
    return getattr(error.orig, "sqlstate", None) in _RETRY_SQLSTATES


def _is_conflict(error: exc.DBAPIError) -> bool:
    return getattr(error.orig, "sqlstate", None) == _UNIQUE_VIOLATION


def describe(error: exc.SQLAlchemyError) -> str:
    """One line for a person, from a driver error."""
    orig = getattr(error, "orig", None) or error
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return text


@contextmanager
def wrapped(what: str) -> Iterator[None]:
    """Driver errors become ``StorageError`` here, at the boundary."""
    try:
        yield
    except exc.SQLAlchemyError as error:
        raise StorageError(f"could not {what}: {describe(error)}") from error
    except sqlite3.Error as error:
        raise StorageError(f"could not {what}: {error}") from error


def writer(engine: Engine) -> Engine:
    """The same engine, its transactions taking the write lock up front on SQLite."""
    return engine.execution_options(**{_WRITE: True})


def run(
    engine: Engine,
    what: str,
    work: Callable[[Connection], T],
    *,
    upsert: bool = False,
) -> T:
    """Run ``work`` in one transaction, retrying it while the database is busy (and, for
    an ``upsert``, when a concurrent writer took the same unique key first)."""
    deadline = time.monotonic() + RETRY_FOR_SECONDS
    delay, conflicts = 0.01, 0
    with wrapped(what):
        while True:
            try:
                with engine.begin() as conn:
                    return work(conn)
            except exc.DBAPIError as error:
                conflict = upsert and _is_conflict(error) and conflicts < _CONFLICT_RETRIES
                if not (_is_transient(error) or conflict) or time.monotonic() > deadline:
                    raise
                conflicts += conflict
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 0.5)


def sqlite_path(url: URL) -> str | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return os.fspath(Path(url.database or "").expanduser())
