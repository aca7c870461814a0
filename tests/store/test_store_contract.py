"""The Storage contract, method by method, on SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from store_factory import BASE, article, full_article, new

from newsfeed.errors import NotFoundError, SourceNotFoundError, StorageError
from newsfeed.store import ArticleFilter, NewArticle, SqlStorage
from newsfeed.types import Author, DiffChunk, EditorNote

# --- sources -----------------------------------------------------------------------------


def test_add_source_is_idempotent(store: SqlStorage) -> None:
    first = store.add_source("https://a.example/feed", "A", kind="atom", category="world")
    again = store.add_source("https://a.example/feed", "Another title")
    assert again == first
    assert first.kind == "atom"
    assert first.category == "world"
    assert first.added is not None
    assert first.added.tzinfo is not None
    assert store.list_sources() == [first]


def test_get_source_and_by_url(store: SqlStorage) -> None:
    source = store.add_source("https://a.example/feed", "A")
    assert store.get_source(source.id) == source
    assert store.get_source_by_url("https://a.example/feed") == source
    assert store.get_source_by_url("https://nope.example/feed") is None
    with pytest.raises(SourceNotFoundError):
        store.get_source(source.id + 100)


def test_list_sources_by_title(store: SqlStorage) -> None:
    for title in ("charlie", "Alpha", "bravo"):
        store.add_source(f"https://{title}.example/feed", title)
    assert [s.title for s in store.list_sources()] == ["Alpha", "bravo", "charlie"]


def test_update_source_saves_every_mutable_field(store: SqlStorage) -> None:
    source = store.add_source("https://a.example/feed", "A")
    when = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    changed = dataclasses.replace(
        source,
        title="A, renamed",
        category="tech",
        last_fetched=when,
        last_error="timed out",
        next_check=when + timedelta(hours=1),
        error_count=3,
        etag='"abc"',
        last_modified="Wed, 01 Jan 2025 00:00:00 GMT",
        interval_seconds=900,
        fetch_full_page=False,
    )
    store.update_source(changed)
    got = store.get_source(source.id)
    assert got == changed
    assert got.last_fetched is not None
    assert got.last_fetched.utcoffset() == timedelta(0)  # read back in UTC
    with pytest.raises(SourceNotFoundError):
        store.update_source(dataclasses.replace(changed, id=source.id + 100))


def test_update_source_to_a_taken_url_fails_at_once(store: SqlStorage) -> None:
    first = store.add_source("https://a.example/feed", "A")
    second = store.add_source("https://b.example/feed", "B")
    started = time.monotonic()
    with pytest.raises(StorageError, match="could not save the source"):
        store.update_source(dataclasses.replace(second, url=first.url))
    assert time.monotonic() - started < 5  # a real conflict is not retried
    assert store.get_source(second.id).url == "https://b.example/feed"


def test_remove_source_detaches_its_articles(store: SqlStorage) -> None:
    source = store.add_source("https://a.example/feed", "A")
    [result] = store.upsert_articles([new(1, source_id=source.id, guid="g1")])
    store.remove_source(source.id)
    assert store.list_sources() == []
    record = store.get_article(result.article_id)
    assert record.source_id is None
    assert record.guid == "g1"
    with pytest.raises(SourceNotFoundError):
        store.remove_source(source.id)


# --- articles ----------------------------------------------------------------------------


def test_full_article_round_trips_exactly(store: SqlStorage) -> None:
    original = full_article()
    fetched = datetime(2025, 8, 8, 10, 0, tzinfo=UTC)
    [result] = store.upsert_articles([NewArticle(original, guid="x", fetched_at=fetched)])
    record = store.get_article(result.article_id)
    assert record.article == original
    assert record.first_seen == fetched
    assert record.last_checked == fetched
    assert record.guid == "x"
    assert record.revision_count == 1
    assert (record.read, record.saved, record.story_id, record.extract_error) == (
        False,
        False,
        None,
        None,
    )


def test_list_without_body_keeps_every_card_field(store: SqlStorage) -> None:
    original = full_article()
    counted = dataclasses.replace(article(2), word_count=0)  # reading time counts its words
    store.upsert_articles([NewArticle(original, guid="x"), new(1), NewArticle(counted)])
    full = {r.id: r for r in store.list_articles().items}
    brief = {r.id: r for r in store.list_articles(body=False).items}
    assert brief.keys() == full.keys()
    body = ("text", "html", "blocks", "figures", "editor_notes", "related")
    for record_id, record in full.items():
        kept = brief[record_id]
        left_out = {name: "" if name in ("text", "html") else () for name in body}
        if record.article.word_count == 0:
            del left_out["text"]
        assert kept == dataclasses.replace(
            record, article=dataclasses.replace(record.article, **left_out)
        )
    assert any(r.article.word_count == 0 and r.article.text for r in brief.values())


def test_upsert_is_idempotent(store: SqlStorage) -> None:
    batch = [new(n) for n in range(50)]
    first = store.upsert_articles(batch)
    assert all(r.created for r in first)
    again = store.upsert_articles(batch)
    assert [r.article_id for r in again] == [r.article_id for r in first]
    assert not any(r.created or r.changed for r in again)
    assert store.count_articles() == 50
    assert all(len(store.get_revisions(r.article_id)) == 1 for r in first[:5])


def test_upsert_keys_by_guid_when_there_is_no_url(store: SqlStorage) -> None:
    source = store.add_source("https://a.example/feed", "A")
    item = NewArticle(article(1, url=None), source_id=source.id, guid="entry-1")
    [first] = store.upsert_articles([item])
    [again] = store.upsert_articles([item])
    assert again.article_id == first.article_id
    assert not again.created
    other = store.add_source("https://b.example/feed", "B")
    [elsewhere] = store.upsert_articles(
        [NewArticle(item.article, source_id=other.id, guid="entry-1")]
    )
    assert elsewhere.created  # the same guid from another feed is another story
    assert store.count_articles() == 2


def test_upsert_finds_a_story_by_guid_when_its_url_changed(store: SqlStorage) -> None:
    source = store.add_source("https://a.example/feed", "A")
    [first] = store.upsert_articles([new(1, source_id=source.id, guid="g")])
    moved = new(1, source_id=source.id, guid="g", url="https://news.example/moved", title="New")
    [again] = store.upsert_articles([moved])
    assert (again.article_id, again.created, again.changed) == (first.article_id, False, True)
    assert store.get_article_by_url("https://news.example/moved") is not None


def test_upsert_the_same_story_twice_in_one_batch(store: SqlStorage) -> None:
    results = store.upsert_articles([new(1), new(1, title="Edited"), new(2)])
    assert results[0].created
    assert (results[1].article_id, results[1].created, results[1].changed) == (
        results[0].article_id,
        False,
        True,
    )
    assert store.count_articles() == 2
    assert store.get_article(results[0].article_id).article.title == "Edited"


def test_upsert_without_any_key_is_refused(store: SqlStorage) -> None:
    with pytest.raises(StorageError, match="no URL and no feed guid"):
        store.upsert_articles([NewArticle(article(1, url=None))])
    assert store.count_articles() == 0


def test_upsert_of_an_unknown_source_fails_and_writes_nothing(store: SqlStorage) -> None:
    with pytest.raises(StorageError):
        store.upsert_articles([new(1), new(2, source_id=999, guid="g")])
    assert store.count_articles() == 0  # one transaction: the good row went too


def test_change_writes_a_revision_with_a_word_diff(store: SqlStorage) -> None:
    text = "Russia launched 40 drones overnight."
    [first] = store.upsert_articles([new(1, title="Attack", text=text)])
    edited = new(
        1,
        title="Attack",
        text="Russia launched 45 drones and two missiles overnight.",
        editor_notes=(EditorNote("The story was updated with the missile count."),),
    )
    [second] = store.upsert_articles([edited])
    assert (second.created, second.changed) == (False, True)
    revisions = store.get_revisions(first.article_id)
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].diff == ()
    assert revisions[0].text == text
    assert revisions[1].text == edited.article.text
    assert revisions[1].editor_notes == edited.article.editor_notes
    assert revisions[1].diff == (
        DiffChunk("equal", "Attack\n\nRussia launched"),
        DiffChunk("delete", " 40"),
        DiffChunk("insert", " 45"),
        DiffChunk("equal", " drones"),
        DiffChunk("insert", " and two missiles"),
        DiffChunk("equal", " overnight."),
    )
    assert store.get_article(first.article_id).revision_count == 2
    # A note alone is a change too; the unchanged re-fetch is not.
    third = new(1, title="Attack", text=edited.article.text, editor_notes=())
    assert store.upsert_articles([third])[0].changed
    assert not store.upsert_articles([third])[0].changed
    assert len(store.get_revisions(first.article_id)) == 3
    assert store.get_revisions(first.article_id)[1].text == edited.article.text


def test_get_article_missing(store: SqlStorage) -> None:
    with pytest.raises(NotFoundError):
        store.get_article(12345)


def test_get_article_by_url_canonical_then_fetched(store: SqlStorage) -> None:
    a = article(1, url="https://n.example/a?ref=rss", canonical_url="https://n.example/a")
    [result] = store.upsert_articles([NewArticle(a)])
    assert store.get_article_by_url("https://n.example/a").id == result.article_id  # type: ignore[union-attr]
    assert store.get_article_by_url("https://n.example/a?ref=rss").id == result.article_id  # type: ignore[union-attr]
    assert store.get_article_by_url("https://n.example/other") is None


def test_flags(store: SqlStorage) -> None:
    [r] = store.upsert_articles([new(1)])
    store.set_read(r.article_id, True)
    store.set_saved(r.article_id, True)
    record = store.get_article(r.article_id)
    assert (record.read, record.saved) == (True, True)
    assert store.count_articles(ArticleFilter(read=True)) == 1
    assert store.count_articles(ArticleFilter(saved=False)) == 0
    store.set_read(r.article_id, False)
    assert not store.get_article(r.article_id).read
    # Re-fetching an unchanged story keeps the reader's flags.
    store.upsert_articles([new(1)])
    assert store.get_article(r.article_id).saved
    with pytest.raises(NotFoundError):
        store.set_read(999, True)
    with pytest.raises(NotFoundError):
        store.set_saved(999, True)


def test_get_revisions_missing(store: SqlStorage) -> None:
    with pytest.raises(NotFoundError):
        store.get_revisions(999)


def test_count_and_filters(store: SqlStorage) -> None:
    a = store.add_source("https://a.example/feed", "A")
    b = store.add_source("https://b.example/feed", "B")
    ann, bob = Author("Ann Lee", "Editor"), Author("Bob Ray")
    store.upsert_articles(
        [
            new(1, source_id=a.id, guid="1", authors=(ann,)),
            new(2, source_id=a.id, guid="2", authors=(ann, bob)),
            new(3, source_id=b.id, guid="3", authors=(bob,)),
            new(4, source_id=b.id, guid="4"),
        ]
    )
    assert store.count_articles() == 4
    assert store.count_articles(ArticleFilter(source_id=a.id)) == 2
    assert store.count_articles(ArticleFilter(author="Ann Lee")) == 2
    assert store.count_articles(ArticleFilter(author="Bob Ray", source_id=b.id)) == 1
    since = BASE + timedelta(minutes=2)
    assert store.count_articles(ArticleFilter(since=since)) == 3
    assert store.count_articles(ArticleFilter(since=since, until=since + timedelta(minutes=2))) == 2
    listed = store.list_articles(ArticleFilter(author="Bob Ray"))
    assert [r.article.title for r in listed.items] == [
        "Story 3 about delta",
        "Story 2 about charlie",
    ]


def test_list_authors(store: SqlStorage) -> None:
    ann = Author("Ann Lee", "News Editor", "Ann covers Kyiv.", "https://i.example/ann.png")
    store.upsert_articles(
        [new(1, authors=(ann,)), new(2, authors=(ann, Author("Bob Ray"))), new(3)]
    )
    authors = store.list_authors()
    assert [(a.name, a.article_count) for a in authors] == [("Ann Lee", 2), ("Bob Ray", 1)]
    assert (authors[0].role, authors[0].bio, authors[0].avatar_url) == (
        "News Editor",
        "Ann covers Kyiv.",
        "https://i.example/ann.png",
    )
    assert len(store.list_authors(limit=1)) == 1


def test_naive_datetimes_are_refused(store: SqlStorage) -> None:
    with pytest.raises(StorageError, match="naive datetime"):
        store.upsert_articles([new(1, published=datetime(2024, 1, 1))])


def test_close_twice(store: SqlStorage) -> None:
    store.close()
    store.close()
