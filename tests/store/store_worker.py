"""A separate process that uses a store, for the concurrency and crash tests.

    python store_worker.py URL write SECONDS     upsert small batches (new and changed stories)
    python store_worker.py URL read SECONDS      list, search, count and read stories
    python store_worker.py URL batch N SIZE      store N stories in batches of SIZE

Prints what it did; any error goes to stderr with exit status 1.
"""

from __future__ import annotations

import sys
import time
import traceback
from datetime import UTC, datetime, timedelta

from newsfeed.store import NewArticle, open_store
from newsfeed.types import Article, Author

BODY = " ".join(
    [
        "Officials",
        "said",
        "the",
        "drones",
        "struck",
        "energy",
        "infrastructure",
        "in",
        "the",
        "region",
        "overnight",
    ]
    * 12
)


def story(n: int, version: int = 0) -> NewArticle:
    return NewArticle(
        Article(
            title=f"Story {n} edition {version}",
            url=f"https://worker.example/{n}",
            text=f"Story {n}. {BODY} Edition {version}.",
            published=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=n),
            authors=(Author(f"Reporter {n % 7}"),),
        ),
        guid=f"w{n}",
    )


def write(url: str, seconds: float) -> None:
    with open_store(url) as store:
        end, n, batches = time.monotonic() + seconds, 0, 0
        while time.monotonic() < end:
            batch = [story(n + i) for i in range(20)] + [story(max(n - 5, 0), version=n)]
            store.upsert_articles(batch)
            n, batches = n + 20, batches + 1
        print(f"wrote {batches} batches")


def read(url: str, seconds: float) -> None:
    with open_store(url) as store:
        end, ops = time.monotonic() + seconds, 0
        while time.monotonic() < end:
            page = store.list_articles(limit=20)
            if page.next_cursor:
                store.list_articles(cursor=page.next_cursor, limit=20)
            store.search("drones energy", limit=10)
            store.count_articles()
            if page.items:
                store.get_revisions(page.items[0].id)
            ops += 1
        print(f"read {ops} rounds")


def batch(url: str, total: int, size: int) -> None:
    with open_store(url) as store:
        for start in range(0, total, size):
            print(f"begin {start // size}", flush=True)
            store.upsert_articles([story(n) for n in range(start, min(start + size, total))])
            print(f"committed {start // size}", flush=True)


def main() -> None:
    url, mode, *args = sys.argv[1:]
    try:
        if mode == "write":
            write(url, float(args[0]))
        elif mode == "read":
            read(url, float(args[0]))
        else:
            batch(url, int(args[0]), int(args[1]))
    except Exception:
        traceback.print_exc()
        sys.exit(1)


if __name__ == "__main__":
    main()
