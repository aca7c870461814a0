"""``import-warc``: WARC files written here with warcio, from real pages, into a real store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.distributed.warc_files import WARC_DATE, Archive, fundus_pages, write_pages

from newsfeed import update
from newsfeed.distributed._import import import_files
from newsfeed.extract import extract
from newsfeed.store import open_store
from newsfeed.types import Article

UNDATED = (
    b"<!doctype html><html><head><title>Council approves the bridge</title></head><body>"
    b"<article><h1>Council approves the bridge</h1>"
    + b"<p>The city council voted on Tuesday to approve the new bridge after a long debate "
    b"that lasted well into the night, residents said.</p>" * 6 + b"</article></body></html>"
)


@pytest.fixture
def mixed_warc(tmp_path: Path, shared_data: Path) -> Path:
    """Six real pages among records that are not pages: a request, an image, a 404, a
    warcinfo record, a binary body labelled HTML, and an undated page."""
    path = tmp_path / "mixed.warc.gz"
    pages = fundus_pages(shared_data, 6)
    with path.open("wb") as out:
        archive = Archive(out)
        archive.warcinfo()
        for page in pages:
            archive.request(page.url)
            archive.response(page.url, page.html)
        archive.response("https://img.example.org/a.png", b"\x89PNG\r\n", content_type="image/png")
        archive.response(
            "https://news.example.org/gone", b"<html>gone</html>", status="404 Not Found"
        )
        archive.response("https://news.example.org/binary", b"\x00\x01\x02" * 400)
        archive.response("https://news.example.org/bridge", UNDATED)
    return path


def test_every_html_response_is_stored_once_under_its_host(
    mixed_warc: Path, sqlite_url: str, shared_data: Path
) -> None:
    report = import_files(sqlite_url, [mixed_warc], processes=0)
    assert report.records == 1 + 6 * 2 + 4
    assert report.pages == 6 + 2  # the six real pages, the binary one, the undated one
    assert report.stored == 7
    assert report.failed == 1  # the binary body
    assert any("news.example.org/binary" in e for e in report.errors)
    assert report.skipped == 1 + 6 + 2  # warcinfo, requests, image, 404
    with open_store(sqlite_url) as store:
        assert store.count_articles() == 7
        pages = fundus_pages(shared_data, 6)
        titles = [store.get_article_by_url(p.url) for p in pages]
        assert all(t is not None for t in titles)
        matching = [
            p for p, t in zip(pages, titles, strict=True) if t and _same(t.article.title, p.title)
        ]
        assert len(matching) >= 5, [t.article.title for t in titles if t]
        sources = {s.title: s for s in store.list_sources()}
        hosts = {urlsplit(p.url).hostname for p in pages} | {"news.example.org"}
        assert set(sources) == hosts
        assert {s.kind for s in sources.values()} == {"page"}
        undated = store.get_article_by_url("https://news.example.org/bridge")
        assert undated is not None
        assert undated.article.published == WARC_DATE
        assert undated.source_id == sources["news.example.org"].id
        # Stored in bulk with indexing deferred, and searchable once the import returns.
        assert store.search_backlog() == 0
        assert [h.record.id for h in store.search("council bridge").items] == [undated.id]


def _same(title: str, expected: str) -> bool:
    """The same headline, give or take the site name a page appends to it."""
    a, b = title.casefold().strip(), expected.casefold().strip()
    return bool(a) and (a in b or b in a)


def test_a_second_run_skips_what_is_stored(
    mixed_warc: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = import_files(sqlite_url, [mixed_warc], processes=0)
    extracted: list[str] = []

    def counting(html: bytes, url: str) -> Article:
        extracted.append(url)
        return extract(html, url)

    monkeypatch.setattr(update, "extract", counting)
    again = import_files(sqlite_url, [mixed_warc], processes=0)
    # Only the page that failed the first time is tried again; stored ones are not re-read.
    assert extracted == ["https://news.example.org/binary"]
    assert first.stored == 7
    assert again.stored == 0
    assert again.already_stored == 7
    with open_store(sqlite_url) as store:
        assert store.count_articles() == 7


def test_process_pool_over_plain_and_gzip_files(
    tmp_path: Path, sqlite_url: str, shared_data: Path
) -> None:
    pages = fundus_pages(shared_data, 12)
    write_pages(tmp_path / "a.warc.gz", pages[:6])
    write_pages(tmp_path / "b.warc", pages[6:], gzip=False)
    report = import_files(sqlite_url, [tmp_path / "a.warc.gz", tmp_path / "b.warc"], processes=2)
    assert report.records == 12
    assert report.stored == 12
    assert not report.errors
    with open_store(sqlite_url) as store:
        assert store.count_articles() == 12


@pytest.mark.parametrize("compress", [True, False], ids=["gzip", "plain"])
def test_a_truncated_file_keeps_the_records_before_the_cut(
    tmp_path: Path, sqlite_url: str, shared_data: Path, compress: bool
) -> None:
    pages = fundus_pages(shared_data, 4)
    path = tmp_path / "cut.warc"
    write_pages(path, pages, gzip=compress)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 3000])  # the last page loses its end
    report = import_files(sqlite_url, [path], processes=0)
    assert report.stored == 3
    assert report.failed == 1
    assert report.errors
    with open_store(sqlite_url) as store:
        assert store.get_article_by_url(pages[3].url) is None


def test_a_file_that_is_not_a_warc_is_reported(tmp_path: Path, sqlite_url: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes, not an archive\n" * 20)
    report = import_files(sqlite_url, [path], processes=0)
    assert report.stored == 0
    assert report.errors
    assert "not a WARC file" in report.errors[0]


def test_cli_imports_with_a_progress_bar_and_a_summary(mixed_warc: Path, tmp_path: Path) -> None:
    env = dict(os.environ, NEWSFEED_HOME=str(tmp_path / "home"), COLUMNS="200")
    env.pop("NEWSFEED_DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "newsfeed", "import-warc", str(mixed_warc), "--processes", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "7 stories stored" in run.stdout
    assert "1 failed" in run.stdout
    # As if fetched: the updater's after-store steps ran on every stored story.
    with open_store(f"sqlite:///{tmp_path / 'home' / 'newsfeed.db'}") as store:
        stored = store.list_articles(limit=20).items
        assert len(stored) == 7
        assert all(r.story_id is not None for r in stored)
        assert all(store.get_analysis(r.id) is not None for r in stored)
    missing = subprocess.run(
        [sys.executable, "-m", "newsfeed", "import-warc", str(tmp_path / "nope.warc")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr
