"""The fetcher's settings and its result: plain frozen data."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from newsfeed import __version__
from newsfeed.errors import ConfigError
from newsfeed.fetch._charset import detect_charset

_TEXTUAL = ("text", "xml", "json", "html", "rss", "atom", "javascript")

DEFAULT_USER_AGENT = f"newsfeed/{__version__} (+https://github.com/newsfeed; self-hosted reader)"


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How politely and how carefully to fetch.

    Timeouts are in seconds: ``connect_timeout`` and ``read_timeout`` bound each socket
    operation; ``total_timeout`` bounds each request from connect to the last body byte
    (each redirect hop gets its own), so a server trickling one byte a second is cut off.
    Time spent waiting for a per-host or global slot does not count.

    ``allowed_networks`` lets chosen networks (CIDR strings such as ``"127.0.0.0/8"``)
    through the SSRF guard while every other private address stays refused;
    ``allow_private`` lets everything through.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_body_bytes: int = 10 * 1024 * 1024
    """Cap on the decompressed body, enforced while streaming."""
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0
    """Minimum seconds between the starts of two requests to the same host."""
    global_concurrency: int = 16
    retries: int = 3
    """Extra attempts after a 429, a 5xx or a failed connection."""
    backoff_base: float = 0.5
    """First backoff in seconds; doubled each attempt, plus up to as much again of jitter."""
    max_retry_after: float = 120.0
    """A Retry-After longer than this ends the fetch with an error instead of waiting."""
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()
    respect_robots: bool = True
    """Obey robots.txt: disallowed URLs fail, and a Crawl-delay lengthens ``per_host_delay``."""
    max_crawl_delay: float = 30.0
    """A robots.txt Crawl-delay is honoured up to this many seconds."""
    robots_max_bytes: int = 512 * 1024

    def __post_init__(self) -> None:
        positive = ["connect_timeout", "read_timeout", "total_timeout", "max_body_bytes"]
        positive += ["per_host_concurrency", "global_concurrency", "robots_max_bytes"]
        for name in positive:
            if getattr(self, name) <= 0:
                raise ConfigError(
                    f"fetch option {name} must be positive, not {getattr(self, name)}"
                )
        for name in ("max_redirects", "per_host_delay", "retries", "backoff_base"):
            if getattr(self, name) < 0:
                raise ConfigError(f"fetch option {name} cannot be negative")
        for network in self.allowed_networks:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise ConfigError(
                    f"fetch option allowed_networks: {network!r} is not a network "
                    "(write it like 127.0.0.0/8 or ::1/128)"
                ) from None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetched URL.

    ``url`` is the final URL after redirects; ``redirects`` lists the URLs that redirected,
    in order. On a 304 ``not_modified`` is true, ``body`` is empty and ``etag`` and
    ``last_modified`` carry the validators to send next time.
    """

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    etag: str | None
    last_modified: str | None
    not_modified: bool
    elapsed: float
    redirects: tuple[str, ...] = ()

    @property
    def content_type(self) -> str | None:
        """The media type without parameters, lower-cased (``"application/rss+xml"``)."""
        value = self.headers.get("content-type")
        if not value:
            return None
        return value.split(";", 1)[0].strip().lower() or None

    @property
    def charset(self) -> str | None:
        """The body's character encoding (None for an empty or non-text body). Worked out
        when asked, not for every response: pages go to extraction as bytes, and the
        extractor reads their encoding itself."""
        if not self.body:
            return None
        content_type = self.headers.get("content-type")
        if content_type and not any(word in content_type.lower() for word in _TEXTUAL):
            return None
        return detect_charset(self.body, content_type)

    @property
    def text(self) -> str:
        """The body decoded with ``charset`` (undecodable bytes replaced)."""
        return self.body.decode(self.charset or "utf-8", errors="replace")
