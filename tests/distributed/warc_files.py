"""WARC files for tests and benchmarks, written with warcio's own writer from real pages."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_DATE = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    html: bytes
    title: str


def fundus_pages(data: Path, count: int) -> list[Page]:
    """``count`` real pages with their real URLs and their expected titles."""
    fundus = data / "pages" / "fundus"
    index = json.loads((fundus / "index.json").read_text())["pages"]
    pages = []
    for entry in index[:count]:
        folder = fundus / Path(entry["files"]["html"]).parent
        html = gzip.decompress((folder / "page.html.gz").read_bytes())
        title = json.loads((folder / "expected.json").read_text())["title"]
        pages.append(Page(entry["url"], html, title))
    return pages


class Archive:
    """Writes records one after another to a WARC file (``gzip``: one member per record)."""

    def __init__(self, out: io.BufferedWriter, *, gzip: bool = True) -> None:
        self.writer = WARCWriter(out, gzip=gzip)
        self.count = 0

    def response(
        self,
        url: str,
        body: bytes,
        *,
        content_type: str = "text/html; charset=utf-8",
        status: str = "200 OK",
        date: datetime = WARC_DATE,
    ) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": date.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        self.writer.write_record(record)
        self.count += 1

    def request(self, url: str) -> None:
        headers = StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", url.split("/")[2])], protocol="HTTP/1.1"
        )
        record = self.writer.create_warc_record(url, "request", http_headers=headers)
        self.writer.write_record(record)
        self.count += 1

    def warcinfo(self) -> None:
        self.writer.write_record(
            self.writer.create_warcinfo_record("test.warc.gz", {"software": "newsfeed tests"})
        )
        self.count += 1


def write_pages(path: Path, pages: Iterable[Page], *, gzip: bool = True) -> int:
    """A WARC with one response per page, dated a minute apart; returns the record count."""
    with path.open("wb") as out:
        archive = Archive(out, gzip=gzip)
        for n, page in enumerate(pages):
            archive.response(page.url, page.html, date=WARC_DATE + timedelta(minutes=n))
    return archive.count
