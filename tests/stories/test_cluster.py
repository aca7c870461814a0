"""Online story clustering: joins, new stories, time decay, merges, persistence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from newsfeed.errors import ConfigError, StorageError
from newsfeed.stories import (
    ClusterItem,
    ClusterOptions,
    StoryClusterer,
    load_embedder,
)
from newsfeed.stories._evaluate import load_uci

T0 = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
DIM = 8


def unit(*values: float) -> np.ndarray:
    vec = np.zeros(DIM, dtype=np.float32)
    vec[: len(values)] = values
    return vec / np.linalg.norm(vec)


def item(
    article_id: int,
    vec: np.ndarray,
    hours: float = 0.0,
    publisher: str = "Outlet A",
    title: str = "",
    entities: frozenset[str] = frozenset(),
) -> ClusterItem:
    return ClusterItem(
        article_id,
        title or f"headline {article_id}",
        vec,
        T0 + timedelta(hours=hours),
        publisher,
        entities,
    )


def clusterer(**options: float) -> StoryClusterer:
    return StoryClusterer(ClusterOptions(headline_weight=0.0, **options), dim=DIM)  # type: ignore[arg-type]


def test_similar_articles_join_and_different_ones_start_stories() -> None:
    c = clusterer()
    first = c.add(item(1, unit(1, 0.1), publisher="Reuters"))
    second = c.add(item(2, unit(1, 0.2), hours=1, publisher="AP"))
    third = c.add(item(3, unit(0, 0, 1), hours=2))
    assert first.created
    assert not second.created
    assert third.created
    assert second.story_id == first.story_id != third.story_id
    story = c.story(first.story_id)
    assert story.article_count == 2
    assert story.outlet_count == 2
    assert set(story.outlets) == {"Reuters", "AP"}
    assert story.first_seen == T0
    assert story.last_seen == T0 + timedelta(hours=1)
    assert len(c) == 2


def test_older_stories_fade() -> None:
    c = clusterer(grace_hours=12, half_life_hours=12, window_hours=24 * 30)
    first = c.add(item(1, unit(1, 0.4, 0.3)))
    fresh = c.add(item(2, unit(1, 0.4, 0.3, 0.9), hours=6))
    late = c.add(item(3, unit(1, 0.4, 0.3, 0.9), hours=24 * 6))
    assert fresh.story_id == first.story_id
    assert late.created  # the same similarity six days on is too weak to join


def test_stories_outside_the_window_are_evicted() -> None:
    c = clusterer(window_hours=48)
    old = c.add(item(1, unit(1)))
    c.add(item(2, unit(0, 1), hours=40))
    assert c.evict(T0 + timedelta(hours=60)) == [old.story_id]
    with pytest.raises(KeyError):
        c.story(old.story_id)
    assert len(c) == 1


def test_converging_stories_merge_into_the_larger() -> None:
    c = clusterer(join_threshold=0.9, merge_threshold=0.8)
    a = c.add(item(1, unit(1, 0)))
    for extra in range(2, 9):  # story a is the larger one
        c.add(item(extra, unit(1, 0.02 * (-1) ** extra), hours=1))
    b = c.add(item(9, unit(0.55, 1)))
    assert b.created
    assert b.story_id != a.story_id
    # follow-ups lean from story b toward story a, pulling b over until the two converge
    merged = None
    for step in range(10, 20):
        centre = c.snapshot(b.story_id).vector_sum
        angle = float(np.arctan2(centre[1], centre[0])) - np.radians(20)
        done = c.add(item(step, unit(np.cos(angle), np.sin(angle)), hours=2))
        assert done.story_id in (a.story_id, b.story_id)
        if done.merged:
            merged = done
            break
    assert merged is not None
    assert merged.story_id == a.story_id
    assert merged.merged == (b.story_id,)
    with pytest.raises(KeyError):
        c.story(b.story_id)
    assert c.story(a.story_id).article_count == step


def test_shared_entities_tip_a_borderline_article_in() -> None:
    base = unit(1, 0.0, 0.0)
    border = unit(1, 4.9)  # cosine 0.2: below the join threshold on its own
    people = frozenset({"person:zelensky", "place:kyiv"})
    for entities, joins in ((frozenset(), False), (people, True)):
        c = clusterer(entity_weight=0.3)
        first = c.add(item(1, base, entities=people))
        done = c.add(item(2, border, hours=1, entities=entities))
        assert (done.story_id == first.story_id) is joins


def test_title_is_the_most_central_headline() -> None:
    c = clusterer(join_threshold=0.5)
    c.add(item(1, unit(1, 0.5), title="Outlier angle"))
    c.add(item(2, unit(1, 0.1), title="Central headline"))
    done = c.add(item(3, unit(1, -0.2), title="Other side"))
    assert c.story(done.story_id).title == "Central headline"
    assert c.stories()[0].id == done.story_id


def test_bad_embeddings_are_refused() -> None:
    c = clusterer()
    with pytest.raises(ValueError, match="dimensions"):
        c.add(item(1, np.ones(DIM + 1, dtype=np.float32)))
    with pytest.raises(ValueError, match="NaN"):
        c.add(item(1, np.full(DIM, np.nan, dtype=np.float32)))


@pytest.mark.parametrize(
    "bad",
    [{"half_life_hours": 0}, {"window_hours": -1}, {"candidates": 0}, {"join_threshold": np.nan}],
)
def test_bad_options_are_a_config_error(bad: dict[str, float]) -> None:
    with pytest.raises(ConfigError, match="story clustering"):
        ClusterOptions(**bad)  # type: ignore[arg-type]


def test_a_zero_vector_starts_its_own_story() -> None:
    c = clusterer()
    c.add(item(1, unit(1)))
    assert c.add(item(2, np.zeros(DIM, dtype=np.float32))).created


def feed(c: StoryClusterer, items: list[ClusterItem]) -> list[int]:
    return [c.add(i).story_id for i in items]


def test_bytes_round_trip_continues_identically() -> None:
    rng = np.random.default_rng(3)
    centres = [unit(*rng.normal(size=DIM)) for _ in range(5)]
    items = [
        item(i, unit(*(centres[i % 5] + rng.normal(scale=0.2, size=DIM))), hours=i * 0.5)
        for i in range(60)
    ]
    original = clusterer()
    feed(original, items[:40])
    copy = StoryClusterer.from_bytes(original.to_bytes())
    assert copy.options == original.options
    assert [s.id for s in copy.stories()] == [s.id for s in original.stories()]
    assert feed(copy, items[40:]) == feed(original, items[40:])


def test_snapshot_restore_continues_identically() -> None:
    rng = np.random.default_rng(4)
    items = [item(i, unit(*rng.normal(size=DIM)), hours=i) for i in range(30)]
    original = clusterer()
    feed(original, items[:20])
    restored = clusterer()
    df, docs = original.term_statistics()
    snaps = [original.snapshot(s.id) for s in original.stories()]
    restored.restore(snaps, df, docs, next_story_id=original.next_story_id)
    assert restored.next_story_id == original.next_story_id
    assert feed(restored, items[20:]) == feed(original, items[20:])


def test_restore_never_reuses_the_id_of_a_merged_story() -> None:
    c = clusterer()
    c.restore([], next_story_id=50)
    assert c.add(item(1, unit(1))).story_id == 50


@pytest.mark.parametrize("blob", [b"", b"not an npz", b"PK\x03\x04garbage"])
def test_unreadable_state_is_a_storage_error(blob: bytes) -> None:
    with pytest.raises(StorageError, match="reindex"):
        StoryClusterer.from_bytes(blob)


def test_batches_give_the_same_stories_as_one_by_one(shared_data: Path) -> None:
    heads = load_uci(shared_data / "stories" / "uci-dev.csv")[:800]
    vectors = load_embedder().embed([h.title for h in heads])
    items = [
        ClusterItem(i, h.title, v, h.published, h.publisher)
        for i, (h, v) in enumerate(zip(heads, vectors, strict=True))
    ]
    single = StoryClusterer()
    one_by_one = [single.add(i) for i in items]
    batched = StoryClusterer()
    in_batches = [
        a for k in range(0, len(items), 100) for a in batched.add_many(items[k : k + 100])
    ]
    same = sum(a.story_id == b.story_id for a, b in zip(one_by_one, in_batches, strict=True))
    assert same / len(items) >= 0.98
    assert {s.title for s in single.stories()} == {s.title for s in batched.stories()}
