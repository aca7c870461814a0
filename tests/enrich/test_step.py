"""Enrichment in the update pipeline: simulated publishers on loopback into a real SQLite
file, with the options ``newsfeed update`` and ``serve`` use."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from newsfeed._runner import update_options
from newsfeed.config import Settings
from newsfeed.enrich import step
from newsfeed.enrich._store import FORMAT_VERSION, analysis_from_json, analysis_to_json
from newsfeed.enrich.analysis import Analysis, analyse, to_dict
from newsfeed.enrich.step import EnrichStep, analysed_text, enrich_stored
from newsfeed.errors import NotFoundError
from newsfeed.extract import extract
from newsfeed.store import ArticleFilter, NewArticle, SqlStorage, open_store
from newsfeed.types import Article
from newsfeed.update import StoredArticle, Updater
from simulator import Simulator, loopback_options

SEED = (Path(__file__).parents[1] / "extract" / "fixtures" / "seed_ghost.html").read_bytes()
HTML = {"Content-Type": "text/html; charset=utf-8"}
PESKOV = (
    b"<p>Kremlin spokesperson Dmitry Peskov said on Aug. 8 that the venue would be "
    b"announced later.</p>"
)


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


def _updater(store: SqlStorage, tmp_path: Path, clock: Clock) -> Updater:
    settings = Settings(home=tmp_path, database_url="sqlite://")
    options = replace(update_options(settings), fetch=loopback_options(), extract_workers=0)
    return Updater(store, options, clock=clock)


def test_the_default_update_options_enrich() -> None:
    options = update_options(Settings(home=Path("."), database_url="sqlite://"))
    assert any(isinstance(step, EnrichStep) for step in options.after_store)


def test_stored_stories_are_analysed_and_reanalysed_when_edited(
    store: SqlStorage, tmp_path: Path
) -> None:
    clock = Clock(datetime(2025, 8, 7, 14, 30, tzinfo=UTC))
    updater = _updater(store, tmp_path, clock)
    with Simulator(publishers=1, items=3) as sim:
        pub = sim.publishers[0]
        pub.set_route("/articles/0.html", SEED, headers=HTML)
        store.add_source(pub.feed_url, "")
        asyncio.run(updater.run_round(due_only=False))
        seed = store.get_article_by_url(pub.article_url(0))
        assert seed is not None
        first = store.get_analysis(seed.id)
        assert first is not None
        keys = {e["key"] for e in first["entities"]}
        assert {"person:vladimir-putin", "person:yuri-ushakov", "place:helsinki"} <= keys
        assert "person:dmitry-peskov" not in keys
        # Every story of the round was analysed, not only the seed.
        for n in (1, 2):
            other = store.get_article_by_url(pub.article_url(n))
            assert other is not None
            assert store.get_analysis(other.id) is not None
        assert store.count_articles(ArticleFilter(entity="person:vladimir-putin")) == 1

        # The publisher edits the story; the re-check stores a revision and re-analyses it.
        last = b"negotiate peace deals.</p>"
        assert last in SEED
        pub.set_route("/articles/0.html", SEED.replace(last, last + PESKOV), headers=HTML)
        clock.now = datetime(2025, 8, 7, 15, 30, tzinfo=UTC)
        report = asyncio.run(updater.run_round(due_only=True))
    assert report.revised == 1
    edited = store.get_article(seed.id)
    assert "Dmitry Peskov" in edited.article.text
    again = store.get_analysis(seed.id)
    assert again is not None
    assert "person:dmitry-peskov" in {e["key"] for e in again["entities"]}
    assert store.get_entity("person:dmitry-peskov").article_count == 1
    expected = analyse(analysed_text(edited.article), edited.article.published, edited.article.tags)
    assert again == analysis_to_json(expected)


def test_saved_analysis_reads_back_as_the_same_analysis() -> None:
    article = extract(SEED, "https://kyivindependent.com/seed/")
    analysis = analyse(analysed_text(article), article.published, article.tags)
    assert analysis.quotes
    assert analysis.timeline
    assert analysis.cited_sources
    assert analysis_from_json(analysis_to_json(analysis)) == analysis
    with pytest.raises(ValueError, match="not a saved analysis"):
        analysis_from_json({"version": 999})


def test_saved_analysis_is_to_dict_to_the_byte() -> None:
    # analysis_to_json goes through orjson for speed; it must keep to_dict's form and order.
    article = extract(SEED, "https://kyivindependent.com/seed/")
    analysis = analyse(analysed_text(article), article.published, article.tags)
    assert analysis.dates
    expected = {"version": FORMAT_VERSION, **to_dict(analysis)}
    assert orjson.dumps(analysis_to_json(analysis)) == orjson.dumps(expected)


def _article(n: int) -> Article:
    return Article(
        title=f"Story {n}",
        url=f"https://news.example/{n}",
        text=f"Body of story {n}. Angela Merkel met Emmanuel Macron in Paris on Monday.",
        published=datetime(2025, 8, 7, 9, n, tzinfo=UTC),
    )


def test_a_failing_analysis_is_logged_and_the_rest_carry_on(
    store: SqlStorage, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = store.upsert_articles([NewArticle(_article(n)) for n in (1, 2)])
    real = step.analyse

    def flaky(text: str, published: datetime | None, tags: tuple[str, ...] = ()) -> Analysis:
        if "story 1." in text:
            raise RuntimeError("boom")
        return real(text, published, tags)

    monkeypatch.setattr(step, "analyse", flaky)
    stored = [
        StoredArticle(r.article_id, _article(n), True) for r, n in zip(results, (1, 2), strict=True)
    ]
    with caplog.at_level(logging.ERROR, logger="newsfeed.enrich"):
        EnrichStep()(store, stored)
    first, second = (r.article_id for r in results)
    assert store.get_analysis(first) is None
    assert store.get_analysis(second) is not None
    assert "could not analyse the story at https://news.example/1" in caplog.text
    assert store.count_articles(ArticleFilter(entity="place:paris")) == 1
    # The backfill picks up what is missing, and only that.
    monkeypatch.setattr(step, "analyse", real)
    assert enrich_stored(store) == 1
    assert store.count_articles(ArticleFilter(entity="place:paris")) == 2
    assert enrich_stored(store) == 0
    assert enrich_stored(store, redo=True, batch=1) == 2


def _story(n: int, text: str) -> tuple[int, Article]:
    article = Article(title=f"Story {n}", url=f"https://news.example/link/{n}", text=text,
                      published=datetime(2025, 8, 9, 9, n, tzinfo=UTC))  # fmt: skip
    return n, article


def _store_and_enrich(store: SqlStorage, stories: list[tuple[int, Article]]) -> list[int]:
    results = store.upsert_articles([NewArticle(a) for _, a in stories])
    ids = [r.article_id for r in results]
    step.enrich_articles(store, zip(ids, [a for _, a in stories], strict=True))
    return ids


def test_surnames_alone_are_filed_under_the_full_name_already_known(store: SqlStorage) -> None:
    seed = extract(SEED, "https://kyivindependent.com/seed/")
    _store_and_enrich(store, [(0, seed)])
    later = 'The Kremlin said Putin would travel to Alaska on Friday. "We are ready," Putin said.'
    (later_id,) = _store_and_enrich(store, [_story(1, later)])
    saved = store.get_analysis(later_id)
    assert saved is not None
    keys = {e["key"] for e in saved["entities"]}
    assert "person:vladimir-putin" in keys
    assert "person:putin" not in keys
    putin = next(e for e in saved["entities"] if e["key"] == "person:vladimir-putin")
    assert putin["name"] == "Vladimir Putin"
    assert [m["text"] for m in putin["mentions"]] == ["Putin", "Putin"]
    [quote] = saved["quotes"]
    assert (quote["speaker"], quote["speaker_key"]) == ("Vladimir Putin", "person:vladimir-putin")
    assert all("person:putin" not in t["entity_keys"] for t in saved["timeline"])
    assert store.count_articles(ArticleFilter(entity="person:vladimir-putin")) == 2
    with pytest.raises(NotFoundError):
        store.get_entity("person:putin")


def test_an_ambiguous_surname_stays_apart(store: SqlStorage) -> None:
    stories = [
        _story(1, "Ivan Petrov, the mayor, spoke in Kyiv."),
        _story(2, "Anna Petrov, a lawyer, spoke in Lviv."),
        _story(3, '"We will not go," Petrov said on Monday.'),
    ]
    ids = _store_and_enrich(store, stories)
    saved = store.get_analysis(ids[2])
    assert saved is not None
    assert [q["speaker_key"] for q in saved["quotes"]] == ["person:petrov"]


def test_story_clustering_gets_the_entities_enrichment_saved(store: SqlStorage) -> None:
    from newsfeed.enrich.step import stored_entity_keys
    from newsfeed.stories.step import StoryStep

    options = update_options(Settings(home=Path("."), database_url="sqlite://"))
    kinds = [type(s) for s in options.after_store]
    assert kinds.index(EnrichStep) < kinds.index(StoryStep)
    article = extract(SEED, "https://kyivindependent.com/seed/")
    [result] = store.upsert_articles([NewArticle(article)])
    assert stored_entity_keys(store, [result.article_id]) == {result.article_id: frozenset()}
    EnrichStep()(store, [StoredArticle(result.article_id, article, created=True)])
    keys = stored_entity_keys(store, [result.article_id])[result.article_id]
    assert {"person:vladimir-putin", "person:donald-trump"} <= keys


def test_an_analysis_prepared_in_the_pipeline_is_saved_without_analysing_again(
    store: SqlStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = _article(3)
    prepared = step.analyse_article(article)
    assert prepared is not None
    result = store.upsert_articles([NewArticle(article)])[0]

    def not_again(*_: object) -> Analysis:
        raise AssertionError("analysed again")

    monkeypatch.setattr(step, "analyse", not_again)
    found = StoredArticle(result.article_id, article, True, {step.analyse_article: prepared})
    EnrichStep()(store, [found])
    saved = store.get_analysis(result.article_id)
    assert saved is not None
    assert {e.key for e in analysis_from_json(saved).entities} == {e.key for e in prepared.entities}
