"""Stories in the update pipeline: near-duplicates and story clustering as articles are stored.

``StoryStep`` is an after-store step (see ``newsfeed.update``). It keeps the near-duplicate
index and the story clusterer in memory, restored on first use from what the store kept (the
clusterer's snapshot, the recent articles' signatures), and writes back story rows, article
assignments, duplicate links, vectors and a fresh snapshot after every batch.

The near-duplicate signature (MinHash over the text) is pure and the costliest part of the
step's own work, so it is the step's ``prepare``: the pipeline makes it in the extraction pool.

Two clusterers fed different articles would each allocate story ids on their own, so one
process at a time owns clustering for a database. The embedded updater is one such process;
distributed workers pass a ``lock`` shared by all of them (Redis), and then each call starts
from the state the previous holder saved.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from newsfeed.store import Storage, StoryChanges, VectorRow
from newsfeed.stories._cluster import StoryClusterer
from newsfeed.stories._dedupe import DuplicateIndex
from newsfeed.stories._embed import Embedder, article_text, load_embedder
from newsfeed.stories._types import Assignment, ClusterItem
from newsfeed.types import Article
from newsfeed.update import StoredArticle

STATE_NAME = "story-clusterer"
DUPLICATE_WINDOW = timedelta(days=14)
"""Near-duplicates are looked for among articles of the last two weeks."""
LEAD_CHARS = 600

EntityKeys = Callable[[Storage, Sequence[int]], Mapping[int, frozenset[str]]]
"""The entity keys of stored articles, by id (enrichment runs before this step and saves
them); one call per batch, so that a store can answer in one query."""


def no_entities(_: Storage, __: Sequence[int]) -> Mapping[int, frozenset[str]]:
    return {}


@functools.cache
def _signer() -> DuplicateIndex:
    return DuplicateIndex()


def duplicate_signature(article: Article) -> bytes:
    """The article's near-duplicate signature, as the step makes it (its ``prepare``)."""
    return _signer().signature_of(article.text or article.title)


class StoryStep:
    """Links near-duplicates and assigns stories for each batch of newly stored articles."""

    prepare = staticmethod(duplicate_signature)

    def __init__(
        self,
        embedder: Callable[[], Embedder] = load_embedder,
        entity_keys: EntityKeys = no_entities,
        lock: Callable[[], AbstractContextManager[object]] | None = None,
    ) -> None:
        self._load_embedder = embedder
        self._entity_keys = entity_keys
        self._lock = lock
        self.one_process_only = lock is None
        """Without a shared lock, workers leave this step out (``update.shareable``)."""
        self._embedder: Embedder | None = None
        self._clusterer: StoryClusterer | None = None
        self._duplicates: DuplicateIndex | None = None

    def with_lock(self, lock: Callable[[], AbstractContextManager[object]]) -> StoryStep:
        """The same step for one of many processes: each call holds ``lock``."""
        return StoryStep(self._load_embedder, self._entity_keys, lock)

    def __call__(self, store: Storage, stored: Sequence[StoredArticle]) -> None:
        if self._lock is None:
            self._place(store, stored)
            return
        with self._lock():
            # Other processes moved the saved state on since this one last held the lock.
            self._clusterer = self._duplicates = None
            self._place(store, stored)

    def _place(self, store: Storage, stored: Sequence[StoredArticle]) -> None:
        # One story per id, the last word winning, should a batch hand the same one twice.
        unique = {s.article_id: s for s in stored if s.created}
        fresh = [s for s in unique.values() if s.article.title or s.article.text]
        if not fresh:
            return
        clusterer, duplicates, embedder = self._ready(store)
        signatures = [_signature(s) for s in fresh]
        links = tuple(
            (item.article_id, other)
            for item, signature in zip(fresh, signatures, strict=True)
            for other in duplicates.add_signature(item.article_id, signature)
        )
        vectors = embedder.embed([_embedding_text(s.article) for s in fresh])
        entities = self._entity_keys(store, [s.article_id for s in fresh])
        items = [
            ClusterItem(
                article_id=s.article_id,
                title=s.article.title,
                embedding=vector,
                published=_when(s.article),
                publisher=_outlet(s.article),
                entities=entities.get(s.article_id, frozenset()),
            )
            for s, vector in zip(fresh, vectors, strict=True)
        ]
        assignments = clusterer.add_many(items)
        store.apply_story_changes(replace(_changes(clusterer, assignments), duplicates=links))
        store.save_vectors(
            [
                VectorRow(s.article_id, vector.astype("<f4").tobytes(), signature)
                for s, vector, signature in zip(fresh, vectors, signatures, strict=True)
            ]
        )
        clusterer.evict(max(item.published for item in items))
        store.save_state(STATE_NAME, clusterer.to_bytes())

    def _ready(self, store: Storage) -> tuple[StoryClusterer, DuplicateIndex, Embedder]:
        if self._embedder is None:
            self._embedder = self._load_embedder()
        if self._clusterer is None:
            saved = store.load_state(STATE_NAME)
            self._clusterer = (
                StoryClusterer.from_bytes(saved)
                if saved
                else StoryClusterer(dim=self._embedder.dim)
            )
        if self._duplicates is None:
            self._duplicates = _restore_duplicates(store, _latest(self._clusterer))
        return self._clusterer, self._duplicates, self._embedder


def _signature(stored: StoredArticle) -> bytes:
    """The signature the pipeline prepared, else one made now."""
    prepared = stored.prepared.get(duplicate_signature)
    return prepared if isinstance(prepared, bytes) else duplicate_signature(stored.article)


def _latest(clusterer: StoryClusterer) -> datetime | None:
    """The clusterer's own "now": its newest story's last article (None when empty)."""
    active = clusterer.stories()
    return active[0].last_seen if active else None


def _restore_duplicates(store: Storage, latest: datetime | None) -> DuplicateIndex:
    index = DuplicateIndex()
    since = latest - DUPLICATE_WINDOW if latest else None
    after = 0
    while rows := store.list_vectors(since=since, after_id=after, limit=2000):
        for row in rows:
            if row.signature:
                index.add_signature(row.article_id, row.signature)
        after = rows[-1].article_id
    return index


def _changes(clusterer: StoryClusterer, assignments: Sequence[Assignment]) -> StoryChanges:
    merged = tuple((old, a.story_id) for a in assignments for old in a.merged)
    titles = []
    for story_id in sorted({a.story_id for a in assignments}):
        with contextlib.suppress(KeyError):  # merged away or evicted since: the store decides
            titles.append((story_id, clusterer.story(story_id).title))
    assign = tuple((a.article_id, _final(a.story_id, merged)) for a in assignments)
    return StoryChanges(assign=assign, merged=merged, titles=tuple(titles))


def _final(story_id: int, merged: tuple[tuple[int, int], ...]) -> int:
    moved = dict(merged)
    while story_id in moved:
        story_id = moved[story_id]
    return story_id


def _embedding_text(article: Article) -> str:
    lead = article.dek or article.text[:LEAD_CHARS]
    return article_text(article.title, lead)


def _when(article: Article) -> datetime:
    return article.published or article.updated or datetime.now(UTC)


def _outlet(article: Article) -> str | None:
    if article.site_name:
        return article.site_name
    url = article.canonical_url or article.url
    return urlsplit(url).hostname if url else None


def as_vector(raw: bytes) -> npt.NDArray[np.float32]:
    """An embedding as stored by ``StoryStep`` back to a float32 vector."""
    return np.frombuffer(raw, dtype="<f4")
