"""The measuring helpers behind the benchmark and the quality gate."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from newsfeed.stories._evaluate import bcubed, build_duplicate_set, load_uci


def test_bcubed_perfect_and_all_in_one() -> None:
    gold = ["a", "a", "b", "b"]
    assert bcubed([1, 1, 2, 2], gold).f1 == 1.0
    lumped = bcubed([1, 1, 1, 1], gold)
    assert lumped.precision == 0.5
    assert lumped.recall == 1.0
    split = bcubed([1, 2, 3, 4], gold)
    assert split.precision == 1.0
    assert split.recall == 0.5


def test_bcubed_refuses_mismatched_labels() -> None:
    with pytest.raises(ValueError, match="equal length"):
        bcubed([1], ["a", "b"])


def test_uci_is_read_in_arrival_order(shared_data: Path) -> None:
    heads = load_uci(shared_data / "stories" / "uci-dev.csv")
    assert len(heads) == 3149
    assert all(a.published <= b.published for a, b in itertools.pairwise(heads))


def test_duplicate_set_has_four_variants_of_each_distinct_body(shared_data: Path) -> None:
    docs = build_duplicate_set(shared_data, limit=30)
    assert len(docs) == 4 * 30
    kinds = [d.kind for d in docs[:4]]
    assert kinds == ["original", "exact", "furniture", "edited"]
    assert docs[0].text == docs[1].text
    assert docs[2].text != docs[0].text
    assert len({d.group for d in docs}) == 30
