"""Deferred full-text indexing: a bulk write stores now and search catches up later.

On PostgreSQL the index is a generated column, so nothing ever waits; the same tests
check that there ``update_search`` has nothing to do.
"""

from __future__ import annotations

import sqlalchemy as sa
from store_factory import new

from newsfeed.store import SqlStorage


def _found(store: SqlStorage, query: str) -> set[int]:
    return {hit.record.id for hit in store.search(query).items}


def _waits(store: SqlStorage) -> bool:
    return store.dialect == "sqlite"


def _index_is_exact(store: SqlStorage) -> None:
    """FTS5's own check of the index against the articles table (SQLite only)."""
    if store.dialect == "sqlite":
        with store._engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)"
            )


def test_an_ordinary_write_is_searchable_at_once(store: SqlStorage) -> None:
    store.upsert_articles([new(1, title="Drones over Kyiv")])
    assert _found(store, "drones") == {1}
    assert store.search_backlog() == 0
    _index_is_exact(store)


def test_a_deferred_write_is_searchable_after_update_search(store: SqlStorage) -> None:
    store.upsert_articles(
        [new(n, title=f"Drones report {n}") for n in range(1, 6)], defer_search=True
    )
    assert store.count_articles() == 5
    if _waits(store):
        assert _found(store, "drones") == set()
        assert store.search_backlog() == 5
    assert store.update_search(batch=2) == (5 if _waits(store) else 0)
    assert _found(store, "drones") == {1, 2, 3, 4, 5}
    assert store.search_backlog() == 0
    _index_is_exact(store)


def test_a_queued_article_changed_before_indexing_is_indexed_as_it_is_now(
    store: SqlStorage,
) -> None:
    store.upsert_articles(
        [new(1, title="Drones over Kyiv", text="Drones at night.")], defer_search=True
    )
    store.upsert_articles([new(1, title="Balloons over Kyiv", text="Balloons at dawn.")])
    assert _found(store, "balloons") == {1}
    assert _found(store, "drones") == set()
    store.update_search()
    _index_is_exact(store)


def test_an_indexed_article_changed_by_a_deferred_write_leaves_no_stale_words(
    store: SqlStorage,
) -> None:
    store.upsert_articles([new(1, title="Drones over Kyiv", text="Drones at night.")])
    store.upsert_articles(
        [new(1, title="Balloons over Kyiv", text="Balloons at dawn.")], defer_search=True
    )
    assert _found(store, "drones") == set()
    store.update_search()
    assert _found(store, "balloons") == {1}
    _index_is_exact(store)


def test_an_ordinary_write_leaves_the_bulk_backlog_to_update_search(store: SqlStorage) -> None:
    store.upsert_articles([new(n) for n in range(1, 4)], defer_search=True)
    [ordinary] = store.upsert_articles([new(9, title="Drones over Kyiv")])
    assert _found(store, "drones") == {ordinary.article_id}
    assert store.search_backlog() == (3 if _waits(store) else 0)


def test_deleting_a_queued_article_keeps_the_index_exact(store: SqlStorage) -> None:
    store.upsert_articles([new(1, title="Drones one"), new(2, title="Drones two")])
    store.upsert_articles([new(3, title="Drones three")], defer_search=True)
    with store._engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM articles WHERE id IN (2, 3)"))
    assert store.search_backlog() == 0
    assert _found(store, "drones") == {1}
    _index_is_exact(store)
