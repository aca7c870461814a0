"""Security headers, and hostile input rendered harmless by the server."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from newsfeed.errors import ConfigError
from newsfeed.store._base import Storage
from newsfeed.web import WebSettings, load_secret_key
from newsfeed.web._security import safe_snippet, safe_url, sanitise_html

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    "path", ["/", "/api/v1/articles", "/feeds/river.json", "/nope", "/static/style.css"]
)
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "object-src 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def _live_parts(html: str) -> list[str]:
    """What a browser would run from this page: scripts, handlers, script URLs, SVG, frames."""
    tree = lxml.html.fromstring(html)
    found = []
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag == "script" and node.get("src") != "/static/app.js":
            found.append(f"script: {lxml.html.tostring(node)[:80]!r}")
        if node.tag in ("svg", "iframe", "object", "embed", "style", "base", "meta") and (
            node.tag != "meta" or node.get("http-equiv")
        ):
            found.append(f"<{node.tag}>")
        for name, value in node.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{node.tag} {name}={value[:40]}")
            if name in ("href", "src", "action") and value.strip().lower().startswith(
                ("javascript:", "data:text", "vbscript:")
            ):
                found.append(f"{node.tag} {name}={value[:40]}")
    return found


def test_pages_have_no_inline_script_or_handlers(client: TestClient, store: Storage) -> None:
    for path in ["/", "/search?q=Putin", f"/articles/{store.list_articles().items[0].id}"]:
        html = client.get(path).text
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']
        assert _live_parts(html) == []


def _xss_pages(client: TestClient, store: Storage) -> list[str]:
    evil = next(s for s in store.list_sources() if "Evil Feed" in s.title)
    pages = [f"/sources/{evil.id}", "/search?q=payload", "/sources", "/authors"]
    hits = store.search("payload", limit=50).items
    pages += [f"/articles/{h.record.id}" for h in hits]
    author = hits[0].record.article.authors[0].name
    pages.append("/authors/" + quote(author, safe=""))
    return pages


def test_xss_corpus_comes_out_inert(client: TestClient, store: Storage) -> None:
    pages = _xss_pages(client, store)
    assert len(pages) > 8
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.text.lower()
        assert "payload" in text or "mallory" in text, path  # the hostile text is there, as text
        assert _live_parts(response.text) == [], path


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_xss_corpus_is_sanitised_in_feeds_out(client: TestClient, fmt: str) -> None:
    response = client.get(f"/feeds/search.{fmt}", params={"q": "payload"})
    if fmt == "json":
        contents = [item["content_html"] for item in response.json()["items"]]
    else:
        root = etree.fromstring(response.content)
        contents = [n.text or "" for n in root.iter("description", f"{ATOM}content")]
    assert len(contents) >= 6
    for html in contents:
        assert _live_parts(f"<div>{html}</div>") == [], html


def test_sanitise_html_allowlist() -> None:
    dirty = (
        '<p onclick="x()">hi <a href="javascript:alert(1)">a</a><script>x</script>'
        '<img src="https://e.example/i.png" onerror="x()"><svg><circle/></svg></p>'
    )
    clean = sanitise_html(dirty)
    assert "onclick" not in clean
    assert "javascript" not in clean
    assert "<script" not in clean
    assert "onerror" not in clean
    assert "<svg" not in clean
    assert '<img src="https://e.example/i.png">' in clean
    assert safe_url("javascript:alert(1)") == "#"
    assert safe_url(" JaVaScRiPt:x") == "#"
    assert safe_url("data:text/html,x") == "#"
    assert safe_url("//evil.example") == "#"
    assert safe_url("https://ok.example/a") == "https://ok.example/a"
    assert str(safe_snippet("a <mark>b</mark> <b>c</b>")) == "a <mark>b</mark> c"


def test_settings_refuse_weak_secrets() -> None:
    with pytest.raises(ConfigError, match="secret_key"):
        WebSettings(secret_key="short")
    with pytest.raises(ConfigError, match="base_url"):
        WebSettings(secret_key="x" * 32, base_url="ftp://x")


def test_secret_key_file_is_made_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "home" / "web-secret"
    key = load_secret_key(path)
    assert len(key) == 64
    assert path.stat().st_mode & 0o077 == 0
    assert load_secret_key(path) == key
    (tmp_path / "dir").mkdir()
    with pytest.raises(ConfigError, match="secret key file"):
        load_secret_key(tmp_path / "dir")
