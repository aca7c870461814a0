"""Name candidates: the word scan that passes over plain words finds the same runs of
capitals as a scan that makes a token of every word."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfeed.enrich import _gazetteer as gaz
from newsfeed.enrich._candidates import (
    _CONNECTORS,
    _ELIDED,
    _TOKEN,
    _TRAILERS,
    Token,
    _bare,
    _runs,
    _tokens,
)

_OTHER = Token("", -1, -1, False, False, "")


def _every_word(text: str) -> list[Token]:
    """The plain reference: a token for every word, a placeholder for those that cannot be
    part of a name."""
    out = []
    for m in _TOKEN.finditer(text):
        word, possessive = m.group(), False
        if word[-1] in _TRAILERS or "-" in word:
            word, possessive = _bare(word)
            if not word:
                continue
        at = m.start()
        if word[0].isupper() or (word[0] in "dla" and _ELIDED.match(word)):
            out.append(Token(word, at, at + len(word), possessive, True, gaz.fold(word)))
        elif gaz.fold(word) in _CONNECTORS:
            out.append(Token(word, at, at + len(word), possessive, False, gaz.fold(word)))
        else:
            out.append(_OTHER)
    return out


def _texts(tokens: list[list[Token]]) -> list[list[str]]:
    return [[t.text for t in run] for run in tokens]


def test_connectors_are_kept_after_a_name_and_plain_words_left_out() -> None:
    # "on" and "la" follow plain words, so they cannot join two capitalised words.
    text = "the Bank of France said on Monday that la Paz and O'Brien's d’Alene fund of 3rd"
    words = [t.text for t in _tokens(text)]
    assert words == ["the", "Bank", "of", "France", "Monday", "Paz", "O'Brien", "d’Alene"]
    runs = _texts(_runs(text, _tokens(text)))
    assert runs == [["Bank", "of", "France"], ["Monday"], ["Paz"], ["O'Brien"], ["d’Alene"]]
    assert runs == _texts(_runs(text, _every_word(text)))


def test_a_scan_of_part_of_the_text_keeps_offsets_into_the_whole() -> None:
    text = "Intro. Then Vladimir Putin spoke"
    assert [(t.text, t.start) for t in _tokens(text, 7, len(text))] == [
        ("Then", 7),
        ("Vladimir", 12),
        ("Putin", 21),
    ]


_WORDS = st.sampled_from(
    [
        "the",
        "of",
        "de",
        "van",
        "for",
        "on",
        "y",
        "&",
        "said",
        "dogs'",
        "it's",
        "U.S.",
        "Bank",
        "France",
        "O'Brien",
        "d’Alene",
        "al-Assad",
        "Kremlin-backed",
        "3rd",
        "42",
        "x_y",
        "iPhone",
        "Ötzi",
        "über",
        "Dé",
        "dé",
        "thé",
        "-",
        "—",
        "Mr.",
        "co-op",
        "Smith's",
    ]
)
_GAPS = st.sampled_from([" ", "  ", ", ", ". ", "\n", " (", "’ ", "-", "", "_"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_WORDS, _GAPS), max_size=25))
def test_the_same_runs_as_a_token_for_every_word(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in parts)
    assert _runs(text, _tokens(text)) == _runs(text, _every_word(text))


def test_the_same_runs_on_a_real_story(shared_data: Path) -> None:
    text = (shared_data / "seed" / "news-feed-article.txt").read_text(encoding="utf-8")
    assert len(_runs(text, _tokens(text))) > 50
    for line in text.splitlines():
        assert _runs(line, _tokens(line)) == _runs(line, _every_word(line))


def test_capital_runs_on_sample_sentences() -> None:
    text = "US President Donald Trump met Russia's President Vladimir Putin in Helsinki."
    runs = _texts(_runs(text, _tokens(text)))
    assert runs == [
        ["US", "President", "Donald", "Trump"],
        ["Russia"],
        ["President", "Vladimir", "Putin"],
        ["Helsinki"],
    ]
