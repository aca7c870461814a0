"""Quality gate: metadata accuracy per field per dataset must not fall below its floor.

Runs ``extract_metadata`` over every labelled page in ``../shared/data/pages``
(readability, trafilatura, fundus), scores it exactly as ``bench/extract_fields.py`` does
(normalisation in ``bench/_fields.py``) and fails when a field drops under the floor set
just below what the extractor reached when the floor was last raised. Raise a floor when
you improve a field; never lower one to get green.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from _fields import FIELDS, Tally, score  # noqa: E402
from _pages import load_pages  # noqa: E402
from extract_fields import predict_newsfeed  # noqa: E402

# Measured with `uv run --group bench python bench/extract_fields.py` (see the report);
# each floor is about one page under the measured accuracy.
FLOORS: dict[str, dict[str, float]] = {
    # measured: 83.5, 71.1, 97.0, 93.5, 100.0 %
    "readability": {
        "title": 0.82,
        "authors": 0.69,
        "date": 0.93,
        "site_name": 0.91,
        "language": 0.98,
    },
    # measured: 78.9, 58.9, 87.7 %
    "trafilatura": {"title": 0.785, "authors": 0.585, "date": 0.87},
    # measured: 81.8, 83.8, 98.4, 69.6, 64.7 %
    "fundus": {
        "title": 0.81,
        "authors": 0.83,
        "date": 0.975,
        "image": 0.69,
        "caption": 0.64,
    },
}


@pytest.fixture(scope="module")
def results(shared_data: Path) -> dict[str, dict[str, Tally]]:
    found: dict[str, dict[str, Tally]] = {}
    for dataset in FLOORS:
        pages = load_pages(dataset)
        assert pages, f"no pages found for {dataset} under {shared_data}"
        found.update(score(pages, predict_newsfeed))
    return found


def test_every_benchmarked_field_has_a_floor() -> None:
    assert {name: set(fields) for name, fields in FIELDS.items()} == {
        name: set(floors) for name, floors in FLOORS.items()
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    ("dataset", "field"),
    [(dataset, field) for dataset, floors in FLOORS.items() for field in floors],
)
def test_field_accuracy_floor(
    results: dict[str, dict[str, Tally]], dataset: str, field: str
) -> None:
    tally = results[dataset][field]
    floor = FLOORS[dataset][field]
    assert tally.total > 0
    assert tally.accuracy >= floor, (
        f"{dataset} {field}: {tally.accuracy:.1%} of {tally.total} labelled pages, "
        f"floor {floor:.0%}; first misses: {tally.misses[:8]}"
    )
