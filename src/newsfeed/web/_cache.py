"""A shared micro-cache for anonymous reads.

The river, an article, an API list look the same to every reader who is not signed in, and
news moves in minutes, not milliseconds: keeping each such response for a second or two
lets one rendering serve every reader in that window (the "micro-caching" news sites do in
front of their apps). Only anonymous GETs (no session cookie, no Authorization header)
whose 200 response sets no cookie are kept; any write through this process empties the
cache. An entry is fresh for ``ttl`` seconds. When it has expired, the first request for it
renders the page anew, and requests that come while that one is rendering are answered
with the expired copy (for at most another ``ttl``) rather than all rendering the same page
at once: on a busy page that burst was the slowest moment of each ``ttl``. Writes from
other processes show up after ``ttl`` seconds and one rendering.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_ENTRIES = 1024
MAX_BODY = 2 * 1024 * 1024


def _still_fresh(entry: _Entry, request: dict[bytes, bytes]) -> bool:
    """Whether the client's copy (If-None-Match, else If-Modified-Since) is this one."""
    if inm := request.get(b"if-none-match"):
        return entry.etag is not None and entry.etag in inm
    ims = request.get(b"if-modified-since")
    modified = next((v for k, v in entry.headers if k == b"last-modified"), None)
    if not ims or not modified:
        return False
    try:
        return parsedate_to_datetime(modified.decode()) <= parsedate_to_datetime(ims.decode())
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True, slots=True)
class _Entry:
    expires: float
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes | None


class MicroCache:
    """ASGI middleware; ``ttl`` of 0 turns it off."""

    def __init__(self, app: ASGIApp, ttl: float, skip_prefixes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.ttl = ttl
        self.skip = skip_prefixes
        self._entries: OrderedDict[tuple[bytes, ...], _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._rendering: set[tuple[bytes, ...]] = set()  # touched on the event loop only

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.ttl <= 0:
            await self.app(scope, receive, send)
            return
        if scope["method"] != "GET":
            if scope["method"] not in ("HEAD", "OPTIONS"):
                self.clear()  # a write: what was kept may be wrong now
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = self._key(scope, headers)
        if key is None:
            await self.app(scope, receive, send)
            return
        entry = self._get(key)
        if entry is not None and (entry.expires >= time.monotonic() or key in self._rendering):
            await self._replay(entry, headers, send)
            return
        if key in self._rendering:  # nothing kept yet: render too rather than wait
            await self._fill(key, scope, receive, send)
            return
        self._rendering.add(key)
        try:
            await self._fill(key, scope, receive, send)
        finally:
            self._rendering.discard(key)

    def _key(self, scope: Scope, headers: dict[bytes, bytes]) -> tuple[bytes, ...] | None:
        if b"authorization" in headers or b"nf_session=" in headers.get(b"cookie", b""):
            return None
        path: str = scope["path"]
        if path.startswith(self.skip):
            return None
        return (
            headers.get(b"host", b""),
            path.encode(),
            scope.get("query_string", b""),
        )

    def _get(self, key: tuple[bytes, ...]) -> _Entry | None:
        """The entry, fresh or expired less than ``ttl`` ago (see the module's docstring)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires + self.ttl < time.monotonic():
                del self._entries[key]
                return None
            return entry

    async def _replay(self, entry: _Entry, headers: dict[bytes, bytes], send: Send) -> None:
        if _still_fresh(entry, headers):
            kept = [
                (k, v) for k, v in entry.headers if k not in (b"content-length", b"content-type")
            ]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {"type": "http.response.start", "status": entry.status, "headers": entry.headers}
        )
        await send({"type": "http.response.body", "body": entry.body})

    async def _fill(
        self, key: tuple[bytes, ...], scope: Scope, receive: Receive, send: Send
    ) -> None:
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if not start or start["status"] != 200:
            return
        headers = [(bytes(k).lower(), bytes(v)) for k, v in start.get("headers", [])]
        if any(k == b"set-cookie" for k, _ in headers):
            return
        body = b"".join(chunks)
        if len(body) > MAX_BODY:
            return
        etag = next((v for k, v in headers if k == b"etag"), None)
        entry = _Entry(time.monotonic() + self.ttl, 200, headers, body, etag)
        with self._lock:
            self._entries[key] = entry
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)
