"""Related stories for an article: the same story first, then shared entities and terms.

A pure ranking over a pool of candidate articles the caller supplies (say, the last few days
of stored articles, or full-text search hits for the article's terms): no storage access here.
Each result carries an excerpt cut at a word boundary, never mid-word.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
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
    terms_of = _TermSimilarity(_log_tf(f"{article.title} {article.text}"), others)
    scored = []
    for i, cand in enumerate(others):
        term_sim, shared_terms = terms_of.cosine(i)
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


@dataclass(frozen=True, slots=True)
class _Pool:
    """What term similarity needs of a pool, whatever the article: each candidate's term
    bag, how many candidates hold each term, and each candidate's squared norm weighted by
    those counts alone. Cached, since the article pages of a few seconds all rank the same
    pool, and counting it anew was most of their cost."""

    bags: tuple[dict[str, float], ...]
    df: Counter[str]
    squares: tuple[float, ...]


@lru_cache(maxsize=8)
def _pool(texts: tuple[str, ...]) -> _Pool:
    bags = tuple(_log_tf(text) for text in texts)
    df = Counter(chain.from_iterable(bags))  # a dict iterates over its terms
    idf = _IdfScale(len(bags) + 1)
    squares = tuple(sum((tf * idf(df[t])) ** 2 for t, tf in bag.items()) for bag in bags)
    return _Pool(bags, df, squares)


class _IdfScale:
    """Smoothed inverse document frequency over ``docs`` documents,
    ``log((docs + 1) / (df + 1)) + 1``, one ``log`` per distinct document frequency."""

    def __init__(self, docs: int) -> None:
        self._size = docs + 1
        self._memo: dict[int, float] = {}

    def __call__(self, df: int) -> float:
        value = self._memo.get(df)
        if value is None:
            value = self._memo[df] = math.log(self._size / (df + 1)) + 1.0
        return value


class _TermSimilarity:
    """TF-IDF cosine between an article and each candidate, the IDF counted over the
    article and all candidates. Only the article's own terms count one more document than
    the cached pool does, so only they are weighted anew; a candidate's norm is its cached
    one corrected for those terms."""

    def __init__(self, mine: dict[str, float], others: Sequence[RelatedCandidate]) -> None:
        self._pool = _pool(tuple(f"{c.title} {c.text}" for c in others))
        self._idf = _IdfScale(len(others) + 1)
        df = self._pool.df
        self._mine = {t: tf * self._idf(df[t] + 1) for t, tf in mine.items()}
        self._norm = math.sqrt(sum(v * v for v in self._mine.values()))

    def cosine(self, i: int) -> tuple[float, list[str]]:
        """The cosine with candidate ``i`` and the shared terms, strongest first."""
        bag = self._pool.bags[i]
        shared = [t for t in self._mine if t in bag]
        if not shared:
            return 0.0, []
        df, idf = self._pool.df, self._idf
        products, square = {}, self._pool.squares[i]
        for t in shared:
            pooled, counted = bag[t] * idf(df[t]), bag[t] * idf(df[t] + 1)
            square += counted * counted - pooled * pooled
            products[t] = self._mine[t] * counted
        shared.sort(key=lambda t: -products[t])
        return sum(products.values()) / (self._norm * math.sqrt(square)), shared


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
