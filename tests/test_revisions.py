"""word_diff: word-level, whitespace-blind, merged runs that rebuild both texts."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from newsfeed.revisions import word_diff
from newsfeed.types import DiffChunk

words = st.lists(st.sampled_from(["a", "b", "c", "drones", "Kyiv", "—", "40", "45"]), max_size=30)
spaces = st.sampled_from([" ", "  ", "\n", "\n\n", "\t"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(words)
    return "".join(draw(spaces) + p if i else p for i, p in enumerate(parts)) + draw(
        st.sampled_from(["", " ", "\n"])
    )


def test_a_replaced_word() -> None:
    assert word_diff("Russia launched 40 drones", "Russia launched 45 drones") == (
        DiffChunk("equal", "Russia launched"),
        DiffChunk("delete", " 40"),
        DiffChunk("insert", " 45"),
        DiffChunk("equal", " drones"),
    )


def test_identical_and_empty() -> None:
    assert word_diff("same text", "same text") == (DiffChunk("equal", "same text"),)
    assert word_diff("", "") == ()
    assert word_diff("", "new") == (DiffChunk("insert", "new"),)
    assert word_diff("old", "") == (DiffChunk("delete", "old"),)


def test_whitespace_is_not_a_change() -> None:
    diff = word_diff("one two\nthree", "one  two three")
    assert [c.op for c in diff] == ["equal"]
    assert diff[0].text == "one  two three"


@given(texts(), texts())
def test_chunks_rebuild_both_texts(old: str, new: str) -> None:
    diff = word_diff(old, new)
    assert "".join(c.text for c in diff if c.op != "delete") == new
    assert "".join(c.text for c in diff if c.op != "insert").split() == old.split()
    assert all(c.text for c in diff)
    assert all(a.op != b.op for a, b in itertools.pairwise(diff))
