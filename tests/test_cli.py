"""The command line as a user runs it: a real process, a real SQLite file, real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator import Simulator

SEED = Path(__file__).parent / "extract" / "fixtures" / "seed_ghost.html"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = dict(os.environ)
    values.pop("NEWSFEED_DATABASE_URL", None)
    values.update(
        NEWSFEED_HOME=str(tmp_path / "home"),
        NEWSFEED_ALLOW_PRIVATE_ADDRESSES="true",  # the simulator is on loopback
        COLUMNS="200",
    )
    return values


def newsfeed(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsfeed", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_follow_update_search_export_import_remove(env: dict[str, str], tmp_path: Path) -> None:
    with Simulator(publishers=2, items=4) as sim:
        site = sim.publishers[0].url("/")
        added = newsfeed(env, "add", site, "--category", "World/Europe")
        assert added.returncode == 0, added.stderr
        assert "following" in added.stdout
        assert newsfeed(env, "add", sim.publishers[1].feed_url).returncode == 0
        update = newsfeed(env, "update")
        assert update.returncode == 0, update.stderr
        assert "8 new stories from 2 sources" in update.stdout
    listed = newsfeed(env, "sources")
    assert sim.publishers[0].feed_url in listed.stdout
    found = newsfeed(env, "search", "bridge", "--limit", "3")
    assert found.returncode == 0
    assert found.stdout.count("/articles/") == 3
    opml = tmp_path / "feeds.opml"
    assert newsfeed(env, "export", str(opml)).returncode == 0
    assert 'text="World"' in opml.read_text()
    assert newsfeed(env, "remove", sim.publishers[0].feed_url).returncode == 0
    assert newsfeed(env, "remove", "1").returncode == 1
    imported = newsfeed(env, "import", str(opml))
    assert "1 sources added, 1 already followed" in imported.stdout
    assert newsfeed(env, "search", "bridge", "--limit", "50").stdout.count("/articles/") == 8


def test_extract_a_file_as_json(env: dict[str, str]) -> None:
    result = newsfeed(env, "extract", str(SEED), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "Putin, Trump to meet in the coming days" in result.stdout


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("NEWSFEED_DATABASE_URL", "mysql://db/x", "unsupported database"),
        ("NEWSFEED_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:1/x", "could not open"),
        ("NEWSFEED_HOME", "/sys/newsfeed", "NEWSFEED_HOME"),
        ("NEWSFEED_PORT", "http", "must be a whole number"),
    ],
)
def test_bad_settings_give_one_line_and_write_nothing(
    env: dict[str, str], tmp_path: Path, setting: str, value: str, message: str
) -> None:
    env[setting] = value
    result = newsfeed(env, "init")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "home" / "newsfeed.db").exists()


def test_database_from_a_newer_newsfeed_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    import sqlite3

    assert newsfeed(env, "init").returncode == 0
    db = tmp_path / "home" / "newsfeed.db"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    before = dump(db)
    result = newsfeed(env, "sources")
    assert result.returncode == 1
    assert "newer" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert dump(db) == before


def dump(db: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def test_worker_needs_a_shared_database(env: dict[str, str]) -> None:
    result = newsfeed(env, "worker")
    assert result.returncode == 1
    assert "needs a shared PostgreSQL database" in result.stderr


def test_enrich_and_reindex_on_an_empty_database(env: dict[str, str]) -> None:
    assert newsfeed(env, "init").returncode == 0
    enriched = newsfeed(env, "enrich", "--redo")
    assert enriched.returncode == 0, enriched.stderr
    assert "0 stories analysed" in enriched.stdout
    reindexed = newsfeed(env, "reindex")
    assert reindexed.returncode == 0, reindexed.stderr
    assert "0 articles placed in stories" in reindexed.stdout


def test_search_says_when_imported_stories_wait_for_the_index(
    env: dict[str, str], tmp_path: Path
) -> None:
    from newsfeed.store import NewArticle, open_store
    from newsfeed.types import Article

    assert newsfeed(env, "init").returncode == 0
    store = open_store(f"sqlite:///{tmp_path / 'home' / 'newsfeed.db'}")
    imported = Article(title="Drones over Kyiv", url="https://a.example/1", text="Drones.")
    store.upsert_articles([NewArticle(imported)], defer_search=True)
    store.close()
    waiting = newsfeed(env, "search", "drones")
    assert "no matches" in waiting.stdout
    assert "1 stored articles are not indexed for search yet" in waiting.stdout
    assert newsfeed(env, "update").returncode == 0
    found = newsfeed(env, "search", "drones")
    assert "Drones over Kyiv" in found.stdout
    assert "not indexed" not in found.stdout
