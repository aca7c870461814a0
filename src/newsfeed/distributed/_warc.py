"""Reading HTML pages out of WARC files (warcio), record by record.

Only ``response`` records with a 2xx HTML answer are pages; everything else (requests,
metadata, images, redirects, errors) is counted and passed over. A record whose payload
cannot be read is counted as broken and the reading goes on with the next one; a file whose
record structure breaks (not a WARC, truncated, a damaged gzip member) stops there, and the
reason says where. Records are checked against their digests where the archive gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class WarcPage:
    """One archived HTML response."""

    url: str
    date: datetime | None
    body: bytes


@dataclass
class ReadCounts:
    """What reading a file met: kept pages, passed-over records, broken ones."""

    records: int = 0
    pages: int = 0
    skipped: int = 0
    broken: int = 0
    errors: list[str] = field(default_factory=list)


def read_pages(
    path: Path, counts: ReadCounts, advance: Callable[[int], None] | None = None
) -> Iterator[WarcPage]:
    """The HTML pages of the WARC file at ``path``, in order. ``advance`` is told how many
    bytes of the file were read since it was last called (for a progress bar)."""
    with path.open("rb") as raw:
        seen = 0
        records = ArchiveIterator(raw, check_digests=True)
        try:
            for record in records:
                if record.format != "warc":
                    counts.broken += 1
                    counts.errors.append(f"{path}: not a WARC file (read as {record.format})")
                    break
                counts.records += 1
                page = _page(path, record, counts)
                if advance:
                    position = raw.tell()
                    advance(position - seen)
                    seen = position
                if page is not None:
                    counts.pages += 1
                    yield page
        except Exception as exc:  # warcio raises assorted errors for damaged files
            counts.broken += 1
            counts.errors.append(
                f"{path}: unreadable after record {counts.records} ({_describe(exc)}); "
                "the rest of the file was skipped"
            )
        if advance:
            advance(max(0, path.stat().st_size - seen))


def _page(path: Path, record: Any, counts: ReadCounts) -> WarcPage | None:
    if record.rec_type != "response" or record.http_headers is None:
        counts.skipped += 1
        return None
    status = record.http_headers.get_statuscode() or ""
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if not status.startswith("2") or not content_type.startswith(_HTML_TYPES):
        counts.skipped += 1
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    try:
        body = record.content_stream().read()
    except Exception as exc:  # a damaged payload (bad chunking or compression)
        counts.broken += 1
        counts.errors.append(f"{path}: record for {url or '?'}: {_describe(exc)}")
        return None
    if getattr(record.raw_stream, "limit", 0) > 0 or record.digest_checker.passed is False:
        counts.broken += 1
        counts.errors.append(f"{path}: record for {url or '?'} is truncated or damaged")
        return None
    if not url.startswith(("http://", "https://")):
        counts.broken += 1
        counts.errors.append(f"{path}: record {counts.records} has no http(s) target URI")
        return None
    return WarcPage(url, _date(record.rec_headers.get_header("WARC-Date")), body)


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
