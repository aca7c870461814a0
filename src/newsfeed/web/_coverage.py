"""Stories on the web: a story's coverage side by side, near-duplicates and related coverage
of an article, and the story badges of river cards. Reads the store; the ranking and the
comparison are the pure functions of ``newsfeed.stories``."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsfeed.errors import NotFoundError
from newsfeed.store._base import ArticleFilter, Storage
from newsfeed.stories import (
    Addition,
    Coverage,
    Related,
    RelatedCandidate,
    excerpt,
    related_articles,
    what_each_adds,
)
from newsfeed.types import ArticleRecord, Story

POOL_SIZE = 200
"""Related coverage is looked for among this many most recent articles (and the story's)."""
POOL_TTL_SECONDS = 30.0
STORY_ARTICLES = 50
"""A story page compares at most this many of the story's articles (the newest)."""
MAX_DUPLICATES = 20
LEAD_CHARS = 320
"""Candidates are ranked on headline and lead: enough to match on, and to cut a 200-character
excerpt from, while 200 of them are ranked on every article page."""


def outlet_of(record: ArticleRecord, sources: dict[int, str]) -> str:
    """The outlet's name: the source's title, else the page's site name, else its host."""
    if record.source_id is not None and record.source_id in sources:
        return sources[record.source_id]
    if record.article.site_name:
        return record.article.site_name
    url = record.article.canonical_url or record.article.url or ""
    return url.split("/")[2] if url.count("/") >= 2 else "Unknown outlet"


def entity_keys(analysis: dict[str, Any] | None) -> frozenset[str]:
    """The entity keys of a stored analysis (its JSON), if any."""
    if not analysis:
        return frozenset()
    found = analysis.get("entities") or []
    return frozenset(e["key"] for e in found if isinstance(e, dict) and e.get("key"))


def candidate(record: ArticleRecord, entities: frozenset[str] = frozenset()) -> RelatedCandidate:
    """An article as related ranking sees it: headline and lead (enough to rank and to
    cut an excerpt from, and cheap to keep 200 of)."""
    a = record.article
    lead = a.dek or (excerpt(a.text, LEAD_CHARS) if a.text else "")
    return RelatedCandidate(
        article_id=record.id,
        title=a.title,
        text=lead,
        url=f"/articles/{record.id}",
        story_id=record.story_id,
        published=a.published or record.first_seen,
        entities=entities,
    )


class RecentPool:
    """The most recent articles as related-story candidates, kept ``POOL_TTL_SECONDS``:
    loading and decoding 200 articles and their analyses costs more than the article page
    itself, so one request in a while pays for it and the others reuse it. While one
    request reloads a stale pool, the others go on with the pool they have rather than
    queue behind it (only the very first load is waited for)."""

    def __init__(self, store: Storage, size: int = POOL_SIZE, ttl: float = POOL_TTL_SECONDS):
        self._store = store
        self._size = size
        self._ttl = ttl
        self._lock = threading.Lock()
        self._pool: tuple[RelatedCandidate, ...] = ()
        self._loaded = -ttl
        self._ever_loaded = False

    def _stale(self) -> bool:
        return time.monotonic() - self._loaded >= self._ttl

    def get(self) -> tuple[RelatedCandidate, ...]:
        if self._stale() and self._lock.acquire(blocking=not self._ever_loaded):
            try:
                if self._stale():
                    self._pool = self._load()
                    self._loaded = time.monotonic()
                    self._ever_loaded = True
            finally:
                self._lock.release()
        return self._pool

    def _load(self) -> tuple[RelatedCandidate, ...]:
        records = self._store.list_articles(limit=self._size).items
        analyses = self._store.get_analyses([r.id for r in records])
        return tuple(candidate(r, entity_keys(analyses.get(r.id))) for r in records)

    def forget(self) -> None:
        self._loaded = -self._ttl


def duplicates_of(store: Storage, article_id: int) -> list[ArticleRecord]:
    """The article's near-duplicates (wire copies, republications), oldest id first."""
    found = []
    for other in store.get_duplicates(article_id)[:MAX_DUPLICATES]:
        try:
            found.append(store.get_article(other))
        except NotFoundError:
            continue  # removed since it was linked
    return found


def related_for(
    store: Storage,
    record: ArticleRecord,
    analysis: dict[str, Any] | None,
    pool: RecentPool,
    exclude: Iterable[int] = (),
) -> list[Related]:
    """Related coverage of ``record``: its story's articles first, then recent articles
    sharing its entities or terms; ``exclude`` (its duplicates) are left out."""
    candidates = {c.article_id: c for c in pool.get()}
    if record.story_id is not None:
        same = store.list_articles(ArticleFilter(story_id=record.story_id), limit=20).items
        for r in same:
            if r.id not in candidates:
                candidates[r.id] = candidate(r)
            elif candidates[r.id].story_id != r.story_id:  # the pool is a few seconds old
                candidates[r.id] = candidate(r, candidates[r.id].entities)
    me = candidate(record, entity_keys(analysis))
    return related_articles(me, list(candidates.values()), exclude=frozenset(exclude))


@dataclass(frozen=True, slots=True)
class Column:
    """One outlet's coverage of a story: its articles (oldest first) and what each adds."""

    outlet: str
    source_id: int | None
    articles: tuple[tuple[ArticleRecord, Addition], ...]


@dataclass(frozen=True, slots=True)
class StoryView:
    story: Story
    columns: tuple[Column, ...]
    shown: int
    """How many of the story's articles are compared (at most ``STORY_ARTICLES``)."""


def story_view(store: Storage, story_id: int, sources: dict[int, str]) -> StoryView:
    """The story and its coverage by outlet, the first outlet to report it first.
    Raises ``NotFoundError``."""
    story = store.get_story(story_id)
    page = store.list_articles(ArticleFilter(story_id=story_id), limit=STORY_ARTICLES)
    records = list(reversed(page.items))  # oldest first: who reported it first, then who followed
    adds = what_each_adds(
        [Coverage(r.id, outlet_of(r, sources), r.article.text or r.article.dek or "")
         for r in records]
    )  # fmt: skip
    by_outlet: dict[str, list[ArticleRecord]] = {}
    for r in records:
        by_outlet.setdefault(outlet_of(r, sources), []).append(r)
    columns = tuple(
        Column(name, rows[0].source_id, tuple((r, adds[r.id]) for r in rows))
        for name, rows in by_outlet.items()
    )
    return StoryView(story, columns, len(records))


def story_badges(store: Storage, records: Sequence[ArticleRecord]) -> dict[int, Story]:
    """The stories of more than one article among ``records``' stories, by id."""
    story_ids = [r.story_id for r in records if r.story_id is not None]
    if not story_ids:
        return {}
    # Stories assigned but not yet refreshed, or merged away meanwhile, are simply absent.
    found = store.get_stories(story_ids)
    return {story_id: story for story_id, story in found.items() if len(story.article_ids) > 1}
