"""Rebuilding stories and duplicate links from stored articles."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from newsfeed.stories import StoryArticle, rebuild
from newsfeed.stories._evaluate import bcubed, load_uci


def test_rebuild_resolves_merges_and_links_copies(shared_data: Path) -> None:
    heads = load_uci(shared_data / "stories" / "uci-dev.csv")[:1200]
    articles = [StoryArticle(h.id, h.title, h.published, publisher=h.publisher) for h in heads]
    wire = heads[0]
    body = (
        "Philadelphia Fed President Charles Plosser said weak economic data in recent months "
        "was caused largely by the harsh winter weather and should not slow the pace at "
        "which the central bank reduces its bond purchases, he told reporters on Monday."
    )
    articles[0] = StoryArticle(wire.id, wire.title, wire.published, body, publisher="Reuters")
    copy = StoryArticle(
        999_999,
        wire.title,
        wire.published + timedelta(minutes=5),
        text="(Reuters) " + body,
        publisher="Another outlet",
    )
    result = rebuild(reversed([*articles, copy]))  # order of input does not matter
    assert set(result.story_of) == {a.article_id for a in [*articles, copy]}
    # every article points at a story that still exists, with its state
    assert set(result.story_of.values()) == set(result.stories)
    sizes = dict.fromkeys(result.stories, 0)
    for sid in result.story_of.values():
        sizes[sid] += 1
    assert all(result.stories[sid].article_count == n for sid, n in sizes.items())
    assert result.duplicates == {999_999: (wire.id,)}  # headlines alone link nothing
    assert result.story_of[999_999] == result.story_of[wire.id]
    by_id = {h.id: h.story for h in heads}
    labels = [result.story_of[h.id] for h in heads]
    assert bcubed(labels, [by_id[h.id] for h in heads]).f1 > 0.8
    # the rebuilt clusterer carries on incrementally
    assert len(result.clusterer) >= 1
    assert len(result.index) == 2
