"""Keyset paging of the river: newest first, no duplicate and no gap while stories arrive."""

from __future__ import annotations

from datetime import timedelta

import pytest
from store_factory import BASE, new

from newsfeed.store import ArticleFilter, SqlStorage
from newsfeed.types import ArticleRecord


def _walk(store: SqlStorage, limit: int, f: ArticleFilter = ArticleFilter()) -> list[ArticleRecord]:  # noqa: B008
    seen: list[ArticleRecord] = []
    cursor = None
    while True:
        page = store.list_articles(f, cursor=cursor, limit=limit)
        seen.extend(page.items)
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


def test_pages_are_newest_first_and_complete(store: SqlStorage) -> None:
    store.upsert_articles([new(n) for n in range(23)])
    records = _walk(store, 5)
    assert [r.article.title.split()[1] for r in records] == [str(n) for n in range(22, -1, -1)]


def test_equal_sort_times_are_split_by_id(store: SqlStorage) -> None:
    store.upsert_articles([new(n, published=BASE) for n in range(12)])
    records = _walk(store, 5)
    assert len({r.id for r in records}) == 12
    assert [r.id for r in records] == sorted((r.id for r in records), reverse=True)


def test_no_duplicate_and_no_gap_across_inserts(store: SqlStorage) -> None:
    store.upsert_articles([new(n) for n in range(0, 40, 2)])  # even minutes
    first = store.list_articles(limit=7)
    assert first.next_cursor is not None
    # While the reader looks at page one, newer, older and same-time stories arrive.
    store.upsert_articles([new(n) for n in (101, 102, 33, 5, -3)])
    store.upsert_articles(
        [new(1000 + n, published=first.items[-1].article.published) for n in range(3)]
    )
    seen = list(first.items)
    cursor = first.next_cursor
    while cursor:
        page = store.list_articles(cursor=cursor, limit=7)
        seen.extend(page.items)
        cursor = page.next_cursor
    ids = [r.id for r in seen]
    assert len(ids) == len(set(ids)), "a story was shown twice"
    titles = {r.article.title.split()[1] for r in seen}
    originally = {str(n) for n in range(0, 40, 2)}
    assert originally <= titles, f"gap: {sorted(originally - titles)}"
    assert {"5", "-3"} <= titles  # older arrivals still show up further down
    # Newer ones (and same-time ones, with higher ids) sort above the cursor: not repeated.
    assert not {"101", "102", "33", "1000", "1001", "1002"} & titles
    times = [(r.article.published, r.id) for r in seen]
    assert times == sorted(times, reverse=True)


def test_paging_with_a_filter(store: SqlStorage) -> None:
    source = store.add_source("https://a.example/feed", "A")
    store.upsert_articles(
        [new(n, source_id=source.id if n % 3 == 0 else None, guid=f"g{n}") for n in range(30)]
    )
    records = _walk(store, 4, ArticleFilter(source_id=source.id))
    assert [r.article.title.split()[1] for r in records] == [str(n) for n in range(27, -1, -3)]


def test_first_seen_orders_undated_stories(store: SqlStorage) -> None:
    from store_factory import article

    from newsfeed.store import NewArticle

    store.upsert_articles(
        [
            NewArticle(article(1, published=None), fetched_at=BASE + timedelta(days=1)),
            NewArticle(article(2), fetched_at=BASE),
        ]
    )
    assert [r.article.title.split()[1] for r in _walk(store, 10)] == ["1", "2"]


@pytest.mark.parametrize("cursor", ["garbage!", "e30", "eyJrIjoic2VhcmNoIn0"])
def test_a_cursor_this_store_did_not_make(store: SqlStorage, cursor: str) -> None:
    with pytest.raises(ValueError, match="cursor"):
        store.list_articles(cursor=cursor)


def test_limit_is_checked(store: SqlStorage) -> None:
    with pytest.raises(ValueError, match="limit"):
        store.list_articles(limit=0)
