"""Hostile servers: each ends with a clear error for its own URL while the other feeds,
fetched at the same time by the same fetcher, come through."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import httpcore
import pytest
from tests.simulator import Simulator, loopback_options

from newsfeed.errors import BlockedURLError, FetchError, NewsfeedError, ParseError, ResponseTooLarge
from newsfeed.feeds import parse_feed
from newsfeed.fetch import AddressPolicy, Fetcher, FetchOptions
from newsfeed.fetch._guard import GuardedBackend
from newsfeed.types import Feed

pytestmark = pytest.mark.anyio


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address a socket is opened to, at the lowest level httpcore offers."""
    seen: list[str] = []
    original = httpcore.AnyIOBackend.connect_tcp

    async def recording(self: Any, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        seen.append(host)
        return await original(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", recording)
    return seen


@contextmanager
def _peak_memory() -> Iterator[Callable[[], int]]:
    """The peak of Python allocations inside the block, in bytes."""
    tracemalloc.start()
    try:
        yield lambda: tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def _fetch_feed(fetcher: Fetcher, url: str) -> Feed | NewsfeedError:
    try:
        result = await fetcher.fetch(url)
        return parse_feed(result.body, result.url, result.headers.get("content-type"))
    except NewsfeedError as exc:
        return exc


async def _alongside_good_feeds(
    sim: Simulator, hostile_url: str, options: FetchOptions | None = None
) -> tuple[Feed | NewsfeedError, float]:
    """Fetch the hostile URL and the other publishers' feeds concurrently."""
    good = [p.feed_url for p in sim.publishers[1:]]
    outcomes: dict[str, Feed | NewsfeedError] = {}

    async def run(url: str) -> None:
        outcomes[url] = await _fetch_feed(fetcher, url)

    started = time.monotonic()
    async with Fetcher(options or loopback_options()) as fetcher, anyio.create_task_group() as tg:
        for url in [hostile_url, *good]:
            tg.start_soon(run, url)
    for url in good:
        feed = outcomes[url]
        assert isinstance(feed, Feed), f"{url} should have succeeded: {feed}"
        assert len(feed.entries) == 5
    return outcomes[hostile_url], time.monotonic() - started


def _assert_error(outcome: object, kind: type[Exception], url: str, message: str) -> None:
    assert isinstance(outcome, kind), outcome
    assert isinstance(outcome, NewsfeedError)
    assert url in str(outcome)
    assert message in str(outcome)
    if isinstance(outcome, FetchError):
        assert outcome.url == url


async def test_xml_bomb(sim: Simulator) -> None:
    url = sim.publishers[0].url("/hostile/xml-bomb")
    with _peak_memory() as peak:
        outcome, elapsed = await _alongside_good_feeds(sim, url)
    _assert_error(outcome, ParseError, url, "declares XML entities")
    assert peak() < 12 * 1024 * 1024
    assert elapsed < 5


async def test_gzip_bomb(sim: Simulator) -> None:
    url = sim.publishers[0].url("/hostile/gzip-bomb")  # 64 MB of zeros in ~64 KB
    options = loopback_options(max_body_bytes=2 * 1024 * 1024)
    with _peak_memory() as peak:
        outcome, _ = await _alongside_good_feeds(sim, url, options)
    _assert_error(outcome, ResponseTooLarge, url, "larger than the 2 MB limit")
    assert peak() < 12 * 1024 * 1024  # a 2 MB cap, not 64 MB of zeros


async def test_endless_body(sim: Simulator) -> None:
    url = sim.publishers[0].url("/hostile/endless")
    outcome, elapsed = await _alongside_good_feeds(sim, url)
    _assert_error(outcome, ResponseTooLarge, url, "larger than the 10 MB limit")
    assert elapsed < 10


async def test_trickle_one_byte_a_second(sim: Simulator) -> None:
    url = sim.publishers[0].url("/hostile/trickle")
    options = loopback_options(total_timeout=2.0, read_timeout=5.0)
    outcome, elapsed = await _alongside_good_feeds(sim, url, options)
    _assert_error(outcome, FetchError, url, "no complete response within 2 s")
    assert 1.9 < elapsed < 4
    assert sim.publishers[0].stats.hits["/hostile/trickle"] == 1  # a timeout is not retried


async def test_redirect_loop(sim: Simulator) -> None:
    pub = sim.publishers[0]
    url = pub.url("/hostile/loop-a")
    outcome, _ = await _alongside_good_feeds(sim, url)
    _assert_error(outcome, FetchError, url, "redirect loop")
    assert pub.stats.hits["/hostile/loop-a"] == 1
    assert pub.stats.hits["/hostile/loop-b"] == 1


async def test_too_many_redirects(sim: Simulator) -> None:
    url = sim.publishers[0].url("/redirect" * 7 + "/feed.xml")
    outcome, _ = await _alongside_good_feeds(sim, url)
    _assert_error(outcome, FetchError, url, "more than 5 redirects")


async def test_redirect_to_private_address_is_refused_before_connecting(
    sim: Simulator, connects: list[str]
) -> None:
    url = sim.publishers[0].url("/hostile/to-private")
    outcome, _ = await _alongside_good_feeds(sim, url)
    _assert_error(
        outcome,
        BlockedURLError,
        url,
        "redirected to http://10.0.0.1/feed.xml, which failed: refusing",
    )
    assert connects  # the recorder works: the loopback fetches went through it
    assert all(host.startswith("127.") for host in connects)


async def test_ten_megabyte_feed(sim: Simulator) -> None:
    url = sim.publishers[0].url("/hostile/huge")  # just over 12 MB
    outcome, _ = await _alongside_good_feeds(sim, url)
    _assert_error(outcome, ResponseTooLarge, url, "larger than the 10 MB limit")


async def test_invalid_xml(sim: Simulator) -> None:
    url = sim.publishers[0].url("/hostile/invalid")
    outcome, _ = await _alongside_good_feeds(sim, url)
    _assert_error(outcome, ParseError, url, "the feed is broken and has no readable entries")


@pytest.mark.parametrize("route", ["cp1251-as-latin1", "cp1251-unlabelled"])
async def test_wrong_charset_is_read_correctly(sim: Simulator, route: str) -> None:
    url = sim.publishers[0].url(f"/hostile/{route}")
    outcome, _ = await _alongside_good_feeds(sim, url)
    assert isinstance(outcome, Feed), outcome
    assert outcome.title == "Новости Оренбурга"
    assert outcome.entries[2].title == "Синоптики обещают сильные морозы на выходных"


async def test_default_options_refuse_loopback_without_any_request(
    sim: Simulator, connects: list[str]
) -> None:
    pub = sim.publishers[0]
    async with Fetcher() as fetcher:
        with pytest.raises(BlockedURLError, match="a loopback address") as caught:
            await fetcher.fetch(pub.feed_url)
    assert caught.value.url == pub.feed_url
    assert pub.stats.hits.total() == 0
    assert connects == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/feed",
        "gopher://x/",
        "http:///nohost",
        "http://[::1",
    ],
)
async def test_other_schemes_and_bad_urls_are_refused(url: str) -> None:
    async with Fetcher(loopback_options()) as fetcher:
        with pytest.raises(BlockedURLError) as caught:
            await fetcher.fetch(url)
    assert caught.value.url == url


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "224.0.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:10.0.0.1",
        "100.64.0.1",
        "240.0.0.1",
    ],
)
async def test_guard_refuses_non_public_addresses_even_with_loopback_allowed(
    address: str,
) -> None:
    host = f"[{address}]" if ":" in address else address
    async with Fetcher(loopback_options()) as fetcher:
        with pytest.raises(BlockedURLError, match="refusing"):
            await fetcher.fetch(f"http://{host}/feed.xml")


async def test_connect_time_check_guards_against_rebinding() -> None:
    """The backend re-resolves and re-checks at connect time, so a name that passed an
    earlier check but now points to a forbidden address is still refused."""
    backend = GuardedBackend(AddressPolicy.build(False, ()))
    with pytest.raises(BlockedURLError, match="loopback"):
        await backend.connect_tcp("localhost", 80)
    allowed = GuardedBackend(AddressPolicy.build(False, ["127.0.0.0/8"]))
    with pytest.raises(httpcore.ConnectError):  # allowed, so it really tries: nothing listens
        await allowed.connect_tcp("127.0.0.1", 9)


async def test_fetcher_connects_through_the_guard() -> None:
    fetcher = Fetcher()
    pool = fetcher._client._transport._pool  # type: ignore[attr-defined]
    assert isinstance(pool._network_backend, GuardedBackend)
    await fetcher.aclose()
