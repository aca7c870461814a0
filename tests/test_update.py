"""The update pipeline end to end: simulated publishers on loopback into a real SQLite file."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from newsfeed._simulator_content import EPOCH
from newsfeed.extract import extract
from newsfeed.store import NewArticle, SqlStorage, open_store
from newsfeed.types import Article
from newsfeed.update import RoundReport, StoredArticle, UpdateOptions, Updater
from simulator import Knobs, Simulator, loopback_options


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStorage]:
    storage = open_store(f"sqlite:///{tmp_path / 'newsfeed.db'}")
    yield storage
    storage.close()


def run(updater: Updater, due_only: bool = True) -> RoundReport:
    return asyncio.run(updater.run_round(due_only=due_only))


def make_updater(store: SqlStorage, clock: Clock, workers: int = 0) -> Updater:
    options = UpdateOptions(fetch=loopback_options(), extract_workers=workers)
    return Updater(store, options, clock=clock)


def test_round_stores_every_story_of_every_feed(store: SqlStorage, shared_data: Path) -> None:
    clock = Clock(EPOCH + timedelta(minutes=5))
    with Simulator(publishers=3, items=8, pages=shared_data / "pages" / "fundus") as sim:
        for pub in sim.publishers:
            store.add_source(pub.feed_url, "")
        report = run(make_updater(store, clock, workers=2))
    assert report.new == 24
    assert not report.errors
    assert store.count_articles() == 24
    for pub in sim.publishers:
        for story in pub.stories:
            url = pub.article_url(story.index)
            record = store.get_article_by_url(url)
            assert record is not None, url
            # What the pipeline stored is what extraction makes of the page.
            assert record.article.text == extract(story.html, url).text
            assert record.article.title
            assert record.source_id is not None
    for source in store.list_sources():
        assert source.title.startswith("Publisher")
        assert source.last_fetched == clock.now
        assert source.next_check is not None
        assert source.next_check > clock.now
        assert source.last_error is None


def test_second_round_costs_only_304s_and_adds_nothing(store: SqlStorage) -> None:
    clock = Clock(EPOCH + timedelta(minutes=5))
    with Simulator(publishers=2, items=5) as sim:
        for pub in sim.publishers:
            store.add_source(pub.feed_url, "")
        updater = make_updater(store, clock)
        run(updater)
        page_hits = sum(p.stats.hits["/articles/0.html"] for p in sim.publishers)
        again = run(updater, due_only=False)
        assert all(s.not_modified for s in again.sources)
        assert sum(p.stats.hits["/articles/0.html"] for p in sim.publishers) == page_hits
    assert again.new == 0
    assert store.count_articles() == 10


def test_not_due_sources_are_left_alone(store: SqlStorage) -> None:
    clock = Clock(EPOCH + timedelta(minutes=5))
    with Simulator(publishers=1, items=3) as sim:
        store.add_source(sim.publishers[0].feed_url, "")
        updater = make_updater(store, clock)
        run(updater)
        assert run(updater).sources == ()


def test_a_round_indexes_what_a_bulk_import_left_unsearchable(store: SqlStorage) -> None:
    imported = Article(title="Drones over Kyiv", url="https://a.example/1", text="Drones.")
    store.upsert_articles([NewArticle(imported)], defer_search=True)
    assert store.search("drones").items == ()
    with Simulator(publishers=1, items=2) as sim:
        store.add_source(sim.publishers[0].feed_url, "")
        run(make_updater(store, Clock(EPOCH + timedelta(minutes=5))))
    assert store.search_backlog() == 0
    assert [h.record.article.title for h in store.search("drones").items] == ["Drones over Kyiv"]


def test_a_failing_feed_is_recorded_and_backs_off_while_others_carry_on(
    store: SqlStorage,
) -> None:
    clock = Clock(EPOCH + timedelta(minutes=5))
    with Simulator(publishers=2, items=4) as sim:
        good = store.add_source(sim.publishers[0].feed_url, "")
        bad = store.add_source(sim.publishers[1].url("/hostile/invalid-feed"), "Broken")
        report = run(make_updater(store, clock))
    assert report.new == 4
    [failed] = report.errors
    assert failed.source_id == bad.id
    broken = store.get_source(bad.id)
    assert broken.error_count == 1
    assert broken.last_error
    assert broken.next_check is not None
    assert broken.next_check - clock.now >= timedelta(seconds=2 * broken.interval_seconds)
    assert store.get_source(good.id).last_error is None


def test_failed_page_keeps_feed_content_and_the_reason(store: SqlStorage) -> None:
    clock = Clock(EPOCH + timedelta(minutes=5))
    with Simulator(publishers=1, items=3) as sim:
        pub = sim.publishers[0]
        store.add_source(pub.feed_url, "")
        pub.set_route("/articles/1.html", b"gone", status=404)
        report = run(make_updater(store, clock))
    assert report.new == 3
    assert report.sources[0].extract_failures == 1
    record = store.get_article_by_url(pub.article_url(1))
    assert record is not None
    assert record.extract_error
    assert "404" in record.extract_error
    assert record.article.title == pub.stories[1].title


def test_edited_story_becomes_a_revision_with_the_editors_note(store: SqlStorage) -> None:
    clock = Clock(EPOCH + timedelta(minutes=5))
    with Simulator(publishers=1, items=3) as sim:
        pub = sim.publishers[0]
        store.add_source(pub.feed_url, "")
        updater = make_updater(store, clock)
        run(updater)
        pub.edit_story(0)
        clock.now = EPOCH + timedelta(hours=1, minutes=10)
        report = run(updater)
    assert report.rechecked >= 1
    assert report.revised == 1
    record = store.get_article_by_url(pub.article_url(0))
    assert record is not None
    revisions = store.get_revisions(record.id)
    assert len(revisions) == 2
    inserted = " ".join(c.text for c in revisions[1].diff if c.op == "insert")
    assert "revised after publication" in inserted
    notes = [n.text for n in record.article.editor_notes]
    assert any("updated with a statement" in n for n in notes)
    [event] = revisions[1].added_notes
    assert "updated with a statement" in event.text
    assert revisions[0].added_notes == ()


@pytest.mark.parametrize("fmt", ["atom", "json"])
def test_atom_and_json_feeds(store: SqlStorage, fmt: str) -> None:
    clock = Clock(EPOCH + timedelta(minutes=5))
    with Simulator(publishers=1, items=4, feed_format=fmt, knobs=Knobs()) as sim:  # type: ignore[arg-type]
        store.add_source(sim.publishers[0].feed_url, "")
        report = run(make_updater(store, clock))
    assert report.new == 4


def test_site_without_a_feed_is_followed_through_its_sitemap_index(store: SqlStorage) -> None:
    clock = Clock(EPOCH + timedelta(minutes=5))
    with Simulator(publishers=1, items=5) as sim:
        pub = sim.publishers[0]
        index = (
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{pub.url('/news-sitemap.xml')}</loc></sitemap></sitemapindex>"
        )
        pub.set_route("/sitemap.xml", index.encode(), headers={"Content-Type": "application/xml"})
        source = store.add_source(pub.url("/sitemap.xml"), "", kind="sitemap")
        report = run(make_updater(store, clock))
    assert report.new == 5
    stored = {r.article.url for r in store.list_articles(limit=10).items}
    assert stored == {pub.article_url(n) for n in range(5)}
    assert store.get_source(source.id).last_error is None


def test_after_store_steps_see_new_and_changed_stories_once(store: SqlStorage) -> None:
    seen: list[tuple[int, bool]] = []

    def record(_: object, stored: Sequence[StoredArticle]) -> None:
        seen.extend((s.article_id, s.created) for s in stored)

    clock = Clock(EPOCH + timedelta(minutes=5))
    options = UpdateOptions(fetch=loopback_options(), extract_workers=0, after_store=(record,))
    with Simulator(publishers=1, items=4) as sim:
        pub = sim.publishers[0]
        store.add_source(pub.feed_url, "")
        updater = Updater(store, options, clock=clock)
        run(updater)
        assert sorted(created for _, created in seen) == [True] * 4
        assert len({article_id for article_id, _ in seen}) == 4
        run(updater, due_only=False)
        assert len(seen) == 4
        pub.edit_story(2)
        clock.now = EPOCH + timedelta(hours=1, minutes=10)
        run(updater)
    edited = store.get_article_by_url(pub.article_url(2))
    assert edited is not None
    assert seen[4:] == [(edited.id, False)]


def where_prepared(article: Article) -> tuple[int, str]:
    """A step's ``prepare`` for the test below: which process ran it, on what title."""
    return os.getpid(), article.title


class PreparingStep:
    prepare = staticmethod(where_prepared)

    def __init__(self) -> None:
        self.seen: list[StoredArticle] = []

    def __call__(self, _: object, stored: Sequence[StoredArticle]) -> None:
        self.seen.extend(stored)


def test_a_steps_prepare_runs_in_the_extraction_pool(store: SqlStorage) -> None:
    step = PreparingStep()
    options = UpdateOptions(fetch=loopback_options(), extract_workers=1, after_store=(step,))
    with Simulator(publishers=1, items=3) as sim:
        store.add_source(sim.publishers[0].feed_url, "")
        run(Updater(store, options, clock=Clock(EPOCH + timedelta(minutes=5))))
    assert len(step.seen) == 3
    for stored in step.seen:
        pid, title = stored.prepared[where_prepared]
        assert pid != os.getpid()
        assert title == stored.article.title  # the finished article, as stored


def test_workers_share_one_story_clusterer_under_a_lock() -> None:
    from newsfeed._runner import update_options
    from newsfeed.config import Settings
    from newsfeed.distributed._config import cluster_config
    from newsfeed.enrich.step import EnrichStep
    from newsfeed.stories.step import StoryStep

    settings = Settings(home=Path("."), database_url="postgresql+psycopg://x@127.0.0.1/x")
    embedded = update_options(settings)
    assert {type(s) for s in embedded.after_store} == {EnrichStep, StoryStep}
    workers = cluster_config(settings, embedded, env={}).update
    assert [type(s) for s in workers.after_store] == [EnrichStep, StoryStep]
    assert not any(getattr(s, "one_process_only", False) for s in workers.after_store)
    assert all(s.one_process_only for s in embedded.after_store if isinstance(s, StoryStep))
