"""Online story clustering: each arriving article joins a story or starts one.

An article is scored against every *active* story (one matrix product over the unit-length
centroids of the stories seen within ``window_hours``), so the cost per article depends on how
many stories are live, not on how many were ever stored. The score is

    cosine(article, centroid) / cohesion ** cohesion_power        (embedding)
  + headline_weight * tf-idf cosine(headline terms, story terms)   (the few best candidates)
  + entity_weight * share of the article's entities the story has  (when entities are given)

times a time decay: full weight while the article falls within ``grace_hours`` of the story's
first/last article, then halving every ``half_life_hours``. *Cohesion* is the mean cosine of a
story's articles to its centroid (``|sum| / n`` for unit vectors): a broad story whose
headlines vary is judged against its own spread, not against a tight one's.

After each join the grown story is compared with the other active stories; those whose
centroids now lie within ``merge_threshold`` are merged into the larger (ties: the older),
and the absorbed ids are reported so storage can re-point their articles.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from newsfeed.stories._text import terms
from newsfeed.stories._types import (
    Assignment,
    ClusterItem,
    ClusterOptions,
    StorySnapshot,
    StoryState,
)

_MAX_TERMS = 48
_MAX_ENTITIES = 32
_MAX_HEADS = 4
_HOUR = 3600.0


@dataclass(slots=True)
class _Meta:
    """The per-story bookkeeping that is not a row of the centroid matrix."""

    outlets: Counter[str] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    heads: list[tuple[str, npt.NDArray[np.float16]]] = field(default_factory=list)


def _epoch(when: datetime) -> float:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def _dt(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def _top(counter: Counter[str], limit: int) -> Counter[str]:
    return counter if len(counter) <= limit else Counter(dict(counter.most_common(limit)))


class StoryClusterer:
    """Groups articles into stories as they arrive; see the module docstring for the score.

    Not thread-safe: feed it from one worker. ``to_bytes``/``from_bytes`` persist the state.
    """

    def __init__(self, options: ClusterOptions | None = None, dim: int = 256) -> None:
        self.options = options or ClusterOptions()
        self.dim = dim
        self._cap = 0
        self._ids = np.zeros(0, dtype=np.int64)  # story id per slot, -1 when free
        self._cent = np.zeros((0, dim), dtype=np.float32)
        self._norm = np.zeros(0, dtype=np.float32)  # |sum of member vectors|
        self._n = np.zeros(0, dtype=np.int32)
        self._first = np.zeros(0, dtype=np.float64)
        self._last = np.zeros(0, dtype=np.float64)
        self._meta: dict[int, _Meta] = {}  # slot -> meta
        self._slot_of: dict[int, int] = {}  # story id -> slot
        self._free: list[int] = []
        self._next_id = 1
        self._df: Counter[str] = Counter()
        self._docs = 0
        self._clock = -math.inf
        self._next_evict = -math.inf
        self._grow(64)

    # -- public API -----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._slot_of)

    def add(self, item: ClusterItem) -> Assignment:
        """Place one article; returns its story (new or existing) and any merges it caused."""
        vec = self._check(item.embedding)
        when = _epoch(item.published)
        self._tick(when)
        item_terms = set(terms(item.title))
        self._docs += 1
        self._df.update(item_terms)
        slot, score = self._best(vec, when, item_terms, item.entities)
        created = slot < 0 or score < self.options.join_threshold
        if created:
            slot = self._open(when)
        self._join(slot, vec, when, item, item_terms)
        survivor, absorbed = self._merge_into(slot)
        story_id = int(self._ids[survivor])
        return Assignment(item.article_id, story_id, created, float(score), absorbed)

    def story(self, story_id: int) -> StoryState:
        """The state of an active story (``KeyError`` if unknown, merged away or evicted)."""
        return self._state(self._slot_of[story_id])

    def stories(self) -> list[StoryState]:
        """All active stories, newest activity first."""
        slots = sorted(self._slot_of.values(), key=lambda s: -self._last[s])
        return [self._state(s) for s in slots]

    def evict(self, now: datetime) -> list[int]:
        """Drop stories with no article within ``window_hours`` before ``now``; return ids."""
        cutoff = _epoch(now) - self.options.window_hours * _HOUR
        stale = [(i, s) for i, s in self._slot_of.items() if self._last[s] < cutoff]
        for _, slot in stale:
            self._release(slot)
        return sorted(i for i, _ in stale)

    def snapshot(self, story_id: int) -> StorySnapshot:
        """One active story's full state, to store as a row (``KeyError`` if not active)."""
        slot = self._slot_of[story_id]
        meta = self._meta[slot]
        ordered = sorted(meta.heads, key=lambda h: -float(h[1] @ self._cent[slot]))
        return StorySnapshot(
            id=story_id,
            vector_sum=(self._cent[slot] * self._norm[slot]).astype(np.float32),
            article_count=int(self._n[slot]),
            first_seen=_dt(float(self._first[slot])),
            last_seen=_dt(float(self._last[slot])),
            outlets=dict(meta.outlets),
            terms=dict(meta.terms),
            entities=dict(meta.entities),
            headlines=tuple((t, v.astype(np.float32)) for t, v in ordered),
        )

    def restore(
        self,
        snapshots: Iterable[StorySnapshot],
        term_counts: Mapping[str, int] | None = None,
        documents: int = 0,
    ) -> None:
        """Put stored stories back as active stories (a restart, without re-clustering).

        ``term_counts``/``documents`` restore the headline-term document frequencies
        (``term_statistics``); without them every term weighs the same until new
        articles arrive. New story ids continue after the largest restored one.
        """
        for snap in snapshots:
            self._restore_one(snap)
        if term_counts is not None:
            self._df.update(term_counts)
            self._docs += documents

    def term_statistics(self) -> tuple[dict[str, int], int]:
        """Headline-term document frequencies and the number of documents counted."""
        return dict(self._df), self._docs

    def _restore_one(self, snap: StorySnapshot) -> None:
        if snap.id in self._slot_of:
            raise ValueError(f"story {snap.id} is already active")
        vec_sum = np.asarray(snap.vector_sum, dtype=np.float32).reshape(-1)
        if vec_sum.shape[0] != self.dim or snap.article_count < 1:
            raise ValueError(f"story {snap.id}: bad vector size or article count")
        slot = self._open(_epoch(snap.first_seen), story_id=snap.id)
        self._set_sum(slot, vec_sum)
        self._n[slot] = snap.article_count
        self._last[slot] = _epoch(snap.last_seen)
        self._meta[slot] = _Meta(
            outlets=Counter(snap.outlets),
            terms=Counter(snap.terms),
            entities=Counter(snap.entities),
            heads=[(t, np.asarray(v, dtype=np.float16)) for t, v in snap.headlines],
        )
        self._clock = max(self._clock, self._last[slot])

    def to_bytes(self) -> bytes:
        """The whole state as bytes (numpy arrays and JSON inside; no pickle)."""
        from newsfeed.stories._persist import dump

        return dump(self)

    @classmethod
    def from_bytes(cls, data: bytes) -> StoryClusterer:
        """Restore a clusterer saved by ``to_bytes``; ``StorageError`` if unreadable."""
        from newsfeed.stories._persist import load

        return load(data)

    def memory_bytes(self) -> int:
        """Approximate bytes held for the active stories (matrix rows and bookkeeping)."""
        per_row = self._cent.itemsize * self.dim + 4 + 4 + 8 + 8 + 8
        meta = sum(_meta_bytes(m) for m in self._meta.values())
        return per_row * len(self._slot_of) + meta

    # -- scoring --------------------------------------------------------------------------

    def _best(
        self,
        vec: npt.NDArray[np.float32],
        when: float,
        item_terms: set[str],
        entities: frozenset[str],
    ) -> tuple[int, float]:
        if not self._slot_of or not vec.any():
            return -1, 0.0
        base = self._embedding_scores(vec, when)
        k = min(self.options.candidates, len(base))
        top = np.argpartition(-base, k - 1)[:k]
        best, best_score = -1, -math.inf
        idf = self._idf(item_terms)
        for slot in top.tolist():
            if self._ids[slot] < 0:
                continue
            score = float(base[slot])
            if score == -math.inf:
                continue
            decay = self._decay_one(slot, when)
            meta = self._meta[slot]
            score += decay * self.options.headline_weight * self._term_sim(idf, meta.terms)
            score += decay * self.options.entity_weight * _entity_share(entities, meta.entities)
            if score > best_score:
                best, best_score = slot, score
        return best, best_score

    def _embedding_scores(
        self, vec: npt.NDArray[np.float32], when: float
    ) -> npt.NDArray[np.float64]:
        sims = self._cent @ vec
        n = np.maximum(self._n, 1)
        cohesion = np.where(self._n >= 2, self._norm / n, 1.0)
        cohesion = np.clip(cohesion, 1e-3, 1.0)
        scores = sims / cohesion**self.options.cohesion_power
        scores = scores * self._decay(when)
        return np.where(self._ids >= 0, scores, -np.inf)

    def _decay(self, when: float) -> npt.NDArray[np.float64]:
        gap = np.maximum(np.maximum(when - self._last, self._first - when), 0.0) / _HOUR
        late = np.maximum(gap - self.options.grace_hours, 0.0)
        decay: npt.NDArray[np.float64] = 0.5 ** (late / self.options.half_life_hours)
        return decay

    def _decay_one(self, slot: int, when: float) -> float:
        gap = max(when - self._last[slot], self._first[slot] - when, 0.0) / _HOUR
        late = max(gap - self.options.grace_hours, 0.0)
        return float(0.5 ** (late / self.options.half_life_hours))

    def _idf(self, item_terms: set[str]) -> dict[str, float]:
        return {t: math.log((self._docs + 1) / (self._df[t] + 1)) + 1.0 for t in item_terms}

    def _term_sim(self, idf: dict[str, float], story_terms: Counter[str]) -> float:
        if not idf or not story_terms:
            return 0.0
        dot = sum(w * w * story_terms.get(t, 0) for t, w in idf.items())
        if dot == 0:
            return 0.0
        norm_q = math.sqrt(sum(w * w for w in idf.values()))
        norm_s = math.sqrt(sum((c * self._idf_one(t)) ** 2 for t, c in story_terms.items()))
        return dot / (norm_q * norm_s)

    def _idf_one(self, term: str) -> float:
        return math.log((self._docs + 1) / (self._df[term] + 1)) + 1.0

    # -- updates --------------------------------------------------------------------------

    def _open(self, when: float, story_id: int | None = None) -> int:
        if not self._free:
            self._grow(self._cap * 2)
        slot = self._free.pop()
        story_id = self._next_id if story_id is None else story_id
        self._ids[slot] = story_id
        self._slot_of[story_id] = slot
        self._next_id = max(self._next_id, story_id + 1)
        self._cent[slot] = 0.0
        self._norm[slot] = 0.0
        self._n[slot] = 0
        self._first[slot] = when
        self._last[slot] = when
        self._meta[slot] = _Meta()
        return slot

    def _join(
        self,
        slot: int,
        vec: npt.NDArray[np.float32],
        when: float,
        item: ClusterItem,
        item_terms: set[str],
    ) -> None:
        total = self._cent[slot] * self._norm[slot] + vec
        self._set_sum(slot, total)
        self._n[slot] += 1
        self._first[slot] = min(self._first[slot], when)
        self._last[slot] = max(self._last[slot], when)
        meta = self._meta[slot]
        if item.publisher:
            meta.outlets[item.publisher] += 1
        meta.terms = _top(meta.terms + Counter(item_terms), _MAX_TERMS)
        meta.entities = _top(meta.entities + Counter(item.entities), _MAX_ENTITIES)
        self._keep_head(slot, item.title, vec)

    def _keep_head(self, slot: int, title: str, vec: npt.NDArray[np.float32]) -> None:
        heads = self._meta[slot].heads
        heads.append((title, vec.astype(np.float16)))
        if len(heads) > _MAX_HEADS:
            centre = self._cent[slot]
            worst = min(range(len(heads)), key=lambda i: float(heads[i][1] @ centre))
            heads.pop(worst)

    def _set_sum(self, slot: int, total: npt.NDArray[np.float32]) -> None:
        norm = float(np.linalg.norm(total))
        self._norm[slot] = norm
        self._cent[slot] = total / norm if norm > 0 else 0.0

    def _merge_into(self, slot: int) -> tuple[int, tuple[int, ...]]:
        """Merge stories that now converge with ``slot``; return (survivor slot, absorbed ids)."""
        if self._norm[slot] == 0:
            return slot, ()
        sims = (self._cent @ self._cent[slot]) * self._pair_decay(slot)
        sims[slot] = -np.inf
        sims[self._ids < 0] = -np.inf
        close = np.flatnonzero(sims >= self.options.merge_threshold).tolist()
        if not close:
            return slot, ()
        group = [slot, *close]
        survivor = min(group, key=lambda s: (-int(self._n[s]), int(self._ids[s])))
        absorbed = []
        for other in group:
            if other != survivor:
                absorbed.append(int(self._ids[other]))
                self._absorb(survivor, other)
        return survivor, tuple(sorted(absorbed))

    def _pair_decay(self, slot: int) -> npt.NDArray[np.float64]:
        a_first, a_last = self._first[slot], self._last[slot]
        gap = np.maximum(np.maximum(self._first - a_last, a_first - self._last), 0.0) / _HOUR
        late = np.maximum(gap - self.options.grace_hours, 0.0)
        decay: npt.NDArray[np.float64] = 0.5 ** (late / self.options.half_life_hours)
        return decay

    def _absorb(self, into: int, other: int) -> None:
        total = self._cent[into] * self._norm[into] + self._cent[other] * self._norm[other]
        self._set_sum(into, total)
        self._n[into] += self._n[other]
        self._first[into] = min(self._first[into], self._first[other])
        self._last[into] = max(self._last[into], self._last[other])
        mine, theirs = self._meta[into], self._meta[other]
        mine.outlets += theirs.outlets
        mine.terms = _top(mine.terms + theirs.terms, _MAX_TERMS)
        mine.entities = _top(mine.entities + theirs.entities, _MAX_ENTITIES)
        for title, vec in theirs.heads:
            self._keep_head(into, title, vec.astype(np.float32))
        self._release(other)

    def _release(self, slot: int) -> None:
        story_id = int(self._ids[slot])
        del self._slot_of[story_id]
        del self._meta[slot]
        self._ids[slot] = -1
        self._cent[slot] = 0.0
        self._norm[slot] = 0.0
        self._n[slot] = 0
        self._free.append(slot)

    def _tick(self, when: float) -> None:
        """Advance the clock; every so often drop stories that left the window."""
        self._clock = max(self._clock, when)
        if self._clock >= self._next_evict:
            self.evict(_dt(self._clock))
            self._next_evict = self._clock + self.options.window_hours * _HOUR / 16

    def _grow(self, cap: int) -> None:
        old, cap = self._cap, max(cap, 64)
        self._ids = _widen(self._ids, cap, -1)
        self._cent = _widen(self._cent, cap, 0.0)
        self._norm = _widen(self._norm, cap, 0.0)
        self._n = _widen(self._n, cap, 0)
        self._first = _widen(self._first, cap, 0.0)
        self._last = _widen(self._last, cap, 0.0)
        self._free.extend(range(cap - 1, old - 1, -1))
        self._cap = cap

    def _check(self, embedding: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        vec = np.asarray(embedding, dtype=np.float32).reshape(-1)
        if vec.shape[0] != self.dim:
            raise ValueError(f"embedding has {vec.shape[0]} dimensions, expected {self.dim}")
        if not np.isfinite(vec).all():
            raise ValueError("embedding contains NaN or infinite values")
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm > 0 else vec

    def _state(self, slot: int) -> StoryState:
        meta = self._meta[slot]
        centre = self._cent[slot]
        title = max(meta.heads, key=lambda h: float(h[1].astype(np.float32) @ centre))[0]
        outlets = tuple(name for name, _ in meta.outlets.most_common())
        return StoryState(
            id=int(self._ids[slot]),
            title=title,
            first_seen=_dt(float(self._first[slot])),
            last_seen=_dt(float(self._last[slot])),
            article_count=int(self._n[slot]),
            outlets=outlets,
        )


_G = TypeVar("_G", bound=np.generic)


def _widen(arr: npt.NDArray[_G], cap: int, fill: float) -> npt.NDArray[_G]:
    """A copy of ``arr`` with ``cap`` rows, the new ones set to ``fill``."""
    out: npt.NDArray[_G] = np.full((cap, *arr.shape[1:]), fill, dtype=arr.dtype)
    out[: len(arr)] = arr
    return out


def _entity_share(entities: frozenset[str], story: Counter[str]) -> float:
    if not entities or not story:
        return 0.0
    return sum(1 for e in entities if e in story) / len(entities)


def _meta_bytes(meta: _Meta) -> int:
    # Rough: a counter entry ~ 100 bytes with its key; a head ~ its title plus the vector.
    entries = len(meta.outlets) + len(meta.terms) + len(meta.entities)
    heads = sum(len(title) + 49 + vec.nbytes for title, vec in meta.heads)
    return 232 + entries * 100 + heads
