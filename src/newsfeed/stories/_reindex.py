"""``newsfeed reindex``: rebuild duplicates and stories from the stored articles.

It forgets every story, link, vector and saved state, then feeds the stored articles, oldest
first, through the same ``StoryStep`` the update pipeline uses, and updates carry on from the state
it leaves. Online clustering depends on arrival order, so stories may come out slightly
different from those the updates made (which saw articles in fetch order).
"""

from __future__ import annotations

from collections.abc import Callable

from newsfeed.store import Storage
from newsfeed.stories.step import StoryStep
from newsfeed.update import StoredArticle

BATCH = 256


def reindex(
    store: Storage,
    step: StoryStep | None = None,
    on_batch: Callable[[int], None] = lambda done: None,
) -> int:
    """Rebuild; returns how many articles were placed. ``on_batch`` gets the count so far."""
    step = step or StoryStep()
    store.reset_stories()
    done = 0
    after = None
    while batch := store.articles_in_order(after=after, limit=BATCH):
        step(store, [StoredArticle(r.id, r.article, created=True) for r in batch])
        done += len(batch)
        on_batch(done)
        after = batch[-1].order_key
    return done
