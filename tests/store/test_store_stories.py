"""Stories, near-duplicate links, vectors and state blobs, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from store_factory import BASE, new

from newsfeed.errors import NotFoundError
from newsfeed.store import ArticleFilter, SqlStorage, StoryChanges, VectorRow


def ids(store: SqlStorage, n: int, source_id: int | None = None) -> list[int]:
    items = [new(i, source_id, f"g{i}") for i in range(n)]
    return [r.article_id for r in store.upsert_articles(items)]


def test_assign_and_derive_story_rows(store: SqlStorage) -> None:
    one = store.add_source("https://one.example/feed", "One")
    two = store.add_source("https://two.example/feed", "Two")
    a, b = ids(store, 2, one.id)
    [c] = [r.article_id for r in store.upsert_articles([new(9, two.id, "x")])]
    changes = StoryChanges(assign=((a, 7), (b, 7)), titles=((7, "Talks"),))
    store.apply_story_changes(changes)
    store.apply_story_changes(changes)  # idempotent
    got = store.get_story(7)
    assert (got.title, got.article_ids, got.outlet_count) == ("Talks", (a, b), 1)
    assert got.first_seen == BASE
    assert store.get_article(a).story_id == 7
    store.apply_story_changes(StoryChanges(assign=((c, 7),)))
    got = store.get_story(7)
    assert (got.title, got.outlet_count) == ("Talks", 2)
    assert got.last_seen == BASE + timedelta(minutes=9)
    assert store.count_articles(ArticleFilter(story_id=7)) == 3
    with pytest.raises(NotFoundError):
        store.get_story(99)


def test_untitled_story_takes_its_first_articles_title(store: SqlStorage) -> None:
    a, b = ids(store, 2)
    store.apply_story_changes(StoryChanges(assign=((b, 3), (a, 3))))
    assert store.get_story(3).title == store.get_article(a).article.title


def test_merged_story_moves_its_articles_and_disappears(store: SqlStorage) -> None:
    a, b = ids(store, 2)
    store.apply_story_changes(StoryChanges(assign=((a, 1), (b, 2))))
    store.apply_story_changes(StoryChanges(merged=((2, 1),)))
    assert store.get_story(1).article_ids == (a, b)
    assert store.get_article(b).story_id == 1
    with pytest.raises(NotFoundError):
        store.get_story(2)


def test_list_stories_pages_by_latest_activity(store: SqlStorage) -> None:
    members = ids(store, 5)
    store.apply_story_changes(
        StoryChanges(assign=tuple((m, 10 - n) for n, m in enumerate(members)))
    )
    seen: list[int] = []
    cursor = None
    while True:
        page = store.list_stories(cursor=cursor, limit=2)
        seen.extend(s.id for s in page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [6, 7, 8, 9, 10]
    assert store.list_stories(min_articles=2).items == ()
    with pytest.raises(ValueError, match="story cursor"):
        store.list_stories(cursor="bogus")


def test_get_stories_reads_many_as_get_story_does(store: SqlStorage) -> None:
    a, b, c = ids(store, 3)
    store.apply_story_changes(StoryChanges(assign=((b, 4), (a, 4), (c, 5))))
    got = store.get_stories([5, 4, 99, 4])
    assert got == {4: store.get_story(4), 5: store.get_story(5)}
    assert got[4].article_ids == (a, b)
    assert store.get_stories([]) == {}


def test_duplicates_are_linked_both_ways_once(store: SqlStorage) -> None:
    a, b, c = ids(store, 3)
    store.add_duplicates(b, [a])
    store.add_duplicates(b, [a, b])
    store.add_duplicates(c, [a])
    assert store.get_duplicates(a) == [b, c]
    assert store.get_duplicates(b) == [a]
    assert store.get_duplicates(c) == [a]


def test_vectors_state_and_reset(store: SqlStorage) -> None:
    a, b = ids(store, 2)
    store.save_vectors([VectorRow(a, b"\x01" * 8, b"\x02" * 4), VectorRow(b, None, b"")])
    store.save_vectors([VectorRow(a, b"\x03" * 8, b"\x02" * 4)])
    rows = store.list_vectors()
    assert [(r.article_id, r.embedding) for r in rows] == [(a, b"\x03" * 8), (b, None)]
    assert store.list_vectors(after_id=a) == [rows[1]]
    assert store.list_vectors(since=BASE + timedelta(days=1)) == []
    assert store.load_state("clusterer") is None
    store.save_state("clusterer", b"one")
    store.save_state("clusterer", b"two")
    assert store.load_state("clusterer") == b"two"
    store.apply_story_changes(StoryChanges(assign=((a, 1),)))
    store.add_duplicates(b, [a])
    store.reset_stories()
    assert store.get_article(a).story_id is None
    assert store.get_duplicates(a) == []
    assert store.list_vectors() == []
    assert store.load_state("clusterer") is None


def test_articles_in_order_pages_through_everything_oldest_first(store: SqlStorage) -> None:
    store.upsert_articles([new(n) for n in (5, 1, 3, 2, 4)])
    seen: list[str] = []
    after = None
    while batch := store.articles_in_order(after=after, limit=2):
        seen.extend(r.article.url or "" for r in batch)
        after = batch[-1].order_key
    assert seen == [f"https://news.example/story/{n}" for n in (1, 2, 3, 4, 5)]
