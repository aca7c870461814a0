"""Body-text scoring shared by ``bench/extract.py`` and the CI quality gate.

The metric (issue 3): words are ``\\w+`` runs, case kept; each text is a multiset of word
4-gram shingles; per page TP/FP/FN give precision TP/(TP+FP) and recall TP/(TP+FN);
precision is averaged over pages with output, recall over pages with non-empty truth; F1 is the
harmonic mean of the two averages. On trafilatura's pages, the share of "with" snippets found
in the output and of "without" snippets absent from it (whitespace collapsed on both sides).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DATASETS = ("readability", "fundus", "trafilatura")
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
N = 4


@dataclass(frozen=True, slots=True)
class Case:
    """One page of a dataset with what it should yield."""

    dataset: str
    name: str
    path: Path
    url: str | None
    truth: str | None = None
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()

    def html(self) -> bytes:
        return gzip.decompress((self.path / "page.html.gz").read_bytes())


def shingles(text: str) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text)
    if len(words) < N:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + N]) for i in range(len(words) - N + 1))


@dataclass(slots=True)
class TextScore:
    """Running averages of shingle precision and recall over a dataset."""

    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)
    pages: int = 0

    def add(self, predicted: str, truth: str) -> None:
        self.pages += 1
        pred, gold = shingles(predicted), shingles(truth)
        tp = sum((pred & gold).values())
        if pred:
            self.precisions.append(tp / sum(pred.values()))
        if gold:
            self.recalls.append(tp / sum(gold.values()))

    @property
    def precision(self) -> float:
        return sum(self.precisions) / len(self.precisions) if self.precisions else 0.0

    @property
    def recall(self) -> float:
        return sum(self.recalls) / len(self.recalls) if self.recalls else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class SnippetScore:
    """Shares of "with" snippets present and "without" snippets absent."""

    with_found: int = 0
    with_total: int = 0
    without_absent: int = 0
    without_total: int = 0
    pages: int = 0

    def add(self, predicted: str, case: Case) -> None:
        self.pages += 1
        text = _SPACE.sub(" ", predicted)
        for snippet in case.with_snippets:
            self.with_total += 1
            self.with_found += _SPACE.sub(" ", snippet).strip() in text
        for snippet in case.without_snippets:
            self.without_total += 1
            self.without_absent += _SPACE.sub(" ", snippet).strip() not in text

    @property
    def with_share(self) -> float:
        return self.with_found / self.with_total if self.with_total else 0.0

    @property
    def without_share(self) -> float:
        return self.without_absent / self.without_total if self.without_total else 0.0

    @property
    def mean(self) -> float:
        return (self.with_share + self.without_share) / 2


def cases(dataset: str, data: Path = DATA, limit: int | None = None) -> Iterator[Case]:
    """The pages of one dataset, in a stable order, at most ``limit`` of them."""
    loader = {"readability": _readability, "fundus": _fundus, "trafilatura": _trafilatura}
    for count, case in enumerate(loader[dataset](data / "pages" / dataset)):
        if limit is not None and count >= limit:
            return
        yield case


def _readability(root: Path) -> Iterator[Case]:
    for path in sorted(p for p in root.iterdir() if (p / "expected.json").exists()):
        expected = json.loads((path / "expected.json").read_text(encoding="utf-8"))
        yield Case(
            "readability",
            path.name,
            path,
            "http://fakehost/test/page.html",
            truth=expected.get("text") or "",
        )


def _fundus(root: Path) -> Iterator[Case]:
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    urls = {page["files"]["expected"].rsplit("/", 1)[0]: page["url"] for page in index["pages"]}
    for path in sorted(root.glob("*/*/expected.json")):
        case_dir = path.parent
        key = f"{case_dir.parent.name}/{case_dir.name}"
        expected = json.loads(path.read_text(encoding="utf-8"))
        yield Case("fundus", key, case_dir, urls.get(key), truth=fundus_body(expected))


def fundus_body(expected: dict[str, object]) -> str:
    """Fundus's body as text: summary, then each section's headlines and paragraphs."""
    body = expected.get("body") or {}
    assert isinstance(body, dict)
    parts: list[str] = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n\n".join(parts)


def _trafilatura(root: Path) -> Iterator[Case]:
    for path in sorted(p for p in root.iterdir() if (p / "expected.json").exists()):
        expected = json.loads((path / "expected.json").read_text(encoding="utf-8"))
        yield Case(
            "trafilatura",
            path.name,
            path,
            expected.get("url"),
            with_snippets=tuple(expected.get("with") or ()),
            without_snippets=tuple(expected.get("without") or ()),
        )
