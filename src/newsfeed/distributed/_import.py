"""Importing WARC archives: every HTML response extracted and stored as if fetched.

The source is the page's host (a source of kind "page", made on first sight); the story's
date is the page's own, else the archive's record date. Re-running skips every record whose
URL is already stored, so an interrupted import picks up where it stopped. Locally the pages
are spread over a process pool (extraction is the costly part); with workers, each file is
one task.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from newsfeed.distributed._warc import ReadCounts, WarcPage, read_pages
from newsfeed.errors import NewsfeedError
from newsfeed.extract import extract
from newsfeed.store import NewArticle, SqlStorage, Storage, open_store
from newsfeed.update import utcnow

BATCH = 16
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
    """Sources by host, found or made once per process. The source stands for the host,
    whatever the scheme of the record that named it, so its address is always https.

    A host whose source was first made during this import (``since``) can have no page
    stored by an earlier run, so its pages skip the is-it-stored lookup; a re-run finds
    the sources older than itself and looks every page up.
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


def import_pages(store: Storage, pages: Sequence[WarcPage], sources: _Sources) -> ImportReport:
    """Extract and store the pages not stored yet: the import's one stage."""
    items: list[NewArticle] = []
    already = failed = 0
    errors: list[str] = []
    for page in pages:
        source_id, fresh = sources.lookup(page.url)
        if not fresh and store.get_article_by_url(page.url) is not None:
            already += 1
            continue
        try:
            article = extract(page.body, page.url)
        except NewsfeedError as exc:
            failed += 1
            errors.append(f"{page.url}: {exc}")
            continue
        article = replace(article, published=article.published or page.date)
        items.append(NewArticle(article, source_id, None, page.date))
    results = store.upsert_articles(items) if items else []
    return ImportReport(
        stored=sum(r.created for r in results),
        already_stored=already + sum(not r.created for r in results),
        failed=failed,
        errors=tuple(errors[:_MAX_ERRORS]),
    )


def import_file(store: SqlStorage, path: Path) -> ImportReport:
    """Import one file in this process (what a worker's per-file task runs)."""
    started = time.perf_counter()
    counts = ReadCounts()
    sources = _Sources(store, utcnow())
    report = ImportReport()
    for batch in _batches(read_pages(path, counts)):
        report += import_pages(store, batch, sources)
    return replace(report + _read_report(counts), elapsed=time.perf_counter() - started)


def import_files(
    database_url: str,
    files: Sequence[Path],
    *,
    processes: int | None = None,
    advance: Callable[[int], None] | None = None,
    tally: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import ``files`` with ``processes`` extracting at once (default: every core; 0: in
    this process). ``advance`` hears bytes read, ``tally`` each batch's result."""
    started, since = time.perf_counter(), utcnow()
    processes = (os.cpu_count() or 1) if processes is None else processes
    tally = tally or (lambda _: None)
    counts = ReadCounts()
    pages = (p for path in files for p in read_pages(path, counts, advance))
    if processes == 0:
        report = _in_process(database_url, since, pages, tally)
    else:
        report = _in_pool(database_url, since, pages, processes, tally)
    return replace(report + _read_report(counts), elapsed=time.perf_counter() - started)


def _in_process(
    database_url: str,
    since: datetime,
    pages: Iterable[WarcPage],
    tally: Callable[[ImportReport], None],
) -> ImportReport:
    store = open_store(database_url)
    try:
        sources = _Sources(store, since)
        report = ImportReport()
        for batch in _batches(pages):
            done = import_pages(store, batch, sources)
            tally(done)
            report += done
        return report
    finally:
        store.close()


def _in_pool(
    database_url: str,
    since: datetime,
    pages: Iterable[WarcPage],
    processes: int,
    tally: Callable[[ImportReport], None],
) -> ImportReport:
    report = ImportReport()
    pending: set[Future[ImportReport]] = set()

    def collect(done: set[Future[ImportReport]]) -> None:
        nonlocal report
        for future in done:
            tally(future.result())
            report += future.result()

    with ProcessPoolExecutor(processes, initializer=_open, initargs=(database_url, since)) as pool:
        for batch in _batches(pages):
            if len(pending) >= processes * 2:  # keep memory bounded on huge archives
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                collect(done)
            pending.add(pool.submit(_pool_batch, batch))
        collect(wait(pending).done)
    return report


_pool_store: tuple[SqlStorage, _Sources] | None = None


def _open(database_url: str, since: datetime) -> None:
    global _pool_store
    store = open_store(database_url)
    _pool_store = (store, _Sources(store, since))


def _pool_batch(pages: list[WarcPage]) -> ImportReport:
    assert _pool_store is not None, "the pool initializer opens the store"
    return import_pages(_pool_store[0], pages, _pool_store[1])


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
