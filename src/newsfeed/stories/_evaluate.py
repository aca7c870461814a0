"""Measuring the stories components on labelled data (used by ``bench/stories.py`` and the CI gate).

* B-cubed precision/recall/F1 of a clustering against gold labels.
* The UCI News Aggregator headlines, read in arrival order.
* A near-duplicate set built from real page bodies: exact copies, copies wrapped in another
  site's furniture, lightly edited copies, and other stories of the same outlet (wrapped in
  the same furniture) as negatives.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

_FURNITURE_WORDS = 60  # how much nav/footer text leaks around a body, each side
_MIN_BODY_WORDS = 80
_SOURCE_OVERLAP = 0.1


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> Scores:
    """B-cubed precision and recall of ``predicted`` cluster labels against ``gold`` ones."""
    if len(predicted) != len(gold) or not gold:
        raise ValueError("predicted and gold labels must be non-empty and of equal length")
    pred_sizes = Counter(predicted)
    gold_sizes = Counter(gold)
    both = Counter(zip(predicted, gold, strict=True))
    precision = sum(both[(p, g)] / pred_sizes[p] for p, g in zip(predicted, gold, strict=True))
    recall = sum(both[(p, g)] / gold_sizes[g] for p, g in zip(predicted, gold, strict=True))
    return Scores(precision / len(gold), recall / len(gold))


@dataclass(frozen=True, slots=True)
class Headline:
    id: int
    title: str
    publisher: str
    published: datetime
    story: str


def load_uci(path: Path) -> list[Headline]:
    """The UCI headlines sorted by timestamp (then id), as an aggregator would receive them."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [
            Headline(
                id=int(row["ID"]),
                title=row["TITLE"],
                publisher=row["PUBLISHER"],
                published=datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, tz=UTC),
                story=row["STORY"],
            )
            for row in csv.DictReader(handle)
        ]
    rows.sort(key=lambda h: (h.published, h.id))
    return rows


@dataclass(frozen=True, slots=True)
class DupDoc:
    """One text of the duplicate set; docs with the same ``group`` share a body."""

    id: int
    text: str
    group: int
    outlet: str
    kind: str  # original | exact | furniture | edited


@dataclass(frozen=True, slots=True)
class _Body:
    outlet: str
    text: str
    furniture: tuple[str, str]


def build_duplicate_set(data: Path, seed: int = 7, limit: int | None = None) -> list[DupDoc]:
    """Build the near-duplicate set from fundus and readability pages under ``data/pages``."""
    bodies = _bodies(data / "pages")
    if limit is not None:
        bodies = bodies[:limit]
    rng = random.Random(seed)
    docs: list[DupDoc] = []
    for group, body in enumerate(bodies):
        other = bodies[(group + 1 + rng.randrange(len(bodies) - 1)) % len(bodies)]
        donor = bodies[(group + 7) % len(bodies)]
        variants = {
            "original": _wrap(body.text, body.furniture),
            "exact": _wrap(body.text, body.furniture),
            "furniture": _wrap(body.text, other.furniture),
            "edited": _wrap(_light_edit(body.text, donor.text, rng), body.furniture),
        }
        for kind, text in variants.items():
            docs.append(DupDoc(len(docs) + 1, text, group, body.outlet, kind))
    return docs


def pair_scores(
    docs: Sequence[DupDoc], add: Callable[[int, str], list[int]]
) -> tuple[Scores, dict[str, float], int]:
    """Feed ``docs`` to ``add`` (a ``DuplicateIndex.add``); score the linked pairs.

    Returns precision/recall over pairs, recall per copy kind, and the number of
    same-outlet negative pairs wrongly linked.
    """
    by_id = {d.id: d for d in docs}
    found: set[tuple[int, int]] = set()
    for doc in docs:
        for other in add(doc.id, doc.text):
            found.add((min(doc.id, other), max(doc.id, other)))
    truth = {
        (a.id, b.id) for a, b in combinations(docs, 2) if a.group == b.group
    }  # docs are few hundred: all pairs is fine
    hits = found & truth
    precision = len(hits) / len(found) if found else 1.0
    recall = len(hits) / len(truth) if truth else 1.0
    per_kind: dict[str, float] = {}
    for kind in ("exact", "furniture", "edited"):
        wanted = {p for p in truth if {by_id[p[0]].kind, by_id[p[1]].kind} == {"original", kind}}
        per_kind[kind] = len(wanted & found) / len(wanted) if wanted else 1.0
    same_outlet_false = sum(1 for a, b in found - truth if by_id[a].outlet == by_id[b].outlet)
    return Scores(precision, recall), per_kind, same_outlet_false


def _bodies(pages: Path) -> list[_Body]:
    out = []
    for case in sorted((pages / "fundus").glob("*/*/")):
        expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
        body = expected.get("body") or {}
        paragraphs = list(body.get("summary") or [])
        for section in body.get("sections") or []:
            paragraphs += section.get("paragraphs") or []
        out.append(_Body(case.parent.name, "\n".join(paragraphs), _furniture(case)))
    for case in sorted((pages / "readability").glob("*/")):
        expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
        out.append(_Body(f"readability/{case.name}", expected.get("text") or "", _furniture(case)))
    return _distinct([b for b in out if len(b.text.split()) >= _MIN_BODY_WORDS])


def _distinct(bodies: list[_Body]) -> list[_Body]:
    """Drop bodies that already overlap a kept one (test suites hold variants of one page).

    Exact word-trigram Jaccard, independent of the MinHash code under test; an inverted
    index keeps it to the bodies that share a trigram at all.
    """
    kept: list[_Body] = []
    sizes: list[int] = []
    postings: dict[str, list[int]] = {}
    for body in bodies:
        words = body.text.casefold().split()
        mine = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
        shared = Counter(k for gram in mine for k in postings.get(gram, ()))
        if any(n / (len(mine) + sizes[k] - n) >= _SOURCE_OVERLAP for k, n in shared.items()):
            continue
        for gram in mine:
            postings.setdefault(gram, []).append(len(kept))
        kept.append(body)
        sizes.append(len(mine))
    return kept


def _furniture(case: Path) -> tuple[str, str]:
    """Text of the page's navigation/header (before) and footer (after), a few dozen words."""
    try:
        tree = lxml_html.fromstring(gzip.decompress((case / "page.html.gz").read_bytes()))
    except (OSError, ValueError, etree.ParserError):
        return "", ""
    for junk in tree.xpath("//script | //style | //noscript | //template"):
        junk.drop_tree()

    def text_of(xpath: str) -> str:
        words = " ".join(" ".join(el.itertext()) for el in tree.xpath(xpath)).split()
        return " ".join(words[:_FURNITURE_WORDS])

    return text_of("//nav | //header"), text_of("//footer")


def _wrap(body: str, furniture: tuple[str, str]) -> str:
    before, after = furniture
    return "\n".join(part for part in (before, body, after) if part)


def _light_edit(body: str, donor: str, rng: random.Random) -> str:
    """Change three words and append one sentence from another story (an updated copy)."""
    words = body.split(" ")
    for index in rng.sample(range(len(words)), k=min(3, len(words))):
        words[index] = rng.choice(("reportedly", "officials", "Tuesday", "several", "new"))
    sentence = next((s for s in donor.split(". ") if len(s.split()) >= 6), donor[:120])
    return " ".join(words) + "\n" + sentence.strip() + "."
