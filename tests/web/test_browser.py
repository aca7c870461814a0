"""The web pages in a real Chromium (Debian's, driven by Playwright) against a real uvicorn
server on loopback over a real SQLite file filled with real articles.

Every request that leaves 127.0.0.1 (publisher images) is answered locally with a grey
placeholder, so the tests touch nothing but loopback.
"""

from __future__ import annotations

import shutil
import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import uvicorn
from tests.conftest import need
from web_fundus import SEED_URL
from web_helpers import PASSWORD, SECRET

from newsfeed.store import open_store
from newsfeed.store._base import Storage
from newsfeed.web import WebSettings, create_app
from newsfeed.web._accounts import open_accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _png(width: int = 8, height: int = 6, grey: int = 170) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes([grey] * width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PLACEHOLDER = _png()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(
    filled_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Storage]]:
    path = tmp_path_factory.mktemp("browser") / "news.db"
    shutil.copy(filled_db, path)
    url = f"sqlite:///{path}"
    store = open_store(url)
    settings = WebSettings(secret_key=SECRET, page_size=10)
    app = create_app(store, settings, accounts=open_accounts(url))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    server.should_exit = True
    thread.join(10)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    need(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class Watch:
    """Everything a page did that it should not have: dialogs, console errors, page errors."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []


def _stay_local(context) -> None:  # type: ignore[no-untyped-def]
    """Loopback requests go through; publisher images get the placeholder; the rest fail."""

    def route(route):  # type: ignore[no-untyped-def]
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        elif route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/png", body=PLACEHOLDER)
        else:
            route.abort()

    context.route("**/*", route)


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    base, _ = server
    context = browser.new_context(viewport={"width": 1000, "height": 900}, base_url=base)
    watch = Watch()
    _stay_local(context)
    page = context.new_page()
    page.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: watch.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.watch = watch
    yield page
    context.close()


def _ids(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(".card", "cards => cards.map(c => c.dataset.id)")


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size < 300_000


def test_river_renders_and_show_more_appends(page, server) -> None:  # type: ignore[no-untyped-def]
    _, store = server
    page.goto("/")
    assert page.locator(".card").count() == 10
    assert page.locator(".card .headline").first.is_visible()
    _shot(page, "river")
    expected = [str(r.id) for r in store.list_articles(limit=40).items]
    for shown in (20, 30, 40):
        page.click("a.show-more")
        page.locator(".card").nth(shown - 1).wait_for()
        ids = _ids(page)
        assert ids == expected[:shown]  # in order: no duplicate, no gap
    assert urlsplit(page.url).path == "/"  # appended in place, not a new page
    assert page.watch.errors == []


def test_show_more_works_without_javascript(browser, server) -> None:  # type: ignore[no-untyped-def]
    base, store = server
    context = browser.new_context(java_script_enabled=False, base_url=base)
    _stay_local(context)
    page = context.new_page()
    page.goto("/")
    page.click("a.show-more")
    page.wait_for_load_state()
    assert "cursor=" in page.url
    assert _ids(page) == [str(r.id) for r in store.list_articles(limit=20).items[10:]]
    context.close()


def test_article_page_shows_its_parts(page, server) -> None:  # type: ignore[no-untyped-def]
    _, store = server
    record = store.get_article_by_url(SEED_URL)
    page.goto(f"/articles/{record.id}")
    assert page.locator("figcaption .caption").first.inner_text().startswith("US President")
    assert page.locator("figcaption .credit").first.inner_text() == (
        "Brendan Smialowski / AFP via Getty Images"
    )
    note = page.locator("aside.editor-note")
    assert note.is_visible()
    assert "updated with comments by President Volodymyr Zelensky" in note.inner_text()
    card = page.locator("section.author-card")
    assert card.locator(".name").inner_text() == "Tim Zadorozhnyy"
    assert card.locator(".role").inner_text() == "News Editor"
    assert "Based in Warsaw" in card.locator(".bio").inner_text()
    assert page.locator(".related h2").inner_text() == "Read more"
    assert page.locator(".meta .rt").inner_text() == "3 min read"
    _shot(page, "article")
    card.locator(".name a").click()
    page.wait_for_url("**/authors/**")
    assert "Putin, Trump to meet" in page.content()


def test_search_finds_and_highlights(page, server) -> None:  # type: ignore[no-untyped-def]
    assert server
    page.goto("/search")
    page.fill("input[name=q]", "Ushakov")
    page.click(".search-form button")
    page.wait_for_url("**/search?q=Ushakov**")
    first = page.locator(".card").first
    assert "Putin, Trump to meet" in first.locator(".headline").inner_text()
    assert first.locator(".snippet mark").first.inner_text() == "Ushakov"
    _shot(page, "search")


def test_source_page_shows_health(page, server) -> None:  # type: ignore[no-untyped-def]
    _, store = server
    source = next(s for s in store.list_sources() if s.title == "The Kyiv Independent")
    page.goto(f"/sources/{source.id}")
    assert page.locator(".health .last-fetch").inner_text() == "never"
    assert page.locator(".card").count() == 1
    _shot(page, "source")


def test_phone_layout_has_no_sideways_scroll(browser, server) -> None:  # type: ignore[no-untyped-def]
    base, _ = server
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=base, is_mobile=True, has_touch=True
    )
    _stay_local(context)
    page = context.new_page()
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "river-phone")
    context.close()


def test_dark_mode_follows_the_system(browser, server) -> None:  # type: ignore[no-untyped-def]
    base, _ = server
    context = browser.new_context(color_scheme="dark", base_url=base)
    _stay_local(context)
    page = context.new_page()
    page.goto("/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 19, 22)"
    _shot(page, "river-dark")
    context.close()


def test_keyboard_shortcuts(page, server) -> None:  # type: ignore[no-untyped-def]
    _, store = server
    page.goto("/setup")
    page.fill("input[name=name]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form.stack button")
    page.wait_for_url("**/")
    ids = _ids(page)
    selected = "document.querySelector('.card.selected')?.dataset.id"
    page.keyboard.press("j")
    assert page.evaluate(selected) == ids[0]
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate(selected) == ids[2]
    page.keyboard.press("k")
    assert page.evaluate(selected) == ids[1]
    assert not store.get_article(int(ids[1])).saved
    page.keyboard.press("s")
    page.locator(f'.card.saved[data-id="{ids[1]}"]').wait_for()
    assert store.get_article(int(ids[1])).saved
    assert page.locator("#help").is_hidden()
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    page.keyboard.press("?")
    assert page.locator("#help").is_hidden()
    page.keyboard.press("o")
    page.wait_for_url(f"**/articles/{ids[1]}")
    assert page.watch.errors == []


def _xss_paths(store: Storage) -> list[str]:
    evil = next(s for s in store.list_sources() if "Evil Feed" in s.title)
    hits = store.search("payload", limit=50).items
    author = hits[0].record.article.authors[0].name
    return [
        f"/sources/{evil.id}",
        "/search?q=payload",
        "/sources",
        "/authors",
        "/authors/" + quote(author, safe=""),
    ] + [f"/articles/{h.record.id}" for h in hits]


def test_xss_corpus_never_runs(page, server) -> None:  # type: ignore[no-untyped-def]
    _, store = server
    paths = _xss_paths(store)
    assert len(paths) >= 10
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        page.mouse.move(200, 300)  # would fire onmouseover payloads
        for link in page.locator("a").all()[:0]:
            link.hover()
        assert page.evaluate("window.__xss") is None, path
    assert page.watch.dialogs == []
    assert page.watch.errors == []
    # An injected inline script that the CSP had to stop would show up here.
    assert [m for m in page.watch.console if "Content Security Policy" in m] == []


def test_entities_linked_quotes_marked_and_nothing_runs(page, server) -> None:  # type: ignore[no-untyped-def]
    _, store = server
    from newsfeed.enrich.step import enrich_stored

    assert enrich_stored(store) >= 10  # everything in the database, XSS corpus included
    record = store.get_article_by_url(SEED_URL)
    page.goto(f"/articles/{record.id}?analysed=1")  # a fresh URL: the page cache cannot answer
    marks = page.locator(".body mark.quote")
    assert marks.count() >= 3
    mark_bg = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    para_bg = marks.first.evaluate("m => getComputedStyle(m.closest('p')).backgroundColor")
    assert mark_bg != para_bg  # the quote is visibly highlighted
    assert page.locator(".body a.speaker-tag").first.is_visible()
    marks.first.evaluate("m => m.scrollIntoView({block: 'center'})")
    _shot(page, "article-entities")
    page.locator('.body a.entity[href="/entities/person:vladimir-putin"]').first.click()
    page.wait_for_url("**/entities/person:vladimir-putin")
    assert page.locator("h1").inner_text() == "Vladimir Putin"
    assert page.locator(".entity-timeline li").count() >= 3
    assert page.locator(f'.card[data-id="{record.id}"]').count() == 1
    _shot(page, "entity")
    evil = [h.record.id for h in store.search("payload", limit=50).items]
    keys = {e["key"] for i in evil for e in (store.get_analysis(i) or {}).get("entities", [])}
    paths = ["/entities"] + [f"/articles/{i}?analysed=1" for i in evil]
    paths += ["/entities/" + quote(k, safe=":") for k in keys]
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        page.mouse.move(200, 300)
        assert page.evaluate("window.__xss") is None, path
    assert page.watch.dialogs == []
    assert page.watch.errors == []


def test_river_links_to_the_story_page(browser, server) -> None:  # type: ignore[no-untyped-def]
    base, store = server
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=base)
        context.route(
            "**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort()
        )
        page = context.new_page()
        page.goto("/")
        badge = page.locator("a.outlets").first
        assert badge.inner_text().endswith("outlets")
        badge.click()
        page.wait_for_url("**/stories/*")
        story = store.get_story(int(page.url.rsplit("/", 1)[1]))
        assert page.locator(".outlet").count() == story.outlet_count >= 2
        assert page.locator(".adds").count() == len(story.article_ids)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width > 1000:  # the outlets side by side, not stacked
            tops = page.eval_on_selector_all(
                ".outlet", "els => els.map(e => Math.round(e.getBoundingClientRect().top))"
            )
            assert len(set(tops)) == 1
            _shot(page, "story")
        page.goto("/stories")
        assert page.locator(".story-card").count() >= 1
        context.close()
