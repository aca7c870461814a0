"""Full-text search: ranking, filters, paging and snippet escaping, on both backends."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from store_factory import BASE, new

from newsfeed.store import ArticleFilter, SqlStorage, _search, open_store
from newsfeed.types import Author

FILLER = "The council met on Tuesday to discuss the budget for next year. "


def test_title_match_outranks_a_passing_mention(store: SqlStorage) -> None:
    store.upsert_articles(
        [
            new(1, title="Budget talks", text=FILLER * 5 + "A word on drones."),
            new(2, title="Drones strike Kyiv", text="Drones hit the city. Drones again." + FILLER),
            new(3, title="Weather", text=FILLER * 3),
        ]
    )
    page = store.search("drones")
    assert [h.record.article.title for h in page.items] == ["Drones strike Kyiv", "Budget talks"]
    assert page.items[0].rank > page.items[1].rank
    assert page.next_cursor is None


def test_all_words_must_match_and_syntax_is_plain(store: SqlStorage) -> None:
    store.upsert_articles(
        [
            new(1, title="Zelensky meets Trump", text="In Washington."),
            new(2, title="Zelensky speaks", text="In Kyiv."),
        ]
    )
    assert [h.record.id for h in store.search("zelensky trump").items] == [1]
    assert len(store.search('Zelensky "OR" NEAR( *').items) == 0
    assert len(store.search("zelensky AND (").items) == 0  # operators are words, not syntax
    assert store.search("  ?! ").items == ()
    assert len(store.search("ZELENSKY").items) == 2


def test_search_filters(store: SqlStorage) -> None:
    a = store.add_source("https://a.example/feed", "A")
    b = store.add_source("https://b.example/feed", "B")
    store.upsert_articles(
        [
            new(1, a.id, "1", title="Drones one", authors=(Author("Ann"),)),
            new(2, a.id, "2", title="Drones two", authors=(Author("Bob"),)),
            new(3, b.id, "3", title="Drones three", authors=(Author("Ann"),)),
            new(4, b.id, "4", title="Drones four"),
        ]
    )

    def titles(f: ArticleFilter) -> set[str]:
        return {h.record.article.title for h in store.search("drones", f).items}

    assert titles(ArticleFilter()) == {"Drones one", "Drones two", "Drones three", "Drones four"}
    assert titles(ArticleFilter(source_id=a.id)) == {"Drones one", "Drones two"}
    assert titles(ArticleFilter(author="Ann")) == {"Drones one", "Drones three"}
    assert titles(ArticleFilter(author="Ann", source_id=b.id)) == {"Drones three"}
    window = ArticleFilter(since=BASE + timedelta(minutes=2), until=BASE + timedelta(minutes=4))
    assert titles(window) == {"Drones two", "Drones three"}


def test_search_pages_by_cursor(store: SqlStorage) -> None:
    store.upsert_articles(
        [new(n, title=f"Drones {n}", text="drones " * (n % 5 + 1)) for n in range(25)]
    )
    seen: list[int] = []
    cursor = None
    while True:
        page = store.search("drones", cursor=cursor, limit=10)
        seen.extend(h.record.id for h in page.items)
        ranks = [h.rank for h in page.items]
        assert ranks == sorted(ranks, reverse=True)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == 25
    assert len(set(seen)) == 25
    with pytest.raises(ValueError, match="different search"):
        store.search("budget", cursor=store.search("drones", limit=10).next_cursor)


def test_snippet_marks_matches_and_escapes_the_rest(store: SqlStorage) -> None:
    store.upsert_articles(
        [
            new(
                1,
                title="Hello <script>alert(1)</script> drones",
                text="Officials said a<b and x>y & that drones <img src=x onerror=alert(1)> flew.",
            )
        ]
    )
    [hit] = store.search("hello").items  # a title word: the title is the snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hit.snippet
    assert "<mark>Hello</mark>" in hit.snippet
    assert "<script" not in hit.snippet
    [hit] = store.search("onerror").items  # a body word
    assert "<mark>onerror</mark>" in hit.snippet
    assert "&lt;img src=x" in hit.snippet
    assert " &amp; " in hit.snippet
    assert "a&lt;b and x&gt;y" in hit.snippet
    assert "<img" not in hit.snippet
    # The text that looks like a tag is still searchable.
    assert len(store.search("onerror").items) == 1
    assert len(store.search("and x").items) == 1


def test_search_finds_title_only_words(store: SqlStorage) -> None:
    store.upsert_articles([new(1, title="Ushakov briefs reporters", text="Nothing else here.")])
    [hit] = store.search("ushakov").items
    assert "<mark>Ushakov</mark>" in hit.snippet


def test_search_sees_updates(store: SqlStorage) -> None:
    store.upsert_articles([new(1, title="Old headline", text="nothing")])
    store.upsert_articles([new(1, title="Fresh headline", text="nothing")])
    assert store.search("old").items == ()
    assert len(store.search("fresh").items) == 1


def test_very_common_words_on_a_big_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Words in most recent stories stop narrowing or ranking (bm25 gives them ~no weight)."""
    monkeypatch.setattr(_search, "SAMPLE_ABOVE", 0)  # as if the database were big
    monkeypatch.setattr(_search, "SAMPLE", 10)
    with open_store(f"sqlite:///{tmp_path / 'n.db'}") as store:
        store.upsert_articles([new(n, title=f"Common {n}", text="common words") for n in range(20)])
        store.upsert_articles([new(100, title="Rare ushakov", text="no stop word here")])
        store.upsert_articles([new(101, title="Common ushakov", text="common ushakov ushakov")])
        both = store.search("common ushakov")
        assert [h.record.id for h in both.items] == [22, 21]  # ranked by bm25: 22 says it 3x
        assert both.items[0].rank > both.items[1].rank
        assert "<mark>ushakov</mark>" in both.items[1].snippet.lower()
        only_common = store.search("common", limit=5)
        assert [h.record.id for h in only_common.items] == [22, 20, 19, 18, 17]  # newest first
        assert {h.rank for h in only_common.items} == {0.0}
        assert "<mark>Common</mark>" in only_common.items[0].snippet
