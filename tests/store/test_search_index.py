"""SQLite's search file: filled behind the writes, rebuilt when it cannot be trusted."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

from store_factory import new

from newsfeed.store import open_store


def _ids(url: str, query: str) -> set[int]:
    with open_store(url) as store:
        return {hit.record.id for hit in store.search(query, limit=100).items}


def _titles(url: str, query: str) -> set[str]:
    with open_store(url) as store:
        return {hit.record.article.title for hit in store.search(query, limit=100).items}


def _indexed(search_file: Path) -> int:
    db = sqlite3.connect(search_file)
    try:
        return int(db.execute("SELECT count(*) FROM docs").fetchone()[0])
    finally:
        db.close()


def test_the_index_fills_behind_the_writes_without_a_search(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'n.db'}")
    store.upsert_articles([new(n) for n in range(30)])
    deadline = time.monotonic() + 20
    while _indexed(tmp_path / "n.db-search") < 30 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _indexed(tmp_path / "n.db-search") == 30
    store.close()


def test_new_and_changed_stories_are_found_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    with open_store(url) as store:
        store.upsert_articles([new(1), new(2)])
        assert {h.record.article.title for h in store.search("Story").items} == {
            "Story 1 about bravo",
            "Story 2 about charlie",
        }
        store.upsert_articles([new(1, title="Zeppelin over the harbour", text="Nothing else.")])
        assert [h.record.article.title for h in store.search("zeppelin").items] == [
            "Zeppelin over the harbour"
        ]
        still = [h.record.article.url for h in store.search("bravo").items]
        assert still == ["https://news.example/story/2"]


def test_the_queue_is_pruned_as_the_index_catches_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    with open_store(url) as store:
        for start in range(0, 200, 20):
            store.upsert_articles([new(n) for n in range(start, start + 20)])
            store.sync_search_index()
        with store.engine.connect() as conn:
            left = conn.exec_driver_sql("SELECT count(*) FROM search_queue").scalar()
    assert left is not None and left <= 20


def test_a_missing_search_file_is_rebuilt(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    with open_store(url) as store:
        store.upsert_articles([new(n) for n in range(12)])
    before = _ids(url, "juliet")
    for path in tmp_path.glob("n.db-search*"):
        path.unlink()
    assert before and _ids(url, "juliet") == before


def test_a_search_file_of_another_database_is_not_trusted(tmp_path: Path) -> None:
    a, b = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    with open_store(a) as store:
        store.upsert_articles([new(n, title=f"Walrus {n}") for n in range(5)])
    with open_store(b) as store:
        store.upsert_articles([new(n, title=f"Pelican {n}") for n in range(5)])
    shutil.copy(tmp_path / "a.db-search", tmp_path / "b.db-search")
    assert _titles(b, "walrus") == set()
    assert len(_titles(b, "pelican")) == 5


def test_a_database_restored_from_a_backup_gets_a_fresh_index(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    with open_store(url) as store:
        store.upsert_articles([new(n) for n in range(10)])
    shutil.copy(tmp_path / "n.db", tmp_path / "backup.db")
    with open_store(url) as store:  # these ids come back for other stories after the restore
        store.upsert_articles([new(n, title=f"Lost story {n}") for n in range(10, 20)])
    shutil.copy(tmp_path / "backup.db", tmp_path / "n.db")
    with open_store(url) as store:
        store.upsert_articles([new(n, title=f"Newer story {n}") for n in range(30, 40)])
        assert store.search("lost").items == ()
        assert len(store.search("newer").items) == 10


def test_another_process_writes_are_found(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    reader, writer = open_store(url), open_store(url)
    try:
        writer.upsert_articles([new(n, title=f"Heron {n}") for n in range(7)])
        assert len(reader.search("heron").items) == 7
    finally:
        writer.close()
        reader.close()


def test_an_in_memory_database_searches_too() -> None:
    with open_store("sqlite://") as store:
        store.upsert_articles([new(n, title=f"Otter {n}") for n in range(4)])
        assert len(store.search("otter").items) == 4
