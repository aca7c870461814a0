"""Stories, near-duplicate links, vectors and state blobs, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from store_factory import BASE, new

from newsfeed.errors import NotFoundError
from newsfeed.store import ArticleFilter, SqlStorage, StoryChanges, StoryRow, VectorRow


def story(story_id: int, members: tuple[int, ...], hours: int = 0, outlets: int = 1) -> StoryRow:
    return StoryRow(
        id=story_id,
        title=f"Story {story_id}",
        first_seen=BASE,
        last_seen=BASE + timedelta(hours=hours),
        article_count=len(members),
        outlet_count=outlets,
    )


def ids(store: SqlStorage, n: int) -> list[int]:
    return [r.article_id for r in store.upsert_articles([new(i) for i in range(n)])]


def test_assign_get_and_rewrite_stories(store: SqlStorage) -> None:
    a, b, c = ids(store, 3)
    changes = StoryChanges(stories=(story(7, (a, b), outlets=2),), assign=((a, 7), (b, 7)))
    store.apply_story_changes(changes)
    store.apply_story_changes(changes)  # idempotent
    got = store.get_story(7)
    assert got.article_ids == (a, b)
    assert got.outlet_count == 2
    assert store.get_article(a).story_id == 7
    assert store.count_articles(ArticleFilter(story_id=7)) == 2
    store.apply_story_changes(
        StoryChanges(stories=(story(7, (a, b, c), hours=2),), assign=((c, 7),))
    )
    assert store.get_story(7).last_seen == BASE + timedelta(hours=2)
    with pytest.raises(NotFoundError):
        store.get_story(99)


def test_merged_story_moves_its_articles_and_disappears(store: SqlStorage) -> None:
    a, b = ids(store, 2)
    store.apply_story_changes(
        StoryChanges(stories=(story(1, (a,)), story(2, (b,))), assign=((a, 1), (b, 2)))
    )
    store.apply_story_changes(StoryChanges(stories=(story(1, (a, b)),), merged=((2, 1),)))
    assert store.get_story(1).article_ids == (a, b)
    assert store.get_article(b).story_id == 1
    with pytest.raises(NotFoundError):
        store.get_story(2)


def test_list_stories_pages_by_latest_activity(store: SqlStorage) -> None:
    members = ids(store, 5)
    rows = tuple(story(n + 1, (members[n],), hours=n % 3) for n in range(5))
    store.apply_story_changes(
        StoryChanges(stories=rows, assign=tuple((members[n], n + 1) for n in range(5)))
    )
    seen: list[int] = []
    cursor = None
    while True:
        page = store.list_stories(cursor=cursor, limit=2)
        seen.extend(s.id for s in page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [3, 5, 2, 4, 1]
    assert store.list_stories(min_articles=2).items == ()
    with pytest.raises(ValueError, match="story cursor"):
        store.list_stories(cursor="bogus")


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
    store.apply_story_changes(StoryChanges(stories=(story(1, (a,)),), assign=((a, 1),)))
    store.add_duplicates(b, [a])
    store.reset_stories()
    assert store.get_article(a).story_id is None
    assert store.get_duplicates(a) == []
    assert store.list_vectors() == []
    assert store.load_state("clusterer") is None


def test_articles_oldest_first_pages_through_everything(store: SqlStorage) -> None:
    store.upsert_articles([new(n) for n in (5, 1, 3, 2, 4)])
    order: list[str] = []
    after = None
    while batch := store.articles_oldest_first(after=after, limit=2):
        order.extend(r.article.title for r in batch)
        last = batch[-1]
        after = (last.article.published or BASE, last.id)
    assert order == [
        f"Story {n} about {w}"
        for n, w in [(1, "bravo"), (2, "charlie"), (3, "delta"), (4, "echo"), (5, "foxtrot")]
    ]
