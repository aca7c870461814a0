"""A publisher simulator: real HTTP servers on loopback, for tests and benchmarks.

Each ``Publisher`` is a ``ThreadingHTTPServer`` on its own 127.0.0.1 port serving a feed
(RSS, Atom or JSON Feed) whose items link to article pages on the same server, built from
the real pages in ``../shared/data/pages/fundus`` when given, else small synthetic pages.
Knobs (a mutable ``Knobs`` object, changeable while the server runs) add latency, 500s and
429s with Retry-After, ETag/Last-Modified with 304s and edits to published stories;
``/hostile/...`` paths serve gzip bombs, endless and trickling bodies, redirect loops, a
redirect to a private address, XML bombs, huge and invalid feeds and a mislabelled charset.

    with Simulator(publishers=3, items=20) as sim:
        feed_url = sim.publishers[0].feed_url
"""

from __future__ import annotations

import gzip
import hashlib
import random
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Literal

from newsfeed._simulator_content import (
    Story,
    article_html,
    cp1251_feed,
    endless_chunk,
    gzip_bomb,
    home_page,
    huge_feed,
    invalid_feed,
    load_stories,
    news_sitemap,
    render_feed,
    xml_bomb,
)

FeedFormat = Literal["rss", "atom", "json"]
LAST_MODIFIED = "Mon, 04 Aug 2025 10:00:00 GMT"


@dataclass
class Knobs:
    """Behaviour of one publisher; tests may change fields while it serves."""

    latency: float = 0.0
    """Seconds to wait before answering each request."""
    error_rate: float = 0.0
    """Fraction of requests answered 500 (seeded random)."""
    throttle_rate: float = 0.0
    """Fraction of requests answered 429 with ``retry_after``."""
    retry_after: str = "1"
    fail_next: list[int] = field(default_factory=list)
    """Statuses to answer, in order, before behaving normally (e.g. ``[503, 429]``)."""
    conditional: bool = True
    """Send ETag/Last-Modified and answer 304 to matching conditional requests."""
    robots: str = "User-agent: *\nDisallow: /private/\n"
    edit_after: int | None = None
    """After an article was fetched this many times, serve its edited version."""
    gzip: bool = False
    """Compress feeds and pages when the client accepts gzip."""
    has_feed: bool = True
    """Serve the feed (else only the home page and the news sitemap)."""
    advertise_feed: bool = True
    """Put ``<link rel="alternate">`` for the feed on the home page."""


@dataclass
class Stats:
    """What the server saw: requests per path, concurrency, request headers."""

    hits: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    active: int = 0
    max_active: int = 0
    user_agents: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self, path: str, agent: str) -> None:
        with self.lock:
            self.hits[path] += 1
            self.user_agents.add(agent)
            self.active += 1
            self.max_active = max(self.max_active, self.active)

    def leave(self) -> None:
        with self.lock:
            self.active -= 1


class Publisher:
    """One simulated news site on its own loopback port."""

    def __init__(
        self,
        name: str,
        stories: list[Story],
        *,
        feed_format: FeedFormat = "rss",
        knobs: Knobs | None = None,
        host: str = "127.0.0.1",
        seed: int = 0,
    ) -> None:
        self.name = name
        self.stories = stories
        self.feed_format = feed_format
        self.knobs = knobs or Knobs()
        self.stats = Stats()
        self.edited: set[int] = set()
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self._rng = random.Random(seed)
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer((host, 0), _make_handler(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self.base_url = f"http://{host}:{self._server.server_address[1]}"

    @property
    def feed_path(self) -> str:
        return {"rss": "/feed.xml", "atom": "/atom.xml", "json": "/feed.json"}[self.feed_format]

    @property
    def feed_url(self) -> str:
        return self.url(self.feed_path)

    def url(self, path: str) -> str:
        return self.base_url + path

    def article_url(self, index: int) -> str:
        return self.url(f"/articles/{index}.html")

    def edit_story(self, index: int) -> None:
        """From now on serve story ``index`` changed, with an editor's note."""
        self.edited.add(index)

    def set_route(
        self, path: str, body: bytes, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        """Serve fixed bytes at ``path`` (overrides the built-in routes)."""
        self.routes[path] = (status, headers or {"Content-Type": "text/plain"}, body)

    def start(self) -> None:
        self._thread.start()

    def stop_serving(self) -> None:
        self._stopping.set()
        self._server.shutdown()

    def close(self) -> None:
        self._server.server_close()

    # -- what each request gets -------------------------------------------------------

    def feed_body(self) -> tuple[bytes, str]:
        return render_feed(self, self.feed_format)

    def article_body(self, index: int) -> bytes:
        story = self.stories[index]
        edited = index in self.edited or (
            self.knobs.edit_after is not None
            and self.stats.hits[f"/articles/{index}.html"] > self.knobs.edit_after
        )
        return article_html(story, edited, self.article_url(index))

    def injected_status(self) -> int | None:
        knobs = self.knobs
        with self.stats.lock:
            if knobs.fail_next:
                return knobs.fail_next.pop(0)
            roll = self._rng.random()
        if roll < knobs.error_rate:
            return 500
        if roll < knobs.error_rate + knobs.throttle_rate:
            return 429
        return None


class Simulator:
    """Start ``publishers`` publishers with ``items`` stories each; a context manager."""

    def __init__(
        self,
        publishers: int = 1,
        items: int = 10,
        *,
        pages: Path | None = None,
        feed_format: FeedFormat = "rss",
        knobs: Knobs | None = None,
        own_addresses: bool = False,
    ) -> None:
        """``own_addresses`` puts each publisher on its own 127.0.0.x address (from
        127.0.0.2) rather than only its own port of 127.0.0.1."""
        self.publishers = [
            Publisher(
                f"Publisher {n}",
                load_stories(pages, items, start=n * items),
                feed_format=feed_format,
                knobs=replace(knobs, fail_next=list(knobs.fail_next)) if knobs else None,
                host=f"127.0.{(n + 2) // 256}.{(n + 2) % 256}" if own_addresses else "127.0.0.1",
                seed=n,
            )
            for n in range(publishers)
        ]

    def __enter__(self) -> Simulator:
        for publisher in self.publishers:
            publisher.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        # shutdown() blocks for one poll interval; do them all at once.
        stoppers = [threading.Thread(target=p.stop_serving) for p in self.publishers]
        for thread in stoppers:
            thread.start()
        for thread in stoppers:
            thread.join()
        for publisher in self.publishers:
            publisher.close()


def _make_handler(publisher: Publisher) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        pub = publisher

    return Handler


class _Handler(BaseHTTPRequestHandler):
    pub: Publisher
    protocol_version = "HTTP/1.1"
    timeout = 10

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.pub.stats.enter(path, self.headers.get("User-Agent", ""))
        try:
            if self.pub.knobs.latency and self.pub._stopping.wait(self.pub.knobs.latency):
                return
            self._route(path)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as hostile-server tests expect it to
        finally:
            self.pub.stats.leave()

    def _route(self, path: str) -> None:
        pub = self.pub
        if path in pub.routes:
            status, headers, body = pub.routes[path]
            return self._send(status, body, headers)
        if path == "/robots.txt":
            return self._send(200, pub.knobs.robots.encode(), {"Content-Type": "text/plain"})
        if path.startswith("/hostile/"):
            return self._hostile(path.removeprefix("/hostile/"))
        injected = pub.injected_status()
        if injected is not None:
            return self._send(
                injected,
                f"simulated {injected}".encode(),
                {"Content-Type": "text/plain", "Retry-After": pub.knobs.retry_after},
            )
        if pub.knobs.has_feed and path == pub.feed_path:
            body, content_type = pub.feed_body()
            return self._send_conditional(body, content_type)
        if path == "/news-sitemap.xml":
            return self._send_conditional(news_sitemap(pub), "application/xml")
        if path == "/":
            return self._send_conditional(home_page(pub), "text/html; charset=utf-8")
        if path.startswith("/articles/") and path.endswith(".html"):
            index = path.removeprefix("/articles/").removesuffix(".html")
            if index.isdigit() and int(index) < len(pub.stories):
                body = pub.article_body(int(index))
                return self._send_conditional(body, "text/html; charset=utf-8")
        if path.startswith("/redirect/"):
            return self._redirect("/" + path.removeprefix("/redirect/"))
        return self._send(404, b"not found", {"Content-Type": "text/plain"})

    def _hostile(self, name: str) -> None:
        xml = {"Content-Type": "application/rss+xml"}
        if name == "gzip-bomb":
            return self._send(200, gzip_bomb(), {**xml, "Content-Encoding": "gzip"})
        if name == "endless":
            return self._endless()
        if name == "trickle":
            return self._trickle()
        if name in ("loop-a", "loop-b"):
            return self._redirect("/hostile/loop-b" if name == "loop-a" else "/hostile/loop-a")
        if name == "to-private":
            return self._redirect("http://10.0.0.1/feed.xml")
        if name == "xml-bomb":
            return self._send(200, xml_bomb(), xml)
        if name == "huge":
            return self._send(200, huge_feed(), xml)
        if name == "invalid":
            return self._send(200, invalid_feed(), xml)
        if name == "cp1251-as-latin1":
            return self._send(200, cp1251_feed(), {"Content-Type": "text/xml; charset=iso-8859-1"})
        if name == "cp1251-unlabelled":
            return self._send(200, cp1251_feed(), {"Content-Type": "text/xml"})
        return self._send(404, b"no such hostile route", {"Content-Type": "text/plain"})

    def _send_conditional(self, body: bytes, content_type: str) -> None:
        headers = {"Content-Type": content_type}
        if self.pub.knobs.conditional:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers |= {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            if self.headers.get("If-None-Match") == etag or (
                "If-None-Match" not in self.headers
                and self.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                return self._send(304, b"", headers)
        if self.pub.knobs.gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=5)
            headers["Content-Encoding"] = "gzip"
        self._send(200, body, headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.pub.stats.statuses[status] += 1
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, b"", {"Location": location})

    def _endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = endless_chunk()
        while not self.pub._stopping.is_set():
            self.wfile.write(chunk)
        self.close_connection = True

    def _trickle(self) -> None:
        body = b"<?xml version='1.0'?><rss version='2.0'><channel><title>slow</title>"
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for byte in body:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            if self.pub._stopping.wait(1.0):
                break
        self.close_connection = True


__all__ = ["Knobs", "Publisher", "Simulator", "Stats", "Story"]
