"""Imported stories go through the after-store steps as fetched ones do: enriched (with the
analysis made next to extraction) and assigned to stories, locally and in a worker's task,
where clustering waits for the workers' shared lock; re-runs still skip what is stored."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from tests.distributed.conftest import cluster
from tests.distributed.warc_files import fundus_pages, write_pages

from newsfeed import update
from newsfeed.config import Settings
from newsfeed.distributed._commands import import_steps
from newsfeed.distributed._config import redis_lock
from newsfeed.distributed._import import import_files
from newsfeed.distributed._tasks import import_warc_file
from newsfeed.enrich import step as enrich_step
from newsfeed.enrich.analysis import Analysis
from newsfeed.enrich.step import EnrichStep, stored_entity_keys
from newsfeed.extract import extract
from newsfeed.store import Storage, open_store
from newsfeed.stories.step import StoryStep
from newsfeed.types import Article
from newsfeed.update import AfterStore, shareable


def local_steps() -> tuple[AfterStore, ...]:
    return (EnrichStep(), StoryStep(entity_keys=stored_entity_keys))


def placed(store: Storage) -> dict[int, int | None]:
    """Story id of every stored article, by article id."""
    ids = [r.id for r in store.list_articles(limit=100).items]
    return {i: store.get_article(i).story_id for i in ids}


def test_imported_stories_are_enriched_and_placed_and_a_rerun_skips_them(
    tmp_path: Path, sqlite_url: str, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "six.warc.gz"
    write_pages(path, fundus_pages(shared_data, 6))
    analysed: list[str] = []
    real = enrich_step.analyse

    def counting(text: str, *args: Any) -> Analysis:
        analysed.append(text[:40])
        return real(text, *args)

    # The analysis is made next to extraction and handed over, never redone after storing.
    monkeypatch.setattr(enrich_step, "analyse", counting)
    first = import_files(sqlite_url, [path], processes=0, after_store=local_steps())
    assert first.stored == 6
    assert len(analysed) == 6
    with open_store(sqlite_url) as store:
        stories = placed(store)
        assert len(stories) == 6
        assert all(story is not None for story in stories.values())
        analyses = {i: store.get_analysis(i) for i in stories}
        assert all(a and a["entities"] for a in analyses.values()), analyses
        named = {e.key for e in store.list_entities(limit=500)}
        assert named

    extracted: list[str] = []

    def counting(html: bytes, url: str) -> Article:
        extracted.append(url)
        return extract(html, url)

    monkeypatch.setattr(update, "extract", counting)
    again = import_files(sqlite_url, [path], processes=0, after_store=local_steps())
    assert (again.stored, again.already_stored) == (0, 6)
    assert extracted == []
    with open_store(sqlite_url) as store:
        assert placed(store) == stories
        assert {i: store.get_analysis(i) for i in stories} == analyses


def test_the_pool_enriches_and_places_every_story(
    tmp_path: Path, sqlite_url: str, shared_data: Path
) -> None:
    pages = fundus_pages(shared_data, 10)
    write_pages(tmp_path / "a.warc.gz", pages[:5])
    write_pages(tmp_path / "b.warc", pages[5:], gzip=False)
    files = [tmp_path / "a.warc.gz", tmp_path / "b.warc"]
    report = import_files(sqlite_url, files, processes=2, after_store=local_steps())
    assert report.stored == 10
    with open_store(sqlite_url) as store:
        stories = placed(store)
        assert len(stories) == 10
        assert all(story is not None for story in stories.values())
        assert all(store.get_analysis(i) for i in stories)
        assert store.load_state("story-clusterer")  # the clusterer's state was saved


def test_worker_task_enriches_freely_and_places_under_the_story_lock(
    tmp_path: Path, pg_url: str, redis_url: str, shared_data: Path
) -> None:
    path = tmp_path / "three.warc.gz"
    write_pages(path, fundus_pages(shared_data, 3))
    lock = redis_lock(redis_url, "stories")
    base = cluster(pg_url, redis_url)
    config = replace(base, update=replace(base.update, after_store=shareable(local_steps(), lock)))
    reports = []
    with open_store(pg_url) as store, lock():  # another worker is clustering
        task = threading.Thread(target=lambda: reports.append(import_warc_file(config, str(path))))
        task.start()
        deadline = time.monotonic() + 120
        while not _all_analysed(store, 3):
            assert time.monotonic() < deadline, "the task did not store and enrich"
            time.sleep(0.2)
        assert set(placed(store).values()) == {None}  # waiting for the lock
    task.join(timeout=120)
    assert len(reports) == 1
    assert reports[0].stored == 3
    with open_store(pg_url) as store:
        stories = placed(store)
        assert len(stories) == 3
        assert all(story is not None for story in stories.values())
    again = import_warc_file(config, str(path))
    assert (again.stored, again.already_stored) == (0, 3)


def _all_analysed(store: Storage, count: int) -> bool:
    stored = [r.id for r in store.list_articles(limit=100).items]
    return len(stored) == count and all(store.get_analysis(i) for i in stored)


def test_a_local_import_takes_the_workers_lock_when_workers_may_run(tmp_path: Path) -> None:
    sqlite = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'a.db'}")
    shared = replace(
        sqlite,
        database_url="postgresql+psycopg://postgres@127.0.0.1:5432/test",
        broker_url="redis://127.0.0.1:6379/5",
    )
    for settings, locked in [(sqlite, False), (replace(shared, broker_url=None), False),
                             (shared, True)]:  # fmt: skip
        steps = import_steps(settings)
        assert [type(s).__name__ for s in steps] == ["EnrichStep", "StoryStep"]
        story = steps[1]
        assert isinstance(story, StoryStep)
        assert story.one_process_only is not locked
