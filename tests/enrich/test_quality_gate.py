"""Quality floors for quotes, dates and entities: CI fails when extraction gets worse.

Recomputes the figures ``bench/nlp.py`` prints (same code, loaded from the bench file) on the
full PolNeAR dev split, all of TimeBank and the English fundus pages: about ten seconds. Each
floor sits just under the figure measured when it was set; raise it when quality rises.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "nlp.py"


@pytest.fixture(scope="module")
def bench(shared_data: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_nlp", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_nlp"] = module
    spec.loader.exec_module(module)
    module.DATA = shared_data
    return module


def test_quote_attribution_floor(bench: ModuleType) -> None:
    scores = bench.quote_scores()
    assert scores["gold_quotes"] > 700  # the whole dev split was read
    assert scores["quote_precision"] >= 0.95
    assert scores["quote_recall"] >= 0.87
    assert scores["speaker_precision"] >= 0.89
    assert scores["speaker_recall"] >= 0.75


def test_date_resolution_floor(bench: ModuleType) -> None:
    scores = bench.date_scores()
    assert scores["gold_dates"] > 1000
    assert scores["date_precision"] >= 0.895
    assert scores["date_recall"] >= 0.89
    assert scores["date_value_accuracy"] >= 0.87


def test_entity_floor(bench: ModuleType) -> None:
    scores = bench.entity_scores()
    assert scores["fundus_topics"] > 100
    assert scores["fundus_topic_recall"] >= 0.77
    assert scores["seed_f1"] >= 0.99
    assert scores["held_out_f1"] >= 0.78
    assert scores["held_out_precision"] >= 0.80
    assert scores["tuned_pages_f1"] >= 0.95


def test_throughput_floor(bench: ModuleType) -> None:
    # CPU time, not the clock: CI shares its two cores. Measured about 130; the floor catches
    # a threefold slowdown.
    assert bench.throughput(limit=40)["articles_per_cpu_second"] >= 40
