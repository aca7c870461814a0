"""The update pipeline: fetch feed → parse → decide → fetch pages → extract → store.

One round visits every due source. Each source is handled alone: whatever goes wrong with one
feed (a timeout, a bomb, invalid XML) is recorded on that source and the others carry on.
Pages are extracted in a process pool, since extraction is the costly, CPU-bound stage.
Everything written goes through idempotent upserts, so a round killed half-way and run again
neither loses nor duplicates a story.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Protocol

from newsfeed._merge import article_from_entry, merge_entry
from newsfeed._pool import process_pool
from newsfeed._schedule import (
    backoff_interval,
    cache_max_age,
    feed_interval,
    publisher_minimum,
    recheck_due,
    recheck_window,
)
from newsfeed.errors import NewsfeedError
from newsfeed.extract import extract
from newsfeed.feeds import parse_feed, parse_sitemap
from newsfeed.feeds._sitemap import looks_like_sitemap, sitemap_as_feed
from newsfeed.fetch import Fetcher, FetchOptions, FetchResult
from newsfeed.store import NewArticle, Storage, UpsertResult
from newsfeed.types import Article, ArticleRecord, Entry, Feed, Source

MAX_CHILD_SITEMAPS = 5
"""Child sitemaps read from a sitemap index per round (sites list their newest first)."""


class AfterStore(Protocol):
    """A step that works on stories once they are stored. It must be idempotent: after a
    crash the same story may be handed to it again.

    A step may also have a ``prepare`` attribute, a ``Prepare``: the pure, costly part of
    its work on one story, which then runs in the extraction pool next to ``extract`` and
    comes back in ``StoredArticle.prepared``, so that the calling process only links and
    saves."""

    def __call__(self, store: Storage, stored: Sequence[StoredArticle]) -> None: ...


Prepare = Callable[[Article], object]
"""Pure work on a story before it is stored; a module-level function, since it is sent to
the extraction pool's processes by name."""


def prepares_of(steps: Sequence[AfterStore]) -> tuple[Prepare, ...]:
    """The ``prepare`` of each step that has one, in order."""
    return tuple(
        prepare for step in steps if (prepare := getattr(step, "prepare", None)) is not None
    )


def shareable(
    steps: Sequence[AfterStore], lock: Callable[[], AbstractContextManager[object]] | None = None
) -> tuple[AfterStore, ...]:
    """The steps that any number of processes may run side by side. A step marked
    ``one_process_only`` (story clustering) takes the shared ``lock`` through its
    ``with_lock`` method, or is left out when there is none."""
    out: list[AfterStore] = []
    for step in steps:
        if not getattr(step, "one_process_only", False):
            out.append(step)
        elif lock is not None and hasattr(step, "with_lock"):
            out.append(step.with_lock(lock))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """A story as just stored: its id, and whether it was new or changed."""

    article_id: int
    article: Article
    created: bool
    prepared: Mapping[Prepare, object] = field(default_factory=dict)
    """What each step's ``prepare`` made of the article, by that function (missing where
    the page could not be extracted: the step then does the work itself)."""


FLUSH_EVERY = 10
"""Stories stored per transaction while a feed's pages arrive: progress survives a crash."""


@dataclass(frozen=True, slots=True)
class UpdateOptions:
    """How an update round behaves."""

    fetch: FetchOptions = field(default_factory=FetchOptions)
    extract_workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    """Processes for extraction; 0 extracts in the calling process (tests, tiny installs)."""
    recheck: bool = True
    """Re-fetch recent stories on their re-check schedule to catch edits."""
    max_entries_per_feed: int = 200
    parallel_feeds: int = 16
    """Feeds worked on at once. Bounded so that each feed's stories are stored soon after
    its feed is read, and memory holds a few feeds' pages rather than every one's."""
    after_store: tuple[AfterStore, ...] = ()
    """Steps run on every batch of new or changed stories once stored (enrichment,
    duplicates, story clustering), in order."""


@dataclass(frozen=True, slots=True)
class SourceReport:
    """What one round did for one source."""

    source_id: int
    url: str
    new: int = 0
    changed: int = 0
    not_modified: bool = False
    error: str | None = None
    extract_failures: int = 0
    latencies: tuple[float, ...] = ()
    """Seconds from the feed's parse (first sight) to each new story being stored."""


@dataclass(frozen=True, slots=True)
class RoundReport:
    """What one round did."""

    sources: tuple[SourceReport, ...]
    rechecked: int
    revised: int
    elapsed: float

    @property
    def new(self) -> int:
        return sum(s.new for s in self.sources)

    @property
    def errors(self) -> tuple[SourceReport, ...]:
        return tuple(s for s in self.sources if s.error)


class _Tally:
    """Running totals of what the store said about a source's batches."""

    def __init__(self) -> None:
        self.created = self.changed = self.failures = 0
        self.latencies: list[float] = []

    def add(self, results: list[UpsertResult], batch: list[_Found], seen: float) -> None:
        stored_at = time.perf_counter()
        self.created += sum(r.created for r in results)
        self.changed += sum(r.changed for r in results)
        self.failures += sum(1 for found in batch if found.item.extract_error)
        self.latencies.extend(stored_at - seen for r in results if r.created)


@dataclass(frozen=True, slots=True)
class _Found:
    """A story ready to store, with what the after-store steps prepared of it."""

    item: NewArticle
    prepared: Mapping[Prepare, object] = field(default_factory=dict)


def extract_prepared(
    body: bytes,
    url: str,
    finish: Callable[[Article], Article],
    prepares: tuple[Prepare, ...],
) -> tuple[Article, tuple[object, ...]]:
    """Extract a page, ``finish`` the article (fill it in from its feed entry) and run the
    after-store steps' ``prepare`` on it: the work of one page in the extraction pool."""
    article = finish(extract(body, url))
    return article, tuple(prepare(article) for prepare in prepares)


class Progress(Protocol):
    """Told how much work a round has and each time a piece of it is done."""

    def start(self, total: int) -> None: ...

    def advance(self, description: str) -> None: ...


class _Silent:
    def start(self, total: int) -> None:
        pass

    def advance(self, description: str) -> None:
        pass


def utcnow() -> datetime:
    return datetime.now(UTC)


class Updater:
    """Runs update rounds over a store. One instance may run many rounds."""

    def __init__(
        self,
        store: Storage,
        options: UpdateOptions | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.options = options or UpdateOptions()
        self.clock = clock

    async def run_round(
        self, *, due_only: bool = True, progress: Progress | None = None
    ) -> RoundReport:
        progress = progress or _Silent()
        started = time.perf_counter()
        now = self.clock()
        sources = [s for s in self.store.list_sources() if _wanted(s, now, due_only)]
        candidates = due_rechecks(self.store, now) if self.options.recheck else []
        progress.start(len(sources) + len(candidates))
        with _executor(self.options.extract_workers) as pool:
            async with Fetcher(self.options.fetch) as fetcher:
                run = _Run(self.store, fetcher, pool, now, self.options)
                gate = asyncio.Semaphore(max(1, self.options.parallel_feeds))

                async def one(source: Source) -> SourceReport:
                    async with gate:
                        return await run.update_source(source, progress)

                reports = await asyncio.gather(*(one(s) for s in sources))
                revised = await run.recheck(candidates, progress)
        # Whatever a bulk import left unindexed (one killed midway, say) becomes searchable.
        self.store.update_search()
        return RoundReport(
            sources=tuple(reports),
            rechecked=len(candidates),
            revised=revised,
            elapsed=time.perf_counter() - started,
        )


async def update_source(
    store: Storage,
    fetcher: Fetcher,
    source: Source,
    now: datetime,
    options: UpdateOptions | None = None,
    *,
    pool: Executor | None = None,
) -> SourceReport:
    """Update one source: fetch its feed, parse it, pick the new entries, fetch and extract
    their pages, store them and record when to look again. A feed that fails (fetch, parse)
    is recorded on the source and in the report rather than raised. The embedded updater
    (through the same ``_Run``) and the distributed workers both run this."""
    run = _Run(store, fetcher, pool, now, options or UpdateOptions(extract_workers=0))
    return await run.update_source(source, _Silent())


async def recheck_article(
    store: Storage,
    fetcher: Fetcher,
    record: ArticleRecord,
    now: datetime,
    options: UpdateOptions | None = None,
    *,
    pool: Executor | None = None,
) -> bool:
    """Fetch a stored story's page again; true when it changed (a new revision)."""
    run = _Run(store, fetcher, pool, now, options or UpdateOptions(extract_workers=0))
    return await run._recheck_one(record, _Silent())


def due_rechecks(store: Storage, now: datetime) -> list[ArticleRecord]:
    """Stored stories with a re-check checkpoint passed since they were last looked at."""
    recent = store.recheck_candidates(recheck_window(now))
    return [r for r in recent if recheck_is_due(r, now)]


def recheck_is_due(record: ArticleRecord, now: datetime) -> bool:
    """Whether a re-check checkpoint of the story passed since it was last looked at."""
    return recheck_due(_born(record), record.last_checked, now)


def is_due(source: Source, now: datetime) -> bool:
    """Whether a source's feed should be fetched now. Sources of kind "page" hold pages
    imported from archives and have no feed to poll."""
    return source.kind != "page" and (source.next_check is None or source.next_check <= now)


class _Run:
    """The state of one round: the shared fetcher, the extraction pool, the round's time."""

    def __init__(
        self,
        store: Storage,
        fetcher: Fetcher,
        pool: Executor | None,
        now: datetime,
        options: UpdateOptions,
    ) -> None:
        self.store = store
        self.max_entries = options.max_entries_per_feed
        self.after_store = options.after_store
        self.prepares = prepares_of(options.after_store)
        self.fetcher = fetcher
        self.pool = pool
        self.now = now

    async def update_source(self, source: Source, progress: Progress) -> SourceReport:
        try:
            report = await self._update_source(source)
        except NewsfeedError as exc:
            report = SourceReport(source.id, source.url, error=str(exc))
            self._record_failure(source, str(exc))
        progress.advance(source.title)
        return report

    async def _update_source(self, source: Source) -> SourceReport:
        result = await self.fetcher.fetch(
            source.url, etag=source.etag, last_modified=source.last_modified
        )
        if result.not_modified:
            self._record_success(source, result, None)
            return SourceReport(source.id, source.url, not_modified=True)
        feed = await self._read_feed(result)
        seen = time.perf_counter()
        entries = self._new_entries(source, feed)
        stored = _Tally()
        batch: list[_Found] = []
        pending = [self._item_for(source, entry) for entry in entries]
        for next_done in asyncio.as_completed(pending):
            batch.append(await next_done)
            if len(batch) >= FLUSH_EVERY:
                stored.add(self._store(batch), batch, seen)
                batch = []
        stored.add(self._store(batch), batch, seen)
        self._record_success(source, result, feed)
        return SourceReport(
            source.id,
            source.url,
            new=stored.created,
            changed=stored.changed,
            extract_failures=stored.failures,
            latencies=tuple(stored.latencies),
        )

    def _store(self, batch: Sequence[_Found]) -> list[UpsertResult]:
        """Upsert a batch, then hand what is new or changed to the after-store steps."""
        results = self.store.upsert_articles([found.item for found in batch])
        fresh = [
            StoredArticle(r.article_id, found.item.article, r.created, found.prepared)
            for r, found in zip(results, batch, strict=True)
            if r.created or r.changed
        ]
        if fresh:
            for step in self.after_store:
                step(self.store, fresh)
        return results

    async def _read_feed(self, result: FetchResult) -> Feed:
        """The feed; for a sitemap index, its first child sitemaps' pages, newest first."""
        if not looks_like_sitemap(result.body):
            return parse_feed(result.body, result.url, result.content_type)
        sitemap = parse_sitemap(result.body, result.url, result.content_type)
        entries = list(sitemap.entries)
        for child_url in sitemap.sitemaps[:MAX_CHILD_SITEMAPS]:
            child = await self.fetcher.fetch(child_url)
            entries.extend(parse_sitemap(child.body, child.url, child.content_type).entries)
        entries.sort(key=_entry_time, reverse=True)
        feed = sitemap_as_feed(sitemap)
        return replace(feed, entries=tuple(entries))

    def _new_entries(self, source: Source, feed: Feed) -> list[Entry]:
        entries = list(feed.entries)[: self.max_entries]
        known = self.store.known_guids(source.id, [e.guid for e in entries])
        return [e for e in entries if e.guid not in known]

    async def _item_for(self, source: Source, entry: Entry) -> _Found:
        """The entry's page extracted, filled in from the feed; or, where the page cannot be
        had, the feed's own content and the reason."""
        if source.fetch_full_page and entry.link:
            try:
                page = await self.fetcher.fetch(entry.link)
                finish = partial(merge_entry, entry=entry, source=source)
                article, prepared = await self._extract(page, finish)
                return _Found(NewArticle(article, source.id, entry.guid, self.now), prepared)
            except NewsfeedError as exc:
                article, error = article_from_entry(entry, source), str(exc)
                return _Found(NewArticle(article, source.id, entry.guid, self.now, error))
        article = article_from_entry(entry, source)
        return _Found(NewArticle(article, source.id, entry.guid, self.now))

    async def _extract(
        self, page: FetchResult, finish: Callable[[Article], Article]
    ) -> tuple[Article, dict[Prepare, object]]:
        """The page's article, finished, and what the steps prepared of it; in the pool
        when there is one."""
        job = (page.body, page.url, finish, self.prepares)
        if self.pool is None:
            article, results = extract_prepared(*job)
        else:
            loop = asyncio.get_running_loop()
            article, results = await loop.run_in_executor(self.pool, extract_prepared, *job)
        return article, dict(zip(self.prepares, results, strict=True))

    async def recheck(self, records: Sequence[ArticleRecord], progress: Progress) -> int:
        outcomes = await asyncio.gather(*(self._recheck_one(r, progress) for r in records))
        return sum(outcomes)

    async def _recheck_one(self, record: ArticleRecord, progress: Progress) -> bool:
        url = record.article.url or record.article.canonical_url
        changed = False
        try:
            if url:
                page = await self.fetcher.fetch(url)
                finish = partial(_keep_identity, stored=record.article)
                article, prepared = await self._extract(page, finish)
                item = NewArticle(article, record.source_id, record.guid, self.now)
                changed = self._store([_Found(item, prepared)])[0].changed
        except NewsfeedError:
            pass  # a failed re-check leaves the stored story as it was; the next checkpoint retries
        self.store.mark_checked(record.id, self.now)
        progress.advance(record.article.title)
        return changed

    def _record_success(self, source: Source, result: FetchResult, feed: Feed | None) -> None:
        times = [e.published or e.updated for e in feed.entries] if feed else []
        minimum = publisher_minimum(
            feed.ttl_minutes if feed else None, cache_max_age(result.headers.get("cache-control"))
        )
        interval = feed_interval(
            [t for t in times if t], publisher_minimum=minimum, previous=source.interval_seconds
        )
        self.store.update_source(
            replace(
                source,
                title=source.title or (feed.title if feed and feed.title else source.url),
                last_fetched=self.now,
                last_error=None,
                error_count=0,
                etag=result.etag or source.etag,
                last_modified=result.last_modified or source.last_modified,
                interval_seconds=interval,
                next_check=self.now + timedelta(seconds=interval),
            )
        )

    def _record_failure(self, source: Source, error: str) -> None:
        errors = source.error_count + 1
        wait = backoff_interval(source.interval_seconds, errors)
        self.store.update_source(
            replace(
                source,
                last_fetched=self.now,
                last_error=error,
                error_count=errors,
                next_check=self.now + timedelta(seconds=wait),
            )
        )


def _entry_time(entry: Entry) -> datetime:
    return entry.published or entry.updated or datetime.min.replace(tzinfo=UTC)


def _keep_identity(fresh: Article, stored: Article) -> Article:
    """A re-fetched page keeps the stored story's key, so its edits become revisions."""
    return replace(fresh, canonical_url=stored.canonical_url, url=stored.url)


def _born(record: ArticleRecord) -> datetime:
    return record.article.published or record.first_seen or utcnow()


def _wanted(source: Source, now: datetime, due_only: bool) -> bool:
    return is_due(source, now) if due_only else source.kind != "page"


class _executor:
    """A process pool for extraction, or none when ``workers`` is 0."""

    def __init__(self, workers: int) -> None:
        self.pool = process_pool(workers) if workers > 0 else None

    def __enter__(self) -> Executor | None:
        return self.pool

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
