"""Related stories for an article: the same story first, then shared entities and terms.

A pure ranking over a pool of candidate articles the caller supplies (say, the last few days
of stored articles, or full-text search hits for the article's terms): no storage access here.
Each result carries an excerpt cut at a word boundary, never mid-word.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import chain
from typing import Literal

import numpy as np
import numpy.typing as npt

from newsfeed.stories._text import excerpt, terms

Reason = Literal["same story", "shared entities", "similar terms"]


@dataclass(frozen=True, slots=True)
class RelatedCandidate:
    """An article as related-story ranking sees it; ``text`` is the body or its lead."""

    article_id: int
    title: str
    text: str = ""
    url: str | None = None
    story_id: int | None = None
    published: datetime | None = None
    entities: frozenset[str] = frozenset()
    embedding: npt.NDArray[np.float32] | None = None


@dataclass(frozen=True, slots=True)
class Related:
    """One related article, why it is related, and what it shares with the article."""

    article_id: int
    title: str
    url: str | None
    excerpt: str
    reason: Reason
    score: float
    shared: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RelatedOptions:
    limit: int = 6
    excerpt_chars: int = 200
    min_score: float = 0.12
    entity_weight: float = 0.5
    term_weight: float = 0.35
    embedding_weight: float = 0.15


def related_articles(
    article: RelatedCandidate,
    pool: Sequence[RelatedCandidate],
    options: RelatedOptions | None = None,
    exclude: frozenset[int] = frozenset(),
) -> list[Related]:
    """Rank ``pool`` for ``article``: same-story articles first, then by shared entities/terms.

    ``exclude`` drops ids the caller shows elsewhere (the article's near-duplicates, say).
    Candidates below ``min_score`` that are not in the same story are left out.
    """
    opts = options or RelatedOptions()
    others = [c for c in pool if c.article_id != article.article_id and c.article_id not in exclude]
    if not others:
        return []
    bags = {c.article_id: _log_tf(f"{c.title} {c.text}") for c in [article, *others]}
    idf = _Idf(bags.values())
    mine = idf.weights(bags[article.article_id])
    scored = []
    for cand in others:
        bag = bags[cand.article_id]
        # Without a shared term the cosine is 0 whatever the weights: skip computing them.
        theirs = {} if mine.keys().isdisjoint(bag.keys()) else idf.weights(bag)
        term_sim, shared_terms = _cosine(mine, theirs)
        shared_entities = sorted(article.entities & cand.entities)
        entity_sim = _jaccard(article.entities, cand.entities)
        embed_sim = _embed_sim(article.embedding, cand.embedding)
        score = _blend(
            (opts.term_weight, term_sim),
            (opts.entity_weight, entity_sim if article.entities and cand.entities else None),
            (opts.embedding_weight, embed_sim),
        )
        same = article.story_id is not None and cand.story_id == article.story_id
        if not same and score < opts.min_score:
            continue
        reason: Reason = (
            "same story" if same else "shared entities" if shared_entities else "similar terms"
        )
        shared = tuple(shared_entities) if shared_entities else tuple(shared_terms[:5])
        scored.append((same, score, cand, reason, shared))
    scored.sort(key=lambda row: (not row[0], -row[1], row[2].article_id))
    return [
        Related(
            article_id=cand.article_id,
            title=cand.title,
            url=cand.url,
            excerpt=excerpt(cand.text or cand.title, opts.excerpt_chars),
            reason=reason,
            score=round(score, 4),
            shared=shared,
        )
        for _, score, cand, reason, shared in scored[: opts.limit]
    ]


@lru_cache(maxsize=1024)
def _log_tf(text: str) -> dict[str, float]:
    """``1 + log(count)`` of each term of ``text``. Cached: an article page ranks the same
    few hundred recent candidates again and again, and cutting their text into terms was
    most of its cost. The dict is shared: read it, never change it."""
    return {t: 1.0 + math.log(n) for t, n in Counter(terms(text)).items()}


class _Idf:
    """Smoothed inverse document frequency over ``bags``: ``log((N + 1) / (df + 1)) + 1``,
    one ``log`` per distinct document frequency rather than per term."""

    def __init__(self, bags: Iterable[dict[str, float]]) -> None:
        docs = list(bags)
        self._df = Counter(chain.from_iterable(docs))  # a dict iterates over its terms
        size = len(docs) + 1
        self._by_df = {n: math.log(size / (n + 1)) + 1.0 for n in set(self._df.values())}

    def weights(self, log_tf: dict[str, float]) -> dict[str, float]:
        df, by_df = self._df, self._by_df
        return {t: tf * by_df[df[t]] for t, tf in log_tf.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> tuple[float, list[str]]:
    shared = [t for t in a if t in b]
    if not shared:
        return 0.0, []
    dot = sum(a[t] * b[t] for t in shared)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    shared.sort(key=lambda t: -a[t] * b[t])
    return dot / norm, shared


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _embed_sim(
    a: npt.NDArray[np.float32] | None, b: npt.NDArray[np.float32] | None
) -> float | None:
    if a is None or b is None:
        return None
    return max(0.0, float(np.dot(a, b)))


def _blend(*parts: tuple[float, float | None]) -> float:
    """Weighted mean of the signals both articles have (``None`` = not available)."""
    present = [(w, v) for w, v in parts if v is not None and w > 0]
    total = sum(w for w, _ in present)
    return sum(w * v for w, v in present) / total if total else 0.0
