"""`newsfeed reindex` rebuilds the same stories and duplicates that updates made."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.stories.test_step import WIRE

from newsfeed.store import open_store
from simulator import Simulator


def test_reindex_rebuilds_stories_and_duplicates(tmp_path: Path, shared_data: Path) -> None:
    env = dict(os.environ)
    env.pop("NEWSFEED_DATABASE_URL", None)
    env.update(NEWSFEED_HOME=str(tmp_path), NEWSFEED_ALLOW_PRIVATE_ADDRESSES="true")
    cmd = [sys.executable, "-m", "newsfeed"]
    with Simulator(publishers=2, items=3, pages=shared_data / "pages" / "fundus") as sim:
        for pub in sim.publishers:
            page = WIRE.format(title="Ceasefire extended by thirty days", extra="")
            pub.set_route("/articles/1.html", page.encode(), headers={"Content-Type": "text/html"})
            subprocess.run([*cmd, "add", pub.feed_url], env=env, check=True, timeout=60)
        subprocess.run([*cmd, "update"], env=env, check=True, timeout=300)
    store = open_store(f"sqlite:///{tmp_path / 'newsfeed.db'}")
    try:
        records = store.list_articles(limit=50).items
        links = {r.id: store.get_duplicates(r.id) for r in records}
        assert sum(1 for found in links.values() if found) == 2
        result = subprocess.run([*cmd, "reindex"], env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert "6 articles placed in stories" in result.stdout
        after = {r.id: store.get_article(r.id).story_id for r in records}
        assert None not in after.values()
        # The wire copies stay together, linked as duplicates, in one story.
        wire = [r.id for r in records if links[r.id]]
        assert len({after[i] for i in wire}) == 1
        assert {r.id: store.get_duplicates(r.id) for r in records} == links
        stories = store.list_stories(limit=50).items
        assert sum(len(s.article_ids) for s in stories) == 6
        assert set(_partition(after)) == {frozenset(s.article_ids) for s in stories}
    finally:
        store.close()


def _partition(story_of: dict[int, int | None]) -> set[frozenset[int]]:
    groups: dict[int | None, set[int]] = {}
    for article_id, story_id in story_of.items():
        groups.setdefault(story_id, set()).add(article_id)
    return {frozenset(g) for g in groups.values()}
