"""CI gate: clustering and near-duplicate quality must not fall below what was reached.

Floors sit just under the numbers ``bench/stories.py`` prints (see its docstring); the
settings are the library defaults, not tuned here. Runs in well under a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfeed.stories import ClusterItem, DuplicateIndex, StoryClusterer, load_embedder
from newsfeed.stories._evaluate import bcubed, build_duplicate_set, load_uci, pair_scores

# Measured by `uv run python bench/stories.py`: B-cubed P 0.853, R 0.868, F1 0.860 (the
# swept single-pass baseline reaches F1 0.830); duplicate pairs P 1.000, R 0.984.
CLUSTER_F1_FLOOR = 0.845
CLUSTER_PRECISION_FLOOR = 0.83
CLUSTER_RECALL_FLOOR = 0.85
DUP_PRECISION_FLOOR = 0.99
DUP_RECALL_FLOOR = 0.97


@pytest.fixture(scope="module")
def clustered(shared_data: Path) -> tuple[list[int], list[str]]:
    heads = load_uci(shared_data / "stories" / "uci-dev.csv")
    vectors = load_embedder().embed([h.title for h in heads])
    clusterer = StoryClusterer()
    absorbed: dict[int, int] = {}
    labels = []
    for index, (head, vec) in enumerate(zip(heads, vectors, strict=True)):
        done = clusterer.add(ClusterItem(index, head.title, vec, head.published, head.publisher))
        labels.append(done.story_id)
        absorbed.update(dict.fromkeys(done.merged, done.story_id))

    def final(story: int) -> int:
        while story in absorbed:
            story = absorbed[story]
        return story

    return [final(s) for s in labels], [h.story for h in heads]


def test_online_clustering_bcubed(clustered: tuple[list[int], list[str]]) -> None:
    labels, gold = clustered
    score = bcubed(labels, gold)
    assert score.precision >= CLUSTER_PRECISION_FLOOR, score
    assert score.recall >= CLUSTER_RECALL_FLOOR, score
    assert score.f1 >= CLUSTER_F1_FLOOR, score


def test_near_duplicate_pairs(shared_data: Path) -> None:
    docs = build_duplicate_set(shared_data)
    assert len(docs) >= 1000  # the set really was built from the shared pages
    scores, per_kind, same_outlet_false = pair_scores(docs, DuplicateIndex().add)
    assert scores.precision >= DUP_PRECISION_FLOOR, scores
    assert scores.recall >= DUP_RECALL_FLOOR, (scores, per_kind)
    assert per_kind["exact"] == 1.0
    assert same_outlet_false == 0
