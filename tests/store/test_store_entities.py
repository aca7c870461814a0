"""Analyses and the entity index, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from store_factory import new

from newsfeed.errors import NotFoundError
from newsfeed.store import (
    ArticleFilter,
    EntityRef,
    EntitySummary,
    SqlStorage,
    _migrate,
    _upsert,
    open_store,
)

PUTIN = EntityRef("person:vladimir-putin", "Vladimir Putin", "person", 6, ("Russian President",))
TRUMP = EntityRef("person:donald-trump", "Donald Trump", "person", 3)
KYIV = EntityRef("place:kyiv", "Kyiv", "place", 1)
TASS = EntityRef("org:tass", "TASS", "org", 2)


def _stored(store: SqlStorage, *numbers: int) -> list[int]:
    return [r.article_id for r in store.upsert_articles([new(n) for n in numbers])]


def test_saved_analysis_reads_back(store: SqlStorage) -> None:
    (article_id,) = _stored(store, 1)
    analysis = {"version": 1, "quotes": [{"text": "“Hi” <b>", "speaker": "Ünal"}]}
    assert store.get_analysis(article_id) is None
    store.save_analysis(article_id, analysis, [PUTIN])
    assert store.get_analysis(article_id) == analysis


def test_get_analyses_reads_many_at_once(store: SqlStorage) -> None:
    first, second, bare = _stored(store, 1, 2, 3)
    store.save_analysis(first, {"version": 1}, [PUTIN])
    store.save_analysis(second, {"version": 2}, [])
    got = store.get_analyses([bare, second, first, 12345])
    assert got == {first: {"version": 1}, second: {"version": 2}}
    assert store.get_analyses([]) == {}


def test_saving_again_replaces_and_is_idempotent(store: SqlStorage) -> None:
    first, second = _stored(store, 1, 2)
    store.save_analysis(first, {"n": 1}, [PUTIN, TRUMP])
    store.save_analysis(second, {"n": 2}, [PUTIN])
    store.save_analysis(first, {"n": 3}, [PUTIN, KYIV])
    store.save_analysis(first, {"n": 3}, [PUTIN, KYIV])
    assert store.get_analysis(first) == {"n": 3}
    assert store.get_entity(PUTIN.key) == EntitySummary(PUTIN.key, "Vladimir Putin", "person", 2)
    assert store.get_entity(KYIV.key).article_count == 1
    # Dropped from its only article: still known, but named by no story.
    assert store.get_entity(TRUMP.key).article_count == 0
    assert TRUMP.key not in {e.key for e in store.list_entities()}


def test_an_entity_keeps_its_first_name(store: SqlStorage) -> None:
    first, second = _stored(store, 1, 2)
    store.save_analysis(first, {}, [PUTIN])
    store.save_analysis(second, {}, [EntityRef(PUTIN.key, "VLADIMIR PUTIN", "person", 1)])
    assert store.get_entity(PUTIN.key).name == "Vladimir Putin"


def test_saving_many_at_once_is_saving_each(store: SqlStorage) -> None:
    first, second, third = _stored(store, 1, 2, 3)
    store.save_analysis(third, {"n": 0}, [TASS])
    store.save_analyses(
        [
            (first, {"n": 1}, [PUTIN, TRUMP]),
            (second, {"n": 2}, [EntityRef(PUTIN.key, "VLADIMIR PUTIN", "person", 1), KYIV]),
            (third, {"n": 3}, [KYIV]),
            (first, {"n": 4}, [PUTIN]),  # the same article again: the last word wins
        ]
    )
    assert [store.get_analysis(i) for i in (first, second, third)] == [{"n": 4}, {"n": 2}, {"n": 3}]
    assert store.get_entity(PUTIN.key) == EntitySummary(PUTIN.key, "Vladimir Putin", "person", 2)
    assert store.get_entity(KYIV.key).article_count == 2
    assert store.get_entity(TASS.key).article_count == 0
    assert TRUMP.key not in {e.key for e in store.list_entities()}
    with pytest.raises(NotFoundError):
        store.save_analyses([(first, {"n": 5}, []), (first + 99, {}, [])])
    assert store.get_analysis(first) == {"n": 4}  # nothing of a failed batch is saved
    store.save_analyses([])


def test_list_entities_by_story_count_then_name(store: SqlStorage) -> None:
    ids = _stored(store, 1, 2, 3)
    store.save_analysis(ids[0], {}, [PUTIN, TRUMP, KYIV, TASS])
    store.save_analysis(ids[1], {}, [PUTIN, TRUMP])
    store.save_analysis(ids[2], {}, [PUTIN])
    listed = store.list_entities()
    assert [(e.key, e.article_count) for e in listed] == [
        (PUTIN.key, 3),
        (TRUMP.key, 2),
        (KYIV.key, 1),
        (TASS.key, 1),
    ]
    assert [e.key for e in store.list_entities("place")] == [KYIV.key]
    assert [e.key for e in store.list_entities(limit=2)] == [PUTIN.key, TRUMP.key]
    with pytest.raises(ValueError, match="limit"):
        store.list_entities(limit=0)


def test_unknown_entity_and_article(store: SqlStorage) -> None:
    with pytest.raises(NotFoundError):
        store.get_entity("person:nobody")
    with pytest.raises(NotFoundError):
        store.save_analysis(12345, {}, [PUTIN])
    assert store.list_entities() == []


def test_bad_entity_refs_are_refused_before_writing(store: SqlStorage) -> None:
    (article_id,) = _stored(store, 1)
    with pytest.raises(ValueError, match="given twice"):
        store.save_analysis(article_id, {"n": 1}, [PUTIN, PUTIN])
    with pytest.raises(ValueError, match="key"):
        store.save_analysis(article_id, {"n": 1}, [EntityRef("x" * 201, "X", "person", 1)])
    assert store.get_analysis(article_id) is None


def test_filter_by_entity_lists_counts_and_searches(store: SqlStorage) -> None:
    ids = _stored(store, 1, 2, 3)
    store.save_analysis(ids[0], {}, [PUTIN])
    store.save_analysis(ids[2], {}, [PUTIN, KYIV])
    only = ArticleFilter(entity=PUTIN.key)
    page = store.list_articles(only, limit=1)
    assert [r.id for r in page.items] == [ids[2]]
    assert page.next_cursor is not None
    rest = store.list_articles(only, cursor=page.next_cursor, limit=1)
    assert [r.id for r in rest.items] == [ids[0]]
    assert rest.next_cursor is None
    assert store.count_articles(only) == 2
    assert store.count_articles(ArticleFilter(entity=KYIV.key)) == 1
    assert store.count_articles(ArticleFilter(entity="person:nobody")) == 0
    hits = store.search("story", only)
    assert {h.record.id for h in hits.items} == {ids[0], ids[2]}


def test_entity_analyses_newest_first(store: SqlStorage) -> None:
    ids = _stored(store, 1, 2, 3)
    for n, article_id in enumerate(ids):
        store.save_analysis(article_id, {"n": n}, [PUTIN] if n != 1 else [KYIV])
    found = store.entity_analyses(PUTIN.key)
    assert [(f.article_id, f.analysis) for f in found] == [(ids[2], {"n": 2}), (ids[0], {"n": 0})]
    assert found[0].title == "Story 3 about delta"
    assert found[0].url == "https://news.example/story/3"
    assert found[0].published > found[1].published
    assert [f.article_id for f in store.entity_analyses(PUTIN.key, limit=1)] == [ids[2]]
    assert store.entity_analyses("person:nobody") == []


def test_deleting_an_article_drops_its_analysis_and_links(
    store: SqlStorage, store_url: str
) -> None:
    # Cascades keep the index honest when stories are pruned.
    (article_id,) = _stored(store, 1)
    store.save_analysis(article_id, {"n": 1}, [PUTIN])
    other = sa.create_engine(store_url)
    with other.begin() as conn:
        if other.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.execute(sa.text("DELETE FROM articles WHERE id = :id"), {"id": article_id})
    other.dispose()
    assert store.get_analysis(article_id) is None
    assert store.get_entity(PUTIN.key).article_count == 0


def test_counts_are_made_for_a_database_from_before_they_were_kept(store_url: str) -> None:
    engine = sa.create_engine(store_url)
    config = _migrate._config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
        first, second = (r.article_id for r in _upsert.upsert(conn, [new(1), new(2)]))
        conn.execute(
            sa.text("INSERT INTO entities (key, name, kind) VALUES (:key, :name, :kind)"),
            [{"key": e.key, "name": e.name, "kind": e.kind} for e in (PUTIN, TRUMP, KYIV)],
        )
        conn.execute(
            sa.text(
                "INSERT INTO article_entities (article_id, entity_key, mentions, roles) "
                "VALUES (:a, :k, 1, '[]')"
            ),
            [{"a": a, "k": e.key} for a, e in ((first, PUTIN), (second, PUTIN), (second, TRUMP))],
        )
    engine.dispose()
    with open_store(store_url) as store:  # migrates to head
        assert [(e.key, e.article_count) for e in store.list_entities()] == [
            (PUTIN.key, 2),
            (TRUMP.key, 1),
        ]
        assert store.get_entity(KYIV.key).article_count == 0
        store.save_analysis(first, {}, [KYIV])
        assert store.get_entity(PUTIN.key).article_count == 1
        assert store.get_entity(KYIV.key).article_count == 1
