"""Rebuilding duplicates and stories from stored articles (what ``newsfeed reindex`` runs).

A pure function over plain data: the caller reads the articles from storage, calls
``rebuild`` and writes back the story of each article, each story's state and the
near-duplicate links. Merges are already resolved in the result: every article points at
a story that still exists.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from newsfeed.stories._cluster import StoryClusterer
from newsfeed.stories._dedupe import DedupeOptions, DuplicateIndex
from newsfeed.stories._embed import Embedder, article_text, load_embedder
from newsfeed.stories._types import ClusterItem, ClusterOptions, StoryState

_BATCH = 256
_LEAD_CHARS = 300


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """A stored article as rebuilding needs it.

    ``text`` is the body (for duplicates). ``lead`` (a dek or first sentence) is embedded
    with the title when given; the quality numbers in ``bench/stories.py`` are for titles
    alone, the one signal the labelled set has.
    """

    article_id: int
    title: str
    published: datetime
    text: str = ""
    lead: str = ""
    publisher: str | None = None
    entities: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """The outcome of ``rebuild``; ``clusterer``/``index`` carry on incrementally."""

    story_of: dict[int, int]
    stories: dict[int, StoryState]
    duplicates: dict[int, tuple[int, ...]]
    clusterer: StoryClusterer = field(repr=False)
    index: DuplicateIndex = field(repr=False)


def rebuild(
    articles: Iterable[StoryArticle],
    embedder: Embedder | None = None,
    cluster_options: ClusterOptions | None = None,
    dedupe_options: DedupeOptions | None = None,
) -> Rebuilt:
    """Cluster and deduplicate ``articles`` from scratch, in publication order.

    ``stories`` holds the last state of every story that was not merged away, including
    those the clusterer has since evicted from its active window. ``duplicates`` maps an
    article to the earlier articles it nearly duplicates (only articles that have some).
    """
    ordered = sorted(articles, key=lambda a: (a.published, a.article_id))
    embedder = embedder or load_embedder()
    clusterer = StoryClusterer(cluster_options, dim=embedder.dim)
    index = DuplicateIndex(dedupe_options)
    assigned: dict[int, int] = {}
    absorbed: dict[int, int] = {}
    states: dict[int, StoryState] = {}
    duplicates: dict[int, tuple[int, ...]] = {}
    for start in range(0, len(ordered), _BATCH):
        batch = ordered[start : start + _BATCH]
        vectors = embedder.embed([article_text(a.title, a.lead[:_LEAD_CHARS]) for a in batch])
        items = [
            ClusterItem(a.article_id, a.title, vec, a.published, a.publisher, a.entities)
            for a, vec in zip(batch, vectors, strict=True)
        ]
        touched: set[int] = set()
        for done in clusterer.add_many(items):
            assigned[done.article_id] = done.story_id
            touched.add(done.story_id)
            for old in done.merged:
                absorbed[old] = done.story_id
                states.pop(old, None)
        _refresh(clusterer, touched, absorbed, states)
        for article in batch:
            # a headline alone is no evidence of a copy: only bodies are compared
            found = index.add(article.article_id, article.text) if article.text else []
            if found:
                duplicates[article.article_id] = tuple(found)
    story_of = {article: _final(absorbed, story) for article, story in assigned.items()}
    return Rebuilt(story_of, states, duplicates, clusterer, index)


def _refresh(
    clusterer: StoryClusterer,
    touched: set[int],
    absorbed: dict[int, int],
    states: dict[int, StoryState],
) -> None:
    """Record the state of the stories a batch changed (merges within it resolved)."""
    for story in {_final(absorbed, s) for s in touched}:
        # a story evicted during the batch keeps its last recorded state
        with contextlib.suppress(KeyError):
            states[story] = clusterer.story(story)


def _final(absorbed: dict[int, int], story: int) -> int:
    while story in absorbed:
        story = absorbed[story]
    return story
