"""Importing WARC archives: every HTML response extracted and stored as if fetched.

The source is the page's host (a source of kind "page", made on first sight); the story's
date is the page's own, else the archive's record date. Stored stories go through the
updater's after-store steps (enrichment, story clustering), as fetched ones do. Re-running
skips every record whose URL is already stored, so an interrupted import picks up where it
stopped.

Locally, a process pool extracts and analyses the pages (``newsfeed._prepare``: the costly
part) while this process reads the archives, stores each batch, saves the analyses it was
handed and assigns stories. With workers, each file is one task, run in the worker process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from newsfeed._pool import process_pool
from newsfeed._prepare import PageIn, Prepared, prepare_many, warm_up
from newsfeed.distributed._warc import ReadCounts, WarcPage, read_pages
from newsfeed.store import NewArticle, Storage, open_store
from newsfeed.update import AfterStore, StoredArticle, prepares_of, utcnow

BATCH = 16
"""Pages per pool task: enough to spread the cost of a hand-over, few enough to keep every
process busy until the end."""
STORE_BATCH = 64
"""Stories per transaction and per after-store call (one story-clustering turn)."""
_MAX_ERRORS = 20


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did. ``errors`` keeps the first few reasons, for the user."""

    records: int = 0
    pages: int = 0
    stored: int = 0
    already_stored: int = 0
    skipped: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()
    elapsed: float = 0.0

    def __add__(self, other: ImportReport) -> ImportReport:
        return ImportReport(
            records=self.records + other.records,
            pages=self.pages + other.pages,
            stored=self.stored + other.stored,
            already_stored=self.already_stored + other.already_stored,
            skipped=self.skipped + other.skipped,
            failed=self.failed + other.failed,
            errors=(self.errors + other.errors)[:_MAX_ERRORS],
            elapsed=self.elapsed + other.elapsed,
        )


class _Sources:
    """Sources by host, found or made once per import. The source stands for the host,
    whatever the scheme of the record that named it, so its address is always https.

    A host whose source was first made during this import (``since``) can have no page
    stored by an earlier run, so its pages skip the is-it-stored lookup; a re-run finds
    the sources older than itself and looks its pages up.
    """

    def __init__(self, store: Storage, since: datetime) -> None:
        self.store = store
        self.since = since
        self.known: dict[str, tuple[int, bool]] = {}

    def lookup(self, url: str) -> tuple[int, bool]:
        """The host's source id, and whether it is new since the import began."""
        host = (urlsplit(url).hostname or "").lower()
        if host not in self.known:
            home = f"https://{host}/"
            source = self.store.add_source(home, host, kind="page", site_url=home)
            fresh = source.added is not None and source.added >= self.since
            self.known[host] = (source.id, fresh)
        return self.known[host]


class _Importer:
    """The part of an import that talks to the store: which pages still need doing, and
    storing prepared ones in batches followed by the after-store steps."""

    def __init__(
        self,
        store: Storage,
        since: datetime,
        after_store: Sequence[AfterStore],
        tally: Callable[[ImportReport], None],
    ) -> None:
        self.store = store
        self.sources = _Sources(store, since)
        self.after_store = tuple(after_store)
        self.prepares = prepares_of(after_store)
        self.tally = tally
        self.report = ImportReport()
        self.ready: list[tuple[PageIn, Prepared]] = []

    def todo(self, pages: Sequence[WarcPage]) -> list[PageIn]:
        """The pages not stored yet (one lookup for the batch), counting the others."""
        maybe = [p.url for p in pages if not self.sources.lookup(p.url)[1]]
        stored = self.store.stored_urls(maybe) if maybe else set()
        if stored:
            self._count(ImportReport(already_stored=sum(p.url in stored for p in pages)))
        return [PageIn(p.url, p.body, p.date) for p in pages if p.url not in stored]

    def add(self, pages: Sequence[PageIn], prepared: Sequence[Prepared]) -> None:
        self.ready.extend(zip(pages, prepared, strict=True))
        if len(self.ready) >= STORE_BATCH:
            self.flush()

    def flush(self) -> None:
        batch, self.ready = self.ready, []
        if batch:
            self._count(self._store(batch))

    def finish(self) -> None:
        """Store what is left, then make everything stored searchable."""
        self.flush()
        self.store.update_search()

    def _store(self, batch: Sequence[tuple[PageIn, Prepared]]) -> ImportReport:
        items: list[NewArticle] = []
        made: list[Prepared] = []
        errors: list[str] = []
        for page, done in batch:
            if done.article is None:
                errors.append(f"{page.url}: {done.error}")
                continue
            source_id, _ = self.sources.lookup(page.url)
            items.append(NewArticle(done.article, source_id, None, page.date))
            made.append(done)
        # Indexed for search once the import is done, in big batches (cheaper in all).
        results = self.store.upsert_articles(items, defer_search=True) if items else []
        fresh = [
            StoredArticle(
                r.article_id,
                item.article,
                r.created,
                dict(zip(self.prepares, done.made, strict=True)),
            )
            for r, item, done in zip(results, items, made, strict=True)
            if r.created or r.changed
        ]
        if fresh:
            for step in self.after_store:
                step(self.store, fresh)
        return ImportReport(
            stored=sum(r.created for r in results),
            already_stored=sum(not r.created for r in results),
            failed=len(errors),
            errors=tuple(errors[:_MAX_ERRORS]),
        )

    def _count(self, done: ImportReport) -> None:
        self.tally(done)
        self.report += done


def import_file(store: Storage, path: Path, after_store: Sequence[AfterStore] = ()) -> ImportReport:
    """Import one file in this process (what a worker's per-file task runs)."""
    started = time.perf_counter()
    counts = ReadCounts()
    importer = _Importer(store, utcnow(), after_store, lambda _: None)
    _in_process(importer, read_pages(path, counts))
    report = importer.report + _read_report(counts)
    return replace(report, elapsed=time.perf_counter() - started)


def import_files(
    database_url: str,
    files: Sequence[Path],
    *,
    processes: int | None = None,
    after_store: Sequence[AfterStore] = (),
    advance: Callable[[int], None] | None = None,
    tally: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import ``files`` with ``processes`` extracting at once (default: every core; 0: in
    this process), handing what is stored to ``after_store``. ``advance`` hears bytes read,
    ``tally`` each stored batch's result."""
    started, since = time.perf_counter(), utcnow()
    processes = (os.cpu_count() or 1) if processes is None else processes
    counts = ReadCounts()
    pages = (p for path in files for p in read_pages(path, counts, advance))
    store = open_store(database_url)
    try:
        importer = _Importer(store, since, after_store, tally or (lambda _: None))
        if processes == 0:
            _in_process(importer, pages)
        else:
            _in_pool(importer, pages, processes)
    finally:
        store.close()
    report = importer.report + _read_report(counts)
    return replace(report, elapsed=time.perf_counter() - started)


@contextmanager
def _settled() -> Iterator[None]:
    """Leaves what is alive now (modules, word lists, gazetteers) out of the garbage
    collector's full passes until the import ends: each pass would walk it all again, for
    nothing, and in a forked process would copy the pages it touches."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _in_process(importer: _Importer, pages: Iterable[WarcPage]) -> None:
    with _settled():
        for batch in _batches(pages):
            todo = importer.todo(batch)
            importer.add(todo, prepare_many(todo, importer.prepares))
        importer.finish()


def _in_pool(importer: _Importer, pages: Iterable[WarcPage], processes: int) -> None:
    pending: dict[Future[list[Prepared]], list[PageIn]] = {}

    def collect(done: Iterable[Future[list[Prepared]]]) -> None:
        for future in done:
            importer.add(pending.pop(future), future.result())

    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":
        # Loaded once here, the word lists are inherited by every process of the pool.
        warm_up(importer.prepares)
    with _settled():
        with process_pool(processes, context) as pool:
            for batch in _batches(pages):
                todo = importer.todo(batch)
                if not todo:
                    continue
                if len(pending) >= processes * 2:  # memory stays bounded on huge archives
                    collect(wait(pending, return_when=FIRST_COMPLETED).done)
                pending[pool.submit(prepare_many, todo, importer.prepares)] = todo
            collect(wait(pending).done)
        importer.finish()


def _batches(pages: Iterable[WarcPage]) -> Iterable[list[WarcPage]]:
    batch: list[WarcPage] = []
    for page in pages:
        batch.append(page)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _read_report(counts: ReadCounts) -> ImportReport:
    return ImportReport(
        records=counts.records,
        pages=counts.pages,
        skipped=counts.skipped,
        failed=counts.broken,
        errors=tuple(counts.errors[:_MAX_ERRORS]),
    )
