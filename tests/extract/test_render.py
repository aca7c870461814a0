"""``run_extract``: the body of the ``newsfeed extract`` command."""

from __future__ import annotations

import io
import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from newsfeed.errors import ExtractError, FetchError, NotHTMLError
from newsfeed.extract._render import run_extract

FIXTURE = Path(__file__).parent / "fixtures" / "seed_ghost.html"
URL = "https://kyivindependent.com/putin-trump-to-meet-in-the-coming-days-moscow-says/"


def test_json_has_every_field() -> None:
    data = json.loads(run_extract(str(FIXTURE), URL, "json"))
    assert data["title"] == "Putin, Trump to meet in the coming days, Moscow says"
    assert data["stated_reading_time"] == 3
    assert data["editor_notes"][0]["kind"] == "editor_note"
    assert data["related"][0]["url"].startswith("https://kyivindependent.com/president-trump")
    assert data["blocks"][0]["kind"] == "paragraph"


def test_text_is_title_then_body() -> None:
    out = run_extract(str(FIXTURE), URL, "text")
    assert out.startswith(
        "Putin, Trump to meet in the coming days, Moscow says\n\nRussian President"
    )
    assert "Read more" not in out


def test_markdown() -> None:
    out = run_extract(str(FIXTURE), URL, "markdown")
    assert out.startswith("# Putin, Trump to meet in the coming days, Moscow says")
    assert '> "The target date was set for next week' in out
    assert "> **editor note:** Editor's note:" in out
    assert "## Related\n\n- [President Trump has all the cards" in out
    assert "*Steve Witkoff meets Vladimir Putin in Moscow on Aug. 6, 2025. (Gavriil" in out


def test_html_is_sanitised() -> None:
    out = run_extract(str(FIXTURE), URL, "html")
    assert out.startswith("<h1>Putin, Trump")
    assert "<script" not in out
    assert "class=" not in out


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    page = b"<html><body><article><p>From standard input, one paragraph.</p></article>"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page)))
    assert "From standard input, one paragraph." in run_extract("-", None, "text")


def test_missing_file_and_bad_format(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="no such file"):
        run_extract(str(tmp_path / "nope.html"), None, "text")
    with pytest.raises(ExtractError, match="unknown format"):
        run_extract(str(FIXTURE), None, "pdf")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    with pytest.raises(NotHTMLError, match="empty"):
        run_extract(str(empty), None, "text")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/missing":
            self.send_error(404)
            return
        body = FIXTURE.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetches_a_url_and_resolves_against_it(server: str) -> None:
    data = json.loads(run_extract(f"{server}/story/", None, "json"))
    assert data["url"] == f"{server}/story/"
    assert data["figures"][0]["url"] == f"{server}/content/images/2025/08/witkoff-putin.jpg"


def test_fetch_error_is_clear(server: str) -> None:
    with pytest.raises(FetchError, match="could not fetch"):
        run_extract(f"{server}/missing", None, "text")
