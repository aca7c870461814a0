"""The store methods the update pipeline relies on, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from store_factory import BASE, new

from newsfeed.store import SqlStorage


def test_known_guids_are_per_source(store: SqlStorage) -> None:
    a = store.add_source("https://a.example/feed", "A")
    b = store.add_source("https://b.example/feed", "B")
    store.upsert_articles([new(1, a.id, "g1"), new(2, a.id, "g2"), new(3, b.id, "g3")])
    assert store.known_guids(a.id, ["g1", "g3", "g9", "g1"]) == {"g1"}
    assert store.known_guids(b.id, ["g3"]) == {"g3"}
    assert store.known_guids(a.id, []) == set()


def test_known_guids_with_many_guids(store: SqlStorage) -> None:
    a = store.add_source("https://a.example/feed", "A")
    store.upsert_articles([new(n, a.id, f"g{n}") for n in range(0, 1200, 7)])
    asked = [f"g{n}" for n in range(1200)]
    assert store.known_guids(a.id, asked) == {f"g{n}" for n in range(0, 1200, 7)}


def test_recheck_candidates_are_recent_and_newest_first(store: SqlStorage) -> None:
    store.upsert_articles([new(n) for n in (10, 50, 90)])
    found = store.recheck_candidates(BASE + timedelta(minutes=40))
    assert [r.article.url for r in found] == [
        "https://news.example/story/90",
        "https://news.example/story/50",
    ]


def test_mark_checked_moves_last_checked_only(store: SqlStorage) -> None:
    [result] = store.upsert_articles([new(1)])
    before = store.get_article(result.article_id)
    when = BASE + timedelta(days=3)
    store.mark_checked(result.article_id, when)
    after = store.get_article(result.article_id)
    assert after.last_checked == when
    assert after.article == before.article
    assert len(store.get_revisions(result.article_id)) == 1
