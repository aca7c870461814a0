"""The fetcher against real loopback servers: the ordinary, polite paths."""

from __future__ import annotations

import gzip
import time

import anyio
import brotli
import pytest
from tests.simulator import Knobs, Simulator, loopback_options

from newsfeed.errors import BlockedURLError, FetchError, HTTPStatusError
from newsfeed.fetch import DEFAULT_USER_AGENT, Fetcher

pytestmark = pytest.mark.anyio


async def test_fetches_feed_with_validators_and_user_agent(sim: Simulator) -> None:
    pub = sim.publishers[0]
    async with Fetcher(loopback_options()) as fetcher:
        result = await fetcher.fetch(pub.feed_url)
    assert result.status == 200
    assert result.url == pub.feed_url
    assert result.content_type == "application/rss+xml"
    assert result.charset == "utf-8"
    assert b"<rss" in result.body
    assert "Story number 0" in result.text
    assert result.etag
    assert result.last_modified
    assert not result.not_modified
    assert pub.stats.user_agents == {DEFAULT_USER_AGENT}
    assert DEFAULT_USER_AGENT.startswith("newsfeed/")


async def test_conditional_get_answers_not_modified_without_body(sim: Simulator) -> None:
    pub = sim.publishers[0]
    async with Fetcher(loopback_options()) as fetcher:
        first = await fetcher.fetch(pub.feed_url)
        again = await fetcher.fetch(
            pub.feed_url, etag=first.etag, last_modified=first.last_modified
        )
        by_date = await fetcher.fetch(pub.feed_url, last_modified=first.last_modified)
    assert again.not_modified
    assert again.status == 304
    assert again.body == b""
    assert again.etag == first.etag
    assert again.last_modified == first.last_modified
    assert by_date.not_modified
    assert pub.stats.statuses[304] == 2


async def test_changed_content_gets_full_answer_despite_old_etag(sim: Simulator) -> None:
    pub = sim.publishers[0]
    async with Fetcher(loopback_options()) as fetcher:
        first = await fetcher.fetch(pub.article_url(1))
        pub.edit_story(1)
        second = await fetcher.fetch(pub.article_url(1), etag=first.etag)
    assert not second.not_modified
    assert second.etag != first.etag
    assert "Editor's note: The story was updated" in second.text
    assert "revised after publication" in second.text


async def test_gzip_and_brotli_bodies_are_decoded(sim: Simulator) -> None:
    pub = sim.publishers[0]
    page = "<html><body>" + "Mädchen spricht. " * 500 + "</body></html>"
    pub.set_route(
        "/gz",
        gzip.compress(page.encode()),
        headers={"Content-Encoding": "gzip", "Content-Type": "text/html; charset=utf-8"},
    )
    pub.set_route(
        "/br",
        brotli.compress(page.encode()),
        headers={"Content-Encoding": "br", "Content-Type": "text/html; charset=utf-8"},
    )
    async with Fetcher(loopback_options()) as fetcher:
        gz = await fetcher.fetch(pub.url("/gz"))
        br = await fetcher.fetch(pub.url("/br"))
    assert gz.text == page
    assert br.text == page


async def test_redirects_are_followed_and_listed(sim: Simulator) -> None:
    pub = sim.publishers[0]
    async with Fetcher(loopback_options()) as fetcher:
        result = await fetcher.fetch(pub.url("/redirect/feed.xml"))
    assert result.url == pub.feed_url
    assert result.redirects == (pub.url("/redirect/feed.xml"),)


async def test_http_error_status_is_reported_with_status(sim: Simulator) -> None:
    pub = sim.publishers[0]
    async with Fetcher(loopback_options()) as fetcher:
        with pytest.raises(HTTPStatusError, match="404") as caught:
            await fetcher.fetch(pub.url("/no-such-page"))
    assert caught.value.status == 404
    assert caught.value.url == pub.url("/no-such-page")


async def test_retries_5xx_and_429_then_succeeds(sim: Simulator) -> None:
    pub = sim.publishers[0]
    pub.knobs.fail_next = [503, 500, 429]
    pub.knobs.retry_after = "0"
    async with Fetcher(loopback_options(retries=3)) as fetcher:
        result = await fetcher.fetch(pub.feed_url)
    assert result.status == 200
    assert pub.stats.hits["/feed.xml"] == 4


async def test_gives_up_after_retries_with_last_status(sim: Simulator) -> None:
    pub = sim.publishers[0]
    pub.knobs.fail_next = [500] * 10
    async with Fetcher(loopback_options(retries=2)) as fetcher:
        with pytest.raises(HTTPStatusError, match="500") as caught:
            await fetcher.fetch(pub.feed_url)
    assert caught.value.status == 500
    assert pub.stats.hits["/feed.xml"] == 3


async def test_retry_after_seconds_is_honoured(sim: Simulator) -> None:
    pub = sim.publishers[0]
    pub.knobs.fail_next = [429]
    pub.knobs.retry_after = "1"
    async with Fetcher(loopback_options(backoff_base=0.0)) as fetcher:
        started = time.monotonic()
        await fetcher.fetch(pub.feed_url)
    assert time.monotonic() - started >= 0.95


async def test_retry_after_beyond_cap_fails_at_once(sim: Simulator) -> None:
    pub = sim.publishers[0]
    pub.knobs.fail_next = [503]
    pub.knobs.retry_after = "3600"
    async with Fetcher(loopback_options(max_retry_after=30)) as fetcher:
        started = time.monotonic()
        with pytest.raises(HTTPStatusError, match="retry after 3600 s"):
            await fetcher.fetch(pub.feed_url)
    assert time.monotonic() - started < 2


async def test_backoff_grows_between_attempts(sim: Simulator) -> None:
    pub = sim.publishers[0]
    pub.knobs.fail_next = [500, 500, 500]
    pub.knobs.retry_after = ""
    async with Fetcher(loopback_options(backoff_base=0.1, retries=3)) as fetcher:
        started = time.monotonic()
        await fetcher.fetch(pub.feed_url)
    # waits of 0.1–0.2, 0.2–0.4 and 0.4–0.8 seconds
    assert 0.7 <= time.monotonic() - started < 3


async def test_robots_txt_disallow_blocks_and_is_fetched_once(sim: Simulator) -> None:
    pub = sim.publishers[0]
    pub.knobs.robots = "User-agent: newsfeed\nDisallow: /articles/3.html\n"
    async with Fetcher(loopback_options()) as fetcher:
        with pytest.raises(BlockedURLError, match=r"robots\.txt .* disallows"):
            await fetcher.fetch(pub.article_url(3))
        await fetcher.fetch(pub.article_url(1))
        await fetcher.fetch(pub.article_url(2))
    assert pub.stats.hits["/robots.txt"] == 1
    assert pub.stats.hits["/articles/3.html"] == 0


async def test_robots_can_be_ignored_when_asked(sim: Simulator) -> None:
    pub = sim.publishers[0]
    pub.knobs.robots = "User-agent: *\nDisallow: /\n"
    async with Fetcher(loopback_options(respect_robots=False)) as fetcher:
        await fetcher.fetch(pub.feed_url)
    assert pub.stats.hits["/robots.txt"] == 0


async def test_per_host_concurrency_is_limited_at_the_server() -> None:
    knobs = Knobs(latency=0.2)
    with Simulator(publishers=2, items=8, knobs=knobs) as sim:
        a, b = sim.publishers
        options = loopback_options(per_host_concurrency=2)
        async with Fetcher(options) as fetcher, anyio.create_task_group() as tg:
            for pub in (a, b):
                for i in range(8):
                    tg.start_soon(fetcher.fetch, pub.article_url(i))
    assert a.stats.max_active == 2
    assert b.stats.max_active == 2


async def test_global_concurrency_is_limited() -> None:
    knobs = Knobs(latency=0.2)
    with Simulator(publishers=4, items=3, knobs=knobs) as sim:
        options = loopback_options(
            per_host_concurrency=3, global_concurrency=2, respect_robots=False
        )
        active = []
        async with Fetcher(options) as fetcher, anyio.create_task_group() as tg:
            for pub in sim.publishers:
                for i in range(3):
                    tg.start_soon(fetcher.fetch, pub.article_url(i))
            while sum(p.stats.hits.total() for p in sim.publishers) < 12:
                active.append(sum(p.stats.active for p in sim.publishers))
                await anyio.sleep(0.02)
    assert max(active) <= 2


async def test_per_host_delay_spaces_requests() -> None:
    with Simulator(publishers=1, items=3) as sim:
        pub = sim.publishers[0]
        async with Fetcher(loopback_options(per_host_delay=0.3, respect_robots=False)) as fetcher:
            started = time.monotonic()
            async with anyio.create_task_group() as tg:
                for i in range(3):
                    tg.start_soon(fetcher.fetch, pub.article_url(i))
            elapsed = time.monotonic() - started
    # three starts spaced 0.3 s apart: the last begins at 0.6 s
    assert elapsed >= 0.6


async def test_connection_refused_is_retried_then_reported() -> None:
    with Simulator() as sim:
        url = sim.publishers[0].feed_url
    # the server is gone: nothing listens on that port any more
    async with Fetcher(loopback_options(retries=2, backoff_base=0.01)) as fetcher:
        with pytest.raises(FetchError, match="connection failed") as caught:
            await fetcher.fetch(url)
    assert caught.value.url == url


async def test_robots_crawl_delay_spaces_requests_up_to_a_cap() -> None:
    with Simulator(publishers=1, items=3) as sim:
        pub = sim.publishers[0]
        pub.knobs.robots = "User-agent: *\nCrawl-delay: 60\n"
        options = loopback_options(per_host_delay=0.0, max_crawl_delay=0.3)
        async with Fetcher(options) as fetcher:
            started = time.monotonic()
            async with anyio.create_task_group() as tg:
                for i in range(3):
                    tg.start_soon(fetcher.fetch, pub.article_url(i))
            elapsed = time.monotonic() - started
    assert 0.6 <= elapsed < 3  # 60 s asked, capped at 0.3 s between starts
