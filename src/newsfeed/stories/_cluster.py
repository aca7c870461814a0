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

After each join the grown story is compared with the article's other candidate stories (the
``candidates`` best-scoring ones, which are where a converging story can be); those whose
centroids now lie within ``merge_threshold`` are merged into the larger (ties: the older),
and the absorbed ids are reported so storage can re-point their articles.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from newsfeed.stories._rows import Meta, Rows
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

Vector = npt.NDArray[np.float32]


def _epoch(when: datetime) -> float:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def _dt(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def _top(counter: Counter[str], limit: int) -> Counter[str]:
    return counter if len(counter) <= limit else Counter(dict(counter.most_common(limit)))


def _prune(meta: Meta) -> None:
    """Keep a story's term and entity counts bounded (pruned in bulk: cheaper than each time)."""
    if len(meta.terms) > 2 * _MAX_TERMS:
        meta.terms = _top(meta.terms, _MAX_TERMS)
    if len(meta.entities) > 2 * _MAX_ENTITIES:
        meta.entities = _top(meta.entities, _MAX_ENTITIES)


class StoryClusterer:
    """Groups articles into stories as they arrive; see the module docstring for the score.

    Story ids are allocated here (1, 2, …) and never reused. Not thread-safe: feed it from
    one worker. ``to_bytes``/``from_bytes`` or ``snapshot``/``restore`` persist the state.
    """

    def __init__(self, options: ClusterOptions | None = None, dim: int = 256) -> None:
        self.options = options or ClusterOptions()
        self.dim = dim
        self._rows = Rows(dim)
        self._next_id = 1
        self._df: Counter[str] = Counter()
        self._docs = 0
        self._clock = -math.inf
        self._next_evict = -math.inf

    # -- public API -----------------------------------------------------------------------

    def __len__(self) -> int:
        return self._rows.count

    def add(self, item: ClusterItem) -> Assignment:
        """Place one article; returns its story (new or existing) and any merges it caused."""
        return self._add(item, self._check(item.embedding), None)

    def add_many(self, items: Sequence[ClusterItem]) -> list[Assignment]:
        """Place several articles in order; same outcome as ``add`` one by one, faster.

        One matrix product scores the whole batch against the stories active when it
        starts and keeps each article's nearest few; those, plus the stories the batch
        itself creates, are then rescored exactly as ``add`` would. The difference from
        ``add`` is only that the first cut uses the centroids as they were at the start.
        """
        rows = self._rows
        shortlist = 4 * self.options.candidates
        if len(items) < 2 or rows.count <= shortlist:
            return [self.add(item) for item in items]
        vecs = np.stack([self._check(item.embedding) for item in items])
        count = rows.count
        before = rows.ids[:count].copy()
        sims = vecs @ rows.cent[:count].T
        sims *= rows.scale[:count]
        # Decay at the batch's first time: a shortlist only, rescored exactly per article.
        when = _epoch(items[0].published)
        sims *= self._decay(rows.first[:count], rows.last[:count], when, when).astype(np.float32)
        near = np.argpartition(-sims, shortlist - 1, axis=1)[:, :shortlist]
        fresh: list[int] = []
        moved: dict[int, int] = {}  # absorbed story id -> the story that absorbed it
        done = []
        for index, item in enumerate(items):
            pool = {_follow(moved, int(i)) for i in before[near[index]]}
            assignment = self._add(item, vecs[index], [*pool, *fresh])
            for old in assignment.merged:
                moved[old] = assignment.story_id
            if assignment.created:
                fresh.append(assignment.story_id)
            done.append(assignment)
        return done

    def story(self, story_id: int) -> StoryState:
        """The state of an active story (``KeyError`` if unknown, merged away or evicted)."""
        return self._state(self._rows.slot_of[story_id])

    def stories(self) -> list[StoryState]:
        """All active stories, newest activity first."""
        order = np.argsort(-self._rows.last[: self._rows.count], kind="stable")
        return [self._state(int(slot)) for slot in order]

    def evict(self, now: datetime) -> list[int]:
        """Drop stories with no article within ``window_hours`` before ``now``; return ids."""
        cutoff = _epoch(now) - self.options.window_hours * _HOUR
        rows = self._rows
        stale = sorted(int(i) for i in rows.ids[: rows.count][rows.last[: rows.count] < cutoff])
        for story_id in stale:
            rows.release(rows.slot_of[story_id])
        return stale

    def snapshot(self, story_id: int) -> StorySnapshot:
        """One active story's full state, to store as a row (``KeyError`` if not active)."""
        rows = self._rows
        slot = rows.slot_of[story_id]
        meta = rows.meta[slot]
        ordered = sorted(meta.heads, key=lambda h: -float(h[1] @ rows.cent[slot]))
        return StorySnapshot(
            id=story_id,
            vector_sum=rows.vector_sum(slot),
            article_count=int(rows.n[slot]),
            first_seen=_dt(float(rows.first[slot])),
            last_seen=_dt(float(rows.last[slot])),
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
        next_story_id: int | None = None,
    ) -> None:
        """Put stored stories back as active stories (a restart, without re-clustering).

        ``term_counts``/``documents`` restore the headline-term document frequencies
        (``term_statistics``); without them every term weighs the same until new
        articles arrive. New story ids continue after the largest restored one, or from
        ``next_story_id`` (save it: ids of merged-away stories must not come back).
        """
        for snap in snapshots:
            self._restore_one(snap)
        if next_story_id is not None:
            self._next_id = max(self._next_id, next_story_id)
        if term_counts is not None:
            self._df.update(term_counts)
            self._docs += documents

    @property
    def next_story_id(self) -> int:
        """The id the next new story will get."""
        return self._next_id

    def term_statistics(self) -> tuple[dict[str, int], int]:
        """Headline-term document frequencies and the number of documents counted."""
        return dict(self._df), self._docs

    def to_bytes(self) -> bytes:
        """The whole state as bytes (numpy arrays and JSON inside; no pickle)."""
        from newsfeed.stories._persist import dump

        return dump(self)

    @classmethod
    def from_bytes(cls, data: bytes) -> StoryClusterer:
        """Restore a clusterer saved by ``to_bytes``; ``StorageError`` if unreadable."""
        from newsfeed.stories._persist import load

        return load(data)

    # -- scoring --------------------------------------------------------------------------

    def _add(self, item: ClusterItem, vec: Vector, pool: list[int] | None) -> Assignment:
        when = _epoch(item.published)
        self._tick(when)
        item_terms = set(terms(item.title))
        self._docs += 1
        self._df.update(item_terms)
        slots = None
        if pool is not None:
            slots = np.array([self._rows.slot_of[i] for i in pool if i in self._rows.slot_of])
        candidates, best, score = self._best(vec, when, item_terms, item.entities, slots)
        created = best is None or score < self.options.join_threshold
        story_id = self._new_story(when) if created or best is None else best
        self._join(self._rows.slot_of[story_id], vec, when, item, item_terms)
        story_id, absorbed = self._merge(story_id, candidates)
        return Assignment(item.article_id, story_id, created, float(score), absorbed)

    def _best(
        self,
        vec: Vector,
        when: float,
        item_terms: set[str],
        entities: frozenset[str],
        slots: npt.NDArray[np.intp] | None,
    ) -> tuple[list[int], int | None, float]:
        """The candidate story ids, the best one and its score (over ``slots`` if given)."""
        rows = self._rows
        if slots is None:
            slots = np.arange(rows.count)
            base = self._embedding_scores(vec, when, slice(0, rows.count))
        else:
            base = np.full(rows.count, -np.inf)
            base[slots] = self._embedding_scores(vec, when, slots)
        if not len(slots) or not vec.any():
            return [], None, 0.0
        k = min(self.options.candidates, len(slots))
        top = slots[np.argpartition(-base[slots], k - 1)[:k]] if k < len(slots) else slots
        top = top[np.argsort(-base[top], kind="stable")]
        idf = self._idf(item_terms)
        bonus = self.options.headline_weight + self.options.entity_weight
        best, best_score = None, -math.inf
        for slot in top.tolist():
            score = float(base[slot])
            if score + bonus <= best_score:
                break  # sorted by embedding score: no later candidate can win
            decay = self._decay_one(slot, when)
            meta = rows.meta[slot]
            score += decay * self.options.headline_weight * self._term_sim(idf, meta.terms)
            score += decay * self.options.entity_weight * _entity_share(entities, meta.entities)
            if score > best_score:
                best, best_score = int(rows.ids[slot]), score
        return [int(rows.ids[s]) for s in top.tolist()], best, best_score

    def _embedding_scores(
        self, vec: Vector, when: float, at: slice | npt.NDArray[np.intp]
    ) -> npt.NDArray[np.float64]:
        """Embedding score times time decay for the rows ``at`` (a slice avoids a gather)."""
        rows = self._rows
        sims = (rows.cent[at] @ vec) * rows.scale[at]
        return self._decay(rows.first[at], rows.last[at], when, when) * sims

    def _rescale(self, slot: int) -> None:
        """Refresh a story's 1 / cohesion ** power after it changed (cached: it is per row)."""
        rows = self._rows
        n = int(rows.n[slot])
        cohesion = float(rows.norm[slot]) / n if n >= 2 else 1.0
        rows.scale[slot] = min(max(cohesion, 1e-3), 1.0) ** -self.options.cohesion_power

    def _decay(
        self,
        first: npt.NDArray[np.float64],
        last: npt.NDArray[np.float64],
        start: float,
        end: float,
    ) -> npt.NDArray[np.float64]:
        """Weight for the hours between [start, end] and each [first, last] (0 if overlapping)."""
        gap = np.maximum(np.maximum(start - last, first - end), 0.0) / _HOUR
        late = np.maximum(gap - self.options.grace_hours, 0.0)
        decay: npt.NDArray[np.float64] = np.exp2(-late / self.options.half_life_hours)
        return decay

    def _decay_one(self, slot: int, when: float) -> float:
        rows = self._rows
        gap = max(when - rows.last[slot], rows.first[slot] - when, 0.0) / _HOUR
        late = max(gap - self.options.grace_hours, 0.0)
        return float(0.5 ** (late / self.options.half_life_hours))

    def _idf(self, item_terms: set[str]) -> dict[str, float]:
        return {t: self._idf_one(t) for t in item_terms}

    def _idf_one(self, term: str) -> float:
        return math.log((self._docs + 1) / (self._df[term] + 1)) + 1.0

    def _term_sim(self, idf: dict[str, float], story_terms: Counter[str]) -> float:
        if not idf or not story_terms:
            return 0.0
        dot = sum(w * w * story_terms.get(t, 0) for t, w in idf.items())
        if dot == 0:
            return 0.0
        norm_q = math.sqrt(sum(w * w for w in idf.values()))
        norm_s = math.sqrt(sum((c * self._idf_one(t)) ** 2 for t, c in story_terms.items()))
        return dot / (norm_q * norm_s)

    # -- updates --------------------------------------------------------------------------

    def _new_story(self, when: float, story_id: int | None = None) -> int:
        story_id = self._next_id if story_id is None else story_id
        self._next_id = max(self._next_id, story_id + 1)
        self._rows.open(story_id, when)
        return story_id

    def _join(
        self, slot: int, vec: Vector, when: float, item: ClusterItem, item_terms: set[str]
    ) -> None:
        rows = self._rows
        rows.set_sum(slot, rows.vector_sum(slot) + vec)
        rows.n[slot] += 1
        self._rescale(slot)
        rows.first[slot] = min(rows.first[slot], when)
        rows.last[slot] = max(rows.last[slot], when)
        meta = rows.meta[slot]
        if item.publisher:
            meta.outlets[item.publisher] += 1
        meta.terms.update(item_terms)
        meta.entities.update(item.entities)
        _prune(meta)
        self._keep_head(slot, item.title, vec)

    def _keep_head(self, slot: int, title: str, vec: Vector) -> None:
        heads = self._rows.meta[slot].heads
        heads.append((title, vec.astype(np.float16)))
        if len(heads) > _MAX_HEADS:
            centre = self._rows.cent[slot]
            worst = min(range(len(heads)), key=lambda i: float(heads[i][1] @ centre))
            heads.pop(worst)

    def _merge(self, story_id: int, candidates: list[int]) -> tuple[int, tuple[int, ...]]:
        """Merge candidates that now converge with ``story_id``; return (survivor, absorbed)."""
        rows = self._rows
        slot = rows.slot_of[story_id]
        others = [c for c in candidates if c != story_id and c in rows.slot_of]
        if not others or rows.norm[slot] == 0:
            return story_id, ()
        their = np.array([rows.slot_of[c] for c in others])
        sims = rows.cent[their] @ rows.cent[slot]
        sims = sims * self._decay(
            rows.first[their], rows.last[their], rows.first[slot], rows.last[slot]
        )
        group = [
            story_id,
            *(c for c, s in zip(others, sims, strict=True) if s >= self.options.merge_threshold),
        ]
        if len(group) == 1:
            return story_id, ()
        survivor = min(group, key=lambda i: (-int(rows.n[rows.slot_of[i]]), i))
        absorbed = sorted(i for i in group if i != survivor)
        for other in absorbed:
            self._absorb(survivor, other)
        return survivor, tuple(absorbed)

    def _absorb(self, into_id: int, other_id: int) -> None:
        rows = self._rows
        into, other = rows.slot_of[into_id], rows.slot_of[other_id]
        rows.set_sum(into, rows.vector_sum(into) + rows.vector_sum(other))
        rows.n[into] += rows.n[other]
        self._rescale(into)
        rows.first[into] = min(rows.first[into], rows.first[other])
        rows.last[into] = max(rows.last[into], rows.last[other])
        mine, theirs = rows.meta[into], rows.meta[other]
        mine.outlets.update(theirs.outlets)
        mine.terms.update(theirs.terms)
        mine.entities.update(theirs.entities)
        _prune(mine)
        for title, vec in theirs.heads:
            self._keep_head(into, title, vec.astype(np.float32))
        rows.release(other)

    def _restore_one(self, snap: StorySnapshot) -> None:
        if snap.id in self._rows.slot_of:
            raise ValueError(f"story {snap.id} is already active")
        vec_sum = np.asarray(snap.vector_sum, dtype=np.float32).reshape(-1)
        if vec_sum.shape[0] != self.dim or snap.article_count < 1:
            raise ValueError(f"story {snap.id}: bad vector size or article count")
        self._new_story(_epoch(snap.first_seen), story_id=snap.id)
        rows = self._rows
        slot = rows.slot_of[snap.id]
        rows.set_sum(slot, vec_sum)
        rows.n[slot] = snap.article_count
        self._rescale(slot)
        rows.last[slot] = _epoch(snap.last_seen)
        rows.meta[slot] = Meta(
            outlets=Counter(snap.outlets),
            terms=Counter(snap.terms),
            entities=Counter(snap.entities),
            heads=[(t, np.asarray(v, dtype=np.float16)) for t, v in snap.headlines],
        )
        self._clock = max(self._clock, float(rows.last[slot]))

    def _tick(self, when: float) -> None:
        """Advance the clock; every so often drop stories that left the window."""
        self._clock = max(self._clock, when)
        if self._clock >= self._next_evict:
            self.evict(_dt(self._clock))
            self._next_evict = self._clock + self.options.window_hours * _HOUR / 16

    def _check(self, embedding: Vector) -> Vector:
        vec = np.asarray(embedding, dtype=np.float32).reshape(-1)
        if vec.shape[0] != self.dim:
            raise ValueError(f"embedding has {vec.shape[0]} dimensions, expected {self.dim}")
        if not np.isfinite(vec).all():
            raise ValueError("embedding contains NaN or infinite values")
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm > 0 else vec

    def _state(self, slot: int) -> StoryState:
        rows = self._rows
        meta = rows.meta[slot]
        centre = rows.cent[slot]
        scored = [(float(vec.astype(np.float32) @ centre), title) for title, vec in meta.heads]
        title = max(scored)[1] if scored else ""
        return StoryState(
            id=int(rows.ids[slot]),
            title=title,
            first_seen=_dt(float(rows.first[slot])),
            last_seen=_dt(float(rows.last[slot])),
            article_count=int(rows.n[slot]),
            outlets=tuple(name for name, _ in meta.outlets.most_common()),
        )


def _follow(moved: dict[int, int], story_id: int) -> int:
    while story_id in moved:
        story_id = moved[story_id]
    return story_id


def _entity_share(entities: frozenset[str], story: Counter[str]) -> float:
    if not entities or not story:
        return 0.0
    return sum(1 for e in entities if e in story) / len(entities)
