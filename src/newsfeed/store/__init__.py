"""Storage: one schema on SQLite (the embedded default) or PostgreSQL.

``open_store(url)`` checks the URL, connects, brings the schema to the newest revision and
returns a ``Storage``. It fails with a one-line ``ConfigError`` (bad URL, missing or
read-only data directory), ``SchemaError`` (a database from a newer newsfeed) or
``StorageError`` (unreachable server, not a database), having written nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import URL, Connection

from newsfeed.errors import SchemaError, StorageError
from newsfeed.store import _engine, _migrate
from newsfeed.store._base import (
    ArticleFilter,
    AuthorSummary,
    EntityAnalysis,
    EntityRef,
    EntitySummary,
    NewArticle,
    Storage,
    StoryChanges,
    UpsertResult,
    VectorRow,
)
from newsfeed.store._sql import SqlStorage

__all__ = [
    "ArticleFilter",
    "AuthorSummary",
    "EntityAnalysis",
    "EntityRef",
    "EntitySummary",
    "NewArticle",
    "SqlStorage",
    "Storage",
    "StoryChanges",
    "UpsertResult",
    "VectorRow",
    "open_store",
]

# Any 64-bit number: serialises concurrent migrations on one PostgreSQL database.
_MIGRATION_LOCK = 0x6E657773666565


def open_store(url: str) -> SqlStorage:
    """Open (creating or upgrading as needed) the database at ``url``."""
    parsed = _engine.parse_url(url)
    engine = _engine.create_engine(parsed)
    where = _where(parsed)
    try:
        _engine.run(_engine.writer(engine), f"open the database {where}", _prepare(where))
    except SchemaError:
        engine.dispose()
        raise
    except StorageError as error:
        engine.dispose()
        raise StorageError(f"{error} ({_hint(parsed)})") from None
    return SqlStorage(engine)


def _hint(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return "check that the file is a newsfeed database, or point NEWSFEED_HOME elsewhere"
    return "check that the server is running and the database URL is right"


def _where(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return url.database or "in memory"
    return url.render_as_string(hide_password=True)


def _prepare(where: str) -> Callable[[Connection], None]:
    def work(conn: Connection) -> None:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        if _migrate.check_known(conn, where):
            _migrate.upgrade(conn)

    return work
