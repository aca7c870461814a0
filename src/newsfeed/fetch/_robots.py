"""robots.txt: fetched once per host, kept for the life of the fetcher."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import anyio

from newsfeed.errors import BlockedURLError, FetchError

# Fetches a robots.txt URL and returns (status, text); raises FetchError when unreachable.
RobotsGetter = Callable[[str], Awaitable[tuple[int, str]]]


class RobotsCache:
    """Answers "may this user agent fetch this URL?" from each host's robots.txt.

    As Google does: a missing robots.txt (4xx) or one that cannot be fetched allows all;
    401 and 403 disallow all, as urllib.robotparser does.
    """

    def __init__(self, user_agent: str, get: RobotsGetter) -> None:
        self._agent = user_agent.split("/", 1)[0]
        self._get = get
        self._parsers: dict[str, RobotFileParser] = {}
        self._locks: dict[str, anyio.Lock] = {}

    async def check(self, url: str) -> float | None:
        """Raise BlockedURLError if robots.txt disallows ``url``; else its Crawl-delay."""
        parser = await self._parser(url)
        if not parser.can_fetch(self._agent, url):
            raise BlockedURLError(f"robots.txt of {_origin(url)} disallows {url}", url=url)
        delay = parser.crawl_delay(self._agent)
        return float(delay) if delay is not None else None

    async def _parser(self, url: str) -> RobotFileParser:
        origin = _origin(url)
        lock = self._locks.setdefault(origin, anyio.Lock())
        async with lock:
            if origin not in self._parsers:
                self._parsers[origin] = await self._load(origin + "/robots.txt")
            return self._parsers[origin]

    async def _load(self, robots_url: str) -> RobotFileParser:
        parser = RobotFileParser(robots_url)
        try:
            status, text = await self._get(robots_url)
        except BlockedURLError:
            raise
        except FetchError:
            status, text = 404, ""
        if status in (401, 403):
            parser.parse(["User-agent: *", "Disallow: /"])
        elif 200 <= status < 300:
            parser.parse(text.splitlines())
        else:
            parser.parse([])
        return parser


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
