"""Stories in the real pipeline: simulated publishers on loopback into a real SQLite file."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from newsfeed._simulator_content import EPOCH
from newsfeed.store import SqlStorage, open_store
from newsfeed.stories.step import STATE_NAME, StoryStep
from newsfeed.update import UpdateOptions, Updater
from simulator import Simulator, loopback_options

WIRE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>GENEVA (Wire) — Negotiators from both countries agreed late on Thursday to extend the "
    "ceasefire by thirty days, according to officials familiar with the talks.</p>"
    "<p>The agreement, reached after eleven hours of talks at a lakeside hotel, allows aid "
    "convoys to reach the besieged eastern towns for the first time since spring.</p>"
    "<p>{extra}</p></article></body></html>"
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStorage]:
    storage = open_store(f"sqlite:///{tmp_path / 'newsfeed.db'}")
    yield storage
    storage.close()


def run_round(store: SqlStorage, step: StoryStep) -> None:
    options = UpdateOptions(fetch=loopback_options(), extract_workers=0, after_store=(step,))
    clock = lambda: EPOCH + timedelta(minutes=5)  # noqa: E731
    asyncio.run(Updater(store, options, clock=clock).run_round(due_only=False))


def test_wire_copies_are_linked_and_share_a_story(store: SqlStorage) -> None:
    with Simulator(publishers=3, items=3) as sim:
        for n, pub in enumerate(sim.publishers):
            page = WIRE.format(
                title=f"Ceasefire extended by thirty days (outlet {n})",
                extra=f"Outlet {n} adds a line of its own about the reaction.",
            )
            pub.set_route("/articles/0.html", page.encode(), headers={"Content-Type": "text/html"})
            store.add_source(pub.feed_url, f"Outlet {n}")
        run_round(store, StoryStep())
        wire = [store.get_article_by_url(p.article_url(0)) for p in sim.publishers]
    ids = [r.id for r in wire if r is not None]
    assert len(ids) == 3
    assert store.get_duplicates(ids[0]) == sorted(ids[1:])
    story_ids = {store.get_article(i).story_id for i in ids}
    assert len(story_ids) == 1
    [story_id] = story_ids
    assert story_id is not None
    story = store.get_story(story_id)
    assert set(ids) <= set(story.article_ids)
    assert story.outlet_count == 3
    # Every article got a story, and the clusterer's state was kept.
    assert all(r.story_id is not None for r in store.list_articles(limit=50).items)
    assert store.load_state(STATE_NAME)


def test_a_new_process_continues_from_the_saved_state(store: SqlStorage) -> None:
    with Simulator(publishers=2, items=2) as sim:
        for pub in sim.publishers:
            pub.set_route(
                "/articles/0.html",
                WIRE.format(title="Ceasefire extended", extra="x").encode(),
                headers={"Content-Type": "text/html"},
            )
        store.add_source(sim.publishers[0].feed_url, "A")
        run_round(store, StoryStep())
        store.add_source(sim.publishers[1].feed_url, "B")
        run_round(store, StoryStep())  # a fresh step, as a new process would have
        first = store.get_article_by_url(sim.publishers[0].article_url(0))
        second = store.get_article_by_url(sim.publishers[1].article_url(0))
    assert first is not None
    assert second is not None
    assert store.get_duplicates(second.id) == [first.id]
    assert first.story_id == second.story_id
    ids = {r.story_id for r in store.list_articles(limit=10).items}
    assert len(ids) == len({s.id for s in store.list_stories(limit=50).items})


def test_a_batch_naming_one_story_twice_is_placed_once(store: SqlStorage) -> None:
    from newsfeed.store import NewArticle
    from newsfeed.types import Article
    from newsfeed.update import StoredArticle

    article = Article(
        title="Ceasefire extended", url="https://wire.example/1", text="Negotiators agreed."
    )
    [result] = store.upsert_articles([NewArticle(article)])
    twice = [StoredArticle(result.article_id, article, created=True)] * 2
    StoryStep()(store, twice)
    assert store.get_article(result.article_id).story_id is not None
    assert len(store.list_vectors()) == 1


def test_the_signature_prepared_in_the_pipeline_is_the_one_kept(store: SqlStorage) -> None:
    from newsfeed.store import NewArticle
    from newsfeed.stories.step import duplicate_signature
    from newsfeed.types import Article
    from newsfeed.update import StoredArticle

    article = Article(
        title="Ceasefire extended", url="https://wire.example/1", text="Negotiators agreed."
    )
    other = duplicate_signature(replace(article, text="Aid convoys reached the towns."))
    assert other != duplicate_signature(article)  # what the step would make itself
    [result] = store.upsert_articles([NewArticle(article)])
    prepared = StoredArticle(result.article_id, article, True, {duplicate_signature: other})
    StoryStep()(store, [prepared])
    [row] = store.list_vectors()
    assert row.signature == other
