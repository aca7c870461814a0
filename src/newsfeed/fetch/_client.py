"""The fetcher: one polite, careful HTTP GET at a time, many at once."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import anyio
import httpx

from newsfeed.errors import FetchError, HTTPStatusError
from newsfeed.fetch._decode import ACCEPT_ENCODING, BodyReader, too_large
from newsfeed.fetch._guard import AddressPolicy, GuardedBackend, check_url
from newsfeed.fetch._limit import HostLimiter, LocalHostLimiter
from newsfeed.fetch._options import FetchOptions, FetchResult
from newsfeed.fetch._pool import LinearPool
from newsfeed.fetch._retry import RETRY_STATUSES, backoff, parse_retry_after
from newsfeed.fetch._robots import RobotsCache

REDIRECTS = frozenset({301, 302, 303, 307, 308})
KEPT_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "content-language",
    "etag",
    "last-modified",
    "cache-control",
    "expires",
    "age",
    "date",
    "retry-after",
)


class _Retry(Exception):
    """An attempt failed in a way worth trying again."""

    def __init__(self, error: FetchError, wait: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


class Fetcher:
    """An async HTTP client for feeds and pages; use as ``async with Fetcher() as f``.

    ``transport`` replaces the network (tests pass ``httpx.MockTransport``); the SSRF
    check of each URL still runs, the connect-time check does not. ``limiter`` replaces
    the in-process per-host limits (workers pass one shared through Redis).
    """

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        limiter: HostLimiter | None = None,
    ) -> None:
        self.options = opts = options or FetchOptions()
        self._policy = AddressPolicy.build(opts.allow_private, opts.allowed_networks)
        self._client = httpx.AsyncClient(
            transport=transport or _guarded_transport(self._policy, opts),
            timeout=httpx.Timeout(
                connect=opts.connect_timeout,
                read=opts.read_timeout,
                write=opts.read_timeout,
                pool=None,
            ),
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would bypass the address guard
            headers={"User-Agent": opts.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )
        self._global = anyio.Semaphore(opts.global_concurrency)
        self._limiter = limiter or LocalHostLimiter(opts.per_host_concurrency)
        self._robots = RobotsCache(opts.user_agent, self._get_robots)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url``, following redirects; a 304 gives ``not_modified=True``.

        Raises FetchError (or BlockedURLError, HTTPStatusError, ResponseTooLarge), each
        carrying the URL, with a message saying what went wrong.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = self.options.retries + 1
        for attempt in range(attempts):
            try:
                return await self._chain(url, headers, self.options.max_body_bytes, robots=True)
            except _Retry as retry:
                if attempt == attempts - 1:
                    raise retry.error from None
                wait = retry.wait
                if wait is not None and wait > self.options.max_retry_after:
                    raise HTTPStatusError(
                        f"{retry.error} and asked to retry after {wait:.0f} s, longer than "
                        f"the {self.options.max_retry_after:.0f} s this fetcher waits",
                        url=url,
                        status=getattr(retry.error, "status", 0),
                    ) from None
                await anyio.sleep(wait if wait is not None else self._backoff(attempt))
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        return backoff(attempt, self.options.backoff_base)

    async def _get_robots(self, robots_url: str) -> tuple[int, str]:
        try:
            result = await self._chain(robots_url, {}, self.options.robots_max_bytes, robots=False)
        except HTTPStatusError as exc:
            return exc.status, ""
        except _Retry as retry:
            raise retry.error from None
        return result.status, result.text

    async def _chain(
        self, url: str, headers: dict[str, str], cap: int, *, robots: bool
    ) -> FetchResult:
        started = time.monotonic()
        redirects: list[str] = []
        current = url
        while True:
            try:
                outcome = await self._request(current, headers, cap, started, redirects, robots)
            except FetchError as exc:
                raise _blame(exc, url, current) from None
            except _Retry as retry:
                raise _Retry(_blame(retry.error, url, current), retry.wait) from None
            if isinstance(outcome, FetchResult):
                return outcome
            redirects.append(current)
            current = self._next_hop(url, current, outcome, redirects)

    async def _request(
        self,
        url: str,
        headers: dict[str, str],
        cap: int,
        started: float,
        redirects: list[str],
        robots: bool,
    ) -> FetchResult | str:
        await check_url(url, self._policy)
        delay = self.options.per_host_delay
        if robots and self.options.respect_robots:
            crawl_delay = await self._robots.check(url)
            if crawl_delay is not None:
                delay = max(delay, min(crawl_delay, self.options.max_crawl_delay))
        async with self._slot(url, delay):
            return await self._hop(url, headers, cap, started, redirects)

    def _next_hop(self, url: str, current: str, location: str, seen: list[str]) -> str:
        target = urljoin(current, location).split("#", 1)[0]
        if target in seen:
            raise FetchError(
                f"{url}: redirect loop ({' -> '.join([*seen, target])})",
                url=url,
            )
        if len(seen) > self.options.max_redirects:
            raise FetchError(
                f"{url}: more than {self.options.max_redirects} redirects (last went to {target})",
                url=url,
            )
        return target

    async def _hop(
        self,
        url: str,
        headers: dict[str, str],
        cap: int,
        started: float,
        redirects: list[str],
    ) -> FetchResult | str:
        """One request: a FetchResult, or the Location to follow."""
        total = self.options.total_timeout
        try:
            with anyio.fail_after(total):
                async with self._client.stream("GET", url, headers=headers) as response:
                    return await self._read(url, response, cap, started, redirects)
        except TimeoutError:
            raise FetchError(
                f"{url}: no complete response within {total:g} s (total timeout)", url=url
            ) from None
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out ({_describe(exc)})", url=url) from None
        except (httpx.ConnectError, httpx.RemoteProtocolError) as exc:
            error = FetchError(f"{url}: connection failed ({_describe(exc)})", url=url)
            raise _Retry(error) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: request failed ({_describe(exc)})", url=url) from None

    async def _read(
        self,
        url: str,
        response: httpx.Response,
        cap: int,
        started: float,
        redirects: list[str],
    ) -> FetchResult | str:
        status = response.status_code
        if status in REDIRECTS and response.headers.get("location"):
            return response.headers["location"]
        if status in RETRY_STATUSES:
            wait = parse_retry_after(response.headers.get("retry-after"))
            error = HTTPStatusError(
                f"{url}: the server answered {status} {response.reason_phrase}".rstrip(),
                url=url,
                status=status,
            )
            raise _Retry(error, wait)
        if status >= 400:
            raise HTTPStatusError(
                f"{url}: the server answered {status} {response.reason_phrase}".rstrip(),
                url=url,
                status=status,
            )
        headers = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
        body = b""
        if status != 304:
            body = await _read_body(url, response, cap)
        return FetchResult(
            url=url,
            status=status,
            headers=headers,
            body=body,
            etag=response.headers.get("etag") or response.request.headers.get("if-none-match"),
            last_modified=response.headers.get("last-modified")
            or response.request.headers.get("if-modified-since"),
            not_modified=status == 304,
            elapsed=time.monotonic() - started,
            redirects=tuple(redirects),
        )

    @asynccontextmanager
    async def _slot(self, url: str, delay: float) -> AsyncIterator[None]:
        """Hold a per-host slot (from the host limiter, starts spaced by ``delay``) and
        then a global one."""
        parts = urlsplit(url)
        host = f"{parts.hostname}:{parts.port or parts.scheme}"
        async with self._limiter.slot(host, delay), self._global:
            yield


async def _read_body(url: str, response: httpx.Response, cap: int) -> bytes:
    declared = response.headers.get("content-length", "")
    encoding = response.headers.get("content-encoding")
    if declared.isdigit() and not encoding and int(declared) > cap:
        raise too_large(url, cap)
    reader = BodyReader(encoding, cap, url)
    async for chunk in response.aiter_raw():
        reader.feed(chunk)
    return reader.body()


def _blame(error: FetchError, url: str, hop: str) -> FetchError:
    """The error of a redirect hop, told about the URL the caller asked for."""
    if hop != url:
        error.args = (f"{url} redirected to {hop}, which failed: {error}",)
    error.url = url
    return error


def _describe(exc: Exception) -> str:
    return str(exc) or exc.__class__.__name__


def _guarded_transport(policy: AddressPolicy, opts: FetchOptions) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose sockets only go to addresses the policy allows."""
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    # httpx has no public hook for the network backend; swap the pool it built for an
    # identical one that connects through the guard. A test checks this stays wired.
    transport._pool = LinearPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=opts.global_concurrency * 2,
        max_keepalive_connections=opts.global_concurrency * 2,
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(policy),
    )
    return transport
