"""Fetcher throughput against the publisher simulator on loopback.

Round 1 fetches every publisher's feed (and robots.txt) and parses it; round 2 fetches them
all again with their validators, so every server answers 304; round 3 fetches every
article page. Prints wall times and rates.

    uv run python bench/fetch.py [--publishers 200] [--items 50] [--pages 10]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import anyio

from newsfeed._simulator_process import SimulatorProcess
from newsfeed.feeds import parse_feed
from newsfeed.fetch import Fetcher, FetchOptions, FetchResult

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


async def _all(fetcher: Fetcher, calls: list[tuple[str, str | None]]) -> list[FetchResult]:
    results: list[FetchResult | None] = [None] * len(calls)

    async def one(index: int, url: str, etag: str | None) -> None:
        results[index] = await fetcher.fetch(url, etag=etag)

    async with anyio.create_task_group() as tg:
        for index, (url, etag) in enumerate(calls):
            tg.start_soon(one, index, url, etag)
    return [r for r in results if r is not None]


async def run(publishers: int, items: int, pages_per_feed: int) -> None:
    pages = DATA / "pages" / "fundus"
    # The servers run in a child process so they do not compete for this one's GIL.
    with SimulatorProcess(publishers, items, pages=pages if pages.is_dir() else None) as sim:
        options = FetchOptions(
            allowed_networks=("127.0.0.0/8",), per_host_delay=0.0, global_concurrency=64
        )
        async with Fetcher(options) as fetcher:
            feeds = [(p["feed_url"], None) for p in sim.publishers]
            started = time.perf_counter()
            first = await _all(fetcher, feeds)
            entries = sum(len(parse_feed(r.body, r.url).entries) for r in first)
            full = time.perf_counter() - started

            started = time.perf_counter()
            second = await _all(fetcher, [(r.url, r.etag) for r in first])
            not_modified = time.perf_counter() - started
            assert all(r.not_modified for r in second)

            articles = [
                (url, None) for p in sim.publishers for url in p["articles"][:pages_per_feed]
            ]
            started = time.perf_counter()
            fetched = await _all(fetcher, articles)
            page_time = time.perf_counter() - started
    megabytes = sum(len(r.body) for r in fetched) / 1e6
    print(f"publishers: {publishers}, entries parsed: {entries}")
    print(f"round 1, feeds + robots.txt + parse: {full:.2f} s")
    print(f"round 2, all answer 304:              {not_modified:.2f} s")
    print(
        f"article pages: {len(fetched)} in {page_time:.2f} s = "
        f"{len(fetched) / page_time:.0f} pages/s, {megabytes / page_time:.1f} MB/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--publishers", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--pages", type=int, default=10, help="article pages per publisher")
    args = parser.parse_args()
    anyio.run(run, args.publishers, args.items, args.pages)


if __name__ == "__main__":
    main()
