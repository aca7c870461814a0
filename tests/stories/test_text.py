"""Terms and word-boundary excerpts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfeed.stories._text import excerpt, terms

SEED_TEASER = (
    "President Trump has all the cards in his hands, Russian President Vladimir Putin's aide "
    "said. A day later the Kremlin confirmed the summit."
)


def test_terms_drop_stopwords_and_possessives() -> None:
    assert terms("Trump's talks with Putin: Zelensky says 'no' to the plan") == [
        "trump",
        "talks",
        "putin",
        "zelensky",
        "plan",
    ]


def test_excerpt_of_the_seed_teaser_never_cuts_mid_word() -> None:
    cut = excerpt(SEED_TEASER, 90)
    assert cut.endswith("…")
    assert "A day lat" not in cut
    assert SEED_TEASER.startswith(cut[:-1])
    assert SEED_TEASER[len(cut) - 1] == " "


def test_short_text_is_returned_whole_without_ellipsis() -> None:
    assert excerpt("  A short\n lead.  ", 200) == "A short lead."


def test_a_single_overlong_word_is_kept_whole() -> None:
    assert excerpt("Donaudampfschifffahrtsgesellschaft sank", 10) == (
        "Donaudampfschifffahrtsgesellschaft…"
    )


def test_japanese_is_cut_between_characters_or_after_punctuation() -> None:
    text = (
        "気象庁は13日、午後9時19分ごろ、日向灘で震度5弱の地震があったと発表した。"
        "震源の深さは約30キロ。"
    )
    cut = excerpt(text, 30)
    assert cut.endswith("…")
    assert len(cut) <= 30
    assert text.startswith(cut[:-1])
    assert cut[:-1].endswith("、")


def test_bad_length_is_refused() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        excerpt("text", 0)


words = st.lists(
    # spaced scripts only: text without spaces is cut between characters by design
    st.text(
        alphabet=st.characters(categories=("L", "N", "P"), max_codepoint=0x2FFF),
        min_size=1,
        max_size=12,
    ),
    min_size=1,
    max_size=60,
)


@given(words=words, limit=st.integers(min_value=1, max_value=120))
def test_excerpt_is_a_whole_word_prefix(words: list[str], limit: int) -> None:
    text = " ".join(words)
    cut = excerpt(text, limit)
    if cut == text:
        return
    assert cut.endswith("…")
    kept = cut[:-1].split(" ")
    # every kept word is a whole word of the text, in order, from the start
    assert kept == words[: len(kept)] or kept[-1] == words[len(kept) - 1].rstrip(" ,;:—–-")
    if len(kept) > 1:
        assert len(cut) <= limit
