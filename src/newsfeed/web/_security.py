"""Everything that keeps hostile pages and hostile visitors harmless.

- ``sanitise_html``: article HTML goes through an nh3 allowlist before it is shown (the
  store should already hold sanitised HTML; this is the second line of defence).
- ``safe_url``: only http(s) and site-relative links reach an ``href`` or ``src``.
- ``SecurityHeaders``: a strict Content-Security-Policy (no inline script), no sniffing,
  no framing, no referrer leaks, on every response (plain ASGI: no per-request task overhead).
- ``CsrfTokens``: signed tokens bound to a per-browser cookie.
- ``RateLimiter``: a sliding window for sign-in attempts.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from urllib.parse import urlsplit

import nh3
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "span": {"class"},
    "figcaption": {"class"},
}
_URL_SCHEMES = {"http", "https", "mailto"}

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: http: data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'; object-src 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def sanitise_html(html: str) -> str:
    """Keep only harmless tags, attributes and link schemes; links get ``rel=noopener``."""
    return str(
        nh3.clean(
            html,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes=_URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
    )


def safe_snippet(snippet: str) -> Markup:
    """A search snippet: the store gives escaped text with ``<mark>``; allow nothing else."""
    return Markup(nh3.clean(snippet, tags={"mark"}, attributes={}))


def safe_url(url: str | None) -> str:
    """``url`` when it is http(s) or site-relative, else an inert ``#``."""
    if not url:
        return "#"
    url = url.strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return "#"
    return url if scheme in ("http", "https") else "#"


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + _HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CsrfTokens:
    """Signed CSRF tokens bound to a random per-browser cookie value."""

    cookie_name = "nf_csrf"

    def __init__(self, secret_key: str) -> None:
        # Untimed on purpose: the token then stays the same for a browser, so pages that
        # carry it still get stable ETags; the seed cookie's own lifetime bounds it.
        self._serializer = URLSafeSerializer(secret_key, salt="newsfeed-csrf")

    @staticmethod
    def new_seed() -> str:
        return secrets.token_urlsafe(24)

    def token(self, seed: str) -> str:
        return str(self._serializer.dumps(seed))

    def valid(self, token: str | None, seed: str | None) -> bool:
        if not token or not seed:
            return False
        try:
            value = self._serializer.loads(token)
        except BadSignature:
            return False
        return isinstance(value, str) and secrets.compare_digest(value, seed)


class RateLimiter:
    """At most ``limit`` hits per key in any ``window`` seconds (per process)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int:
        """Seconds to wait before ``key`` may try again; 0 when it may try now (and counts it)."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, int(self.window - (now - hits[0])) + 1)
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle keys so memory stays bounded
                self._hits = {k: v for k, v in self._hits.items() if v}
            return 0
