"""What each article of a story adds: the sentences and terms the other outlets do not have.

A pure comparison over the story's texts. A sentence counts as new when most of its word
3-gram shingles appear in no other outlet's article; articles from the same outlet (an
update of its own story, say) are not compared with each other, so an outlet's rewrite does
not hide what it says that nobody else does.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from newsfeed.stories._text import excerpt, terms

K = TypeVar("K")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A sentence ends at . ! ? (or their CJK forms), optionally closed by a quote or bracket,
# before whitespace; a line break always ends one (paragraphs, list items).
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[.!?。！？][\"'”’»)\]])\s+|\n+")


MIN_TERM_CHARS = 4
"""Shorter words are mostly function words of languages the stopword list does not cover."""


@dataclass(frozen=True, slots=True)
class Coverage:
    """One article of a story, as the comparison sees it."""

    article_id: int
    outlet: str
    text: str


@dataclass(frozen=True, slots=True)
class Addition:
    """What one article says that the other outlets' articles do not."""

    article_id: int
    sentences: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CompareOptions:
    shingle_words: int = 3
    novelty: float = 0.7
    """Share of a sentence's shingles found in no other outlet for it to count as new."""
    min_words: int = 6
    max_sentences: int = 3
    max_terms: int = 5
    excerpt_chars: int = 240


def what_each_adds(
    items: Sequence[Coverage], options: CompareOptions | None = None
) -> dict[int, Addition]:
    """For each article, at most ``max_sentences`` new sentences (in reading order, each cut
    at a word boundary) and ``max_terms`` content words only its outlet uses.

    With fewer than two outlets there is nothing to compare, and every article adds nothing.
    """
    opts = options or CompareOptions()
    if len({item.outlet for item in items}) < 2:
        return {item.article_id: Addition(item.article_id) for item in items}
    sentences = {i.article_id: _sentences(i.text, opts.shingle_words) for i in items}
    words = {i.article_id: terms(i.text) for i in items}
    shingle_owner: dict[tuple[str, ...], str | None] = {}  # None: more than one outlet
    term_owner: dict[str, str | None] = {}
    for item in items:
        for sentence in sentences[item.article_id]:
            _claim(shingle_owner, sentence.shingles, item.outlet)
        _claim(term_owner, words[item.article_id], item.outlet)
    out = {}
    said: dict[str, set[str]] = {}  # sentences already credited to an outlet's earlier article
    for item in items:
        mine = said.setdefault(item.outlet, set())
        new = [
            s
            for s in sentences[item.article_id]
            if _is_new(s, item.outlet, shingle_owner, opts) and s.key not in mine
        ]
        mine.update(s.key for s in new)
        own = [t for t in words[item.article_id] if term_owner[t] == item.outlet]
        out[item.article_id] = Addition(
            item.article_id, sentences=_best(new, opts), terms=_own_terms(own, opts.max_terms)
        )
    return out


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str
    words: tuple[str, ...]
    shingles: frozenset[tuple[str, ...]]

    @property
    def key(self) -> str:
        return " ".join(self.words)


def _sentences(text: str, size: int) -> list[_Sentence]:
    out = []
    for sentence in split_sentences(text):
        words = tuple(_WORD.findall(unicodedata.normalize("NFKC", sentence).casefold()))
        if len(words) < size:
            shingles = frozenset({words}) if words else frozenset()
        else:
            shingles = frozenset(words[i : i + size] for i in range(len(words) - size + 1))
        out.append(_Sentence(sentence, words, shingles))
    return out


def _claim(owner: dict[K, str | None], keys: Iterable[K], outlet: str) -> None:
    for key in keys:
        if key not in owner:
            owner[key] = outlet
        elif owner[key] != outlet:
            owner[key] = None


def split_sentences(text: str) -> list[str]:
    """``text`` cut into sentences, whitespace collapsed, empty pieces dropped."""
    pieces = (" ".join(p.split()) for p in _SENTENCE_END.split(text))
    return [p for p in pieces if p]


def _is_new(
    sentence: _Sentence,
    outlet: str,
    shingle_owner: dict[tuple[str, ...], str | None],
    opts: CompareOptions,
) -> bool:
    if len(sentence.words) < opts.min_words:
        return False  # datelines, captions, "Read more": too short to say anything
    own = sum(1 for s in sentence.shingles if shingle_owner[s] == outlet)
    return own / len(sentence.shingles) >= opts.novelty


def _best(new: list[_Sentence], opts: CompareOptions) -> tuple[str, ...]:
    """The longest new sentences (they carry the most), shown in reading order."""
    ranked = sorted(range(len(new)), key=lambda i: (-len(new[i].words), i))
    keep = sorted(ranked[: opts.max_sentences])
    return tuple(excerpt(new[i].text, opts.excerpt_chars) for i in keep)


def _own_terms(own: list[str], limit: int) -> tuple[str, ...]:
    counts = Counter(t for t in own if len(t) >= MIN_TERM_CHARS and not t.isdigit())
    # Ties go to longer words: names and specifics more than "four" or "week".
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
    return tuple(t for t, _ in ranked[:limit])
