"""CI quality gate: body-text quality of ``extract`` on the shared labelled pages.

Floors sit just under what the extractor reaches (see ``bench/extract.py`` for the same
numbers next to trafilatura and newspaper4k); a change that makes extraction worse fails CI.
Runs in ``make test`` (about half a minute on one core).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsfeed.errors import NewsfeedError
from newsfeed.extract import ExtractOptions, extract

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from _scoring import SnippetScore, TextScore, cases

F1_FLOORS = {"readability": 0.959, "fundus": 0.957}
WITH_FLOOR = 0.943
WITHOUT_FLOOR = 0.950
OPTIONS = ExtractOptions(html=False)


def _text(html: bytes, url: str | None) -> str:
    try:
        return extract(html, url, OPTIONS).text
    except NewsfeedError:
        return ""


@pytest.mark.parametrize("dataset", sorted(F1_FLOORS))
def test_body_text_f1(shared_data: Path, dataset: str) -> None:
    score = TextScore()
    for case in cases(dataset, data=shared_data):
        assert case.truth is not None
        score.add(_text(case.html(), case.url), case.truth)
    assert score.pages > 100
    assert score.f1 >= F1_FLOORS[dataset], (
        f"{dataset}: F1 {score.f1:.3f} (P {score.precision:.3f}, R {score.recall:.3f}) "
        f"fell under the floor {F1_FLOORS[dataset]}"
    )


def test_trafilatura_snippets(shared_data: Path) -> None:
    score = SnippetScore()
    for case in cases("trafilatura", data=shared_data):
        score.add(_text(case.html(), case.url), case)
    assert score.pages > 800
    assert score.with_share >= WITH_FLOOR, f"'with' snippets found: {score.with_share:.3f}"
    assert score.without_share >= WITHOUT_FLOOR, (
        f"'without' snippets absent: {score.without_share:.3f}"
    )
