"""Related stories: same story first, then shared entities and terms, with clean excerpts."""

from __future__ import annotations

import json
from pathlib import Path

from newsfeed.stories import RelatedCandidate, RelatedOptions, related_articles

SUMMIT = RelatedCandidate(
    1,
    "Putin aide says Trump holds the cards ahead of Alaska summit",
    "Kremlin aide Yuri Ushakov said President Trump has all the cards before the summit.",
    story_id=10,
    entities=frozenset({"person:putin", "person:trump", "person:ushakov"}),
)
SAME_STORY = RelatedCandidate(
    2,
    "Summit date set",
    "The White House confirmed the date of the meeting in Anchorage on Friday morning.",
    story_id=10,
)
SHARED = RelatedCandidate(
    3,
    "Zelensky warns against deals over Ukraine's head",
    "Zelensky said Putin and Trump cannot decide Ukraine's borders without Kyiv.",
    story_id=11,
    entities=frozenset({"person:zelensky", "person:putin", "person:trump"}),
)
TERMS = RelatedCandidate(
    4,
    "What to expect from the Alaska summit",
    "The summit in Alaska will be the first meeting of the two presidents since 2019.",
    story_id=12,
)
UNRELATED = RelatedCandidate(
    5,
    "Local bakery wins bread award",
    "A family bakery in Leeds won the national sourdough prize for the third year.",
    story_id=13,
)


def test_same_story_first_then_entities_then_terms() -> None:
    found = related_articles(SUMMIT, [UNRELATED, TERMS, SHARED, SAME_STORY, SUMMIT])
    assert [r.article_id for r in found] == [2, 3, 4]
    assert [r.reason for r in found] == ["same story", "shared entities", "similar terms"]
    assert found[1].shared == ("person:putin", "person:trump")
    assert "summit" in found[2].shared


def test_excluded_ids_and_the_article_itself_are_left_out() -> None:
    found = related_articles(SUMMIT, [SUMMIT, SAME_STORY, SHARED], exclude=frozenset({2}))
    assert [r.article_id for r in found] == [3]


def test_limit_and_empty_pool() -> None:
    assert related_articles(SUMMIT, []) == []
    found = related_articles(SUMMIT, [SAME_STORY, SHARED, TERMS], RelatedOptions(limit=1))
    assert [r.article_id for r in found] == [2]


def test_excerpts_are_cut_at_word_boundaries(shared_data: Path) -> None:
    pool = []
    for number, case in enumerate(sorted((shared_data / "pages" / "fundus").glob("*/*/"))[:40]):
        expected = json.loads((case / "expected.json").read_text())
        body = expected["body"]
        paragraphs = list(body.get("summary") or [])
        for section in body.get("sections") or []:
            paragraphs += section.get("paragraphs") or []
        pool.append(
            RelatedCandidate(number + 100, expected["title"], " ".join(paragraphs), story_id=1)
        )
    article = RelatedCandidate(1, "anything", "", story_id=1)
    found = related_articles(article, pool, RelatedOptions(limit=40, excerpt_chars=120))
    assert len(found) == len(pool)
    by_id = {c.article_id: c for c in pool}
    for related in found:
        text = " ".join(by_id[related.article_id].text.split()) or by_id[related.article_id].title
        if related.excerpt == text:
            continue
        assert related.excerpt.endswith("…")
        assert len(related.excerpt) <= 120
        kept = related.excerpt[:-1]
        assert text.startswith(kept)
        # the cut falls before a space or dropped punctuation, or between CJK characters
        following = text[len(kept)]
        assert (
            following in " ,;:—–-"
            or kept[-1] in "。、，"
            or (ord(kept[-1]) > 0x3000 < ord(following))
        )
