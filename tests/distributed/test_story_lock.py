"""Story clustering from several worker processes: one clusterer, passed on through the
database under a Redis lock, so copies stored by different workers meet in one story."""

from __future__ import annotations

import threading
import time
from contextlib import AbstractContextManager

from newsfeed.distributed._config import redis_lock
from newsfeed.store import NewArticle, open_store
from newsfeed.stories.step import StoryStep
from newsfeed.types import Article
from newsfeed.update import StoredArticle

BODY = (
    "Negotiators from both countries agreed late on Thursday to extend the ceasefire by thirty "
    "days, according to officials familiar with the talks. The agreement, reached after eleven "
    "hours of talks at a lakeside hotel, allows aid convoys to reach the besieged towns."
)


def stored(store_url: str, n: int) -> StoredArticle:
    article = Article(title="Ceasefire extended by thirty days", url=f"https://o{n}.example/a",
                      text=BODY, site_name=f"Outlet {n}")  # fmt: skip
    store = open_store(store_url)
    try:
        [result] = store.upsert_articles([NewArticle(article)])
    finally:
        store.close()
    return StoredArticle(result.article_id, article, created=True)


def test_copies_placed_by_different_workers_share_a_story(pg_url: str, redis_url: str) -> None:
    lock = redis_lock(redis_url, "stories")
    workers = [StoryStep().with_lock(lock) for _ in range(2)]
    store = open_store(pg_url)
    try:
        first, second, third = (stored(pg_url, n) for n in range(3))
        workers[0](store, [first])
        workers[1](store, [second])
        workers[0](store, [third])
        ids = [s.article_id for s in (first, second, third)]
        stories = {store.get_article(i).story_id for i in ids}
        assert len(stories) == 1
        assert store.get_duplicates(ids[2]) == ids[:2]
        [story_id] = stories
        assert story_id is not None
        assert store.get_story(story_id).outlet_count == 3
    finally:
        store.close()


def test_the_lock_keeps_the_others_waiting(redis_url: str) -> None:
    lock = redis_lock(redis_url, "stories")
    held: list[tuple[float, float]] = []

    def hold(make: AbstractContextManager[object]) -> None:
        with make:
            start = time.monotonic()
            time.sleep(0.3)
            held.append((start, time.monotonic()))

    threads = [threading.Thread(target=hold, args=(lock(),)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (_, first_end), (second_start, _) = sorted(held)
    assert second_start >= first_end
