"""Opening a store: migrations to head, and bad input turned into one clear line."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_factory import full_article

from newsfeed.errors import ConfigError, SchemaError, StorageError
from newsfeed.store import NewArticle, open_store
from newsfeed.store._migrate import head
from newsfeed.store._schema import metadata

TABLES = {"alembic_version", *metadata.tables}


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _version(url: str) -> list[str]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        versions = [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    engine.dispose()
    return versions


def test_fresh_database_is_migrated_to_head(store_url: str) -> None:
    with open_store(store_url) as store:
        store.upsert_articles([NewArticle(full_article())])
    assert _tables(store_url) >= TABLES
    assert _version(store_url) == [head()]
    with open_store(store_url) as again:  # reopening an up-to-date database is a no-op
        assert again.count_articles() == 1
    assert _version(store_url) == [head()]


def test_a_newer_schema_is_refused_and_left_alone(store_url: str) -> None:
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    engine.dispose()
    with pytest.raises(SchemaError) as caught:
        open_store(store_url)
    message = str(caught.value)
    assert "9999_from_the_future" in message
    assert "upgrade newsfeed" in message
    assert "\n" not in message
    assert _tables(store_url) == {"alembic_version"}  # nothing was written


def test_sqlite_pragmas(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'n.db'}") as store, store._engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 1  # NORMAL
        assert pragma("busy_timeout") == 5000


def test_in_memory_sqlite(tmp_path: Path) -> None:
    with open_store("sqlite://") as store:
        store.upsert_articles([NewArticle(full_article())])
        assert store.count_articles() == 1
        assert len(store.search("putin").items) == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "invalid database URL"),
        ("mysql://root@localhost/news", "unsupported database 'mysql'"),
        ("", "invalid database URL"),
    ],
)
def test_bad_urls(url: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as caught:
        open_store(url)
    assert "\n" not in str(caught.value)


def test_libpq_style_url_is_understood(postgres_url: str) -> None:
    url = sa.make_url(postgres_url).set(drivername="postgres")
    with pytest.raises(StorageError, match="port 1 failed"):
        open_store(url.set(port=1).render_as_string(hide_password=False))


def test_unreachable_postgres_is_one_line() -> None:
    with pytest.raises(StorageError) as caught:
        open_store("postgresql+psycopg://postgres@127.0.0.1:1/test")
    message = str(caught.value)
    assert message.startswith(
        "could not open the database postgresql+psycopg://postgres@127.0.0.1:1/test"
    )
    assert "Connection refused" in message
    assert message.endswith("check that the server is running and the database URL is right)")
    assert "\n" not in message


def test_missing_data_dir_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(ConfigError, match="does not exist"):
        open_store(f"sqlite:///{missing / 'newsfeed.db'}")
    assert not missing.exists()


def test_read_only_data_dir(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        directory = Path("/sys")  # not writable even for root
    else:
        directory = tmp_path / "ro"
        directory.mkdir()
        directory.chmod(0o500)
    with pytest.raises(ConfigError, match="is not writable") as caught:
        open_store(f"sqlite:///{directory / 'newsfeed.db'}")
    assert "\n" not in str(caught.value)
    assert not (directory / "newsfeed.db").exists()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StorageError, match="not a database") as caught:
        open_store(f"sqlite:///{path}")
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == b"these are my notes, not a database" * 100


def test_driver_errors_are_wrapped(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    store = open_store(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    raw.execute("DROP TABLE revisions")
    raw.commit()
    raw.close()
    with pytest.raises(StorageError, match="could not store the articles: no such table"):
        store.upsert_articles([NewArticle(full_article())])
    store.close()
