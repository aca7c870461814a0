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
from collections.abc import Sequence
from dataclasses import dataclass

from newsfeed.stories._text import excerpt, terms

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
    sentences = {item.article_id: split_sentences(item.text) for item in items}
    shingle_outlets: dict[tuple[str, ...], set[str]] = {}
    term_outlets: dict[str, set[str]] = {}
    for item in items:
        for sentence in sentences[item.article_id]:
            for shingle in _shingles(sentence, opts.shingle_words):
                shingle_outlets.setdefault(shingle, set()).add(item.outlet)
        for term in set(terms(item.text)):
            term_outlets.setdefault(term, set()).add(item.outlet)
    out = {}
    said: dict[str, set[str]] = {}  # sentences already credited to an outlet's earlier article
    for item in items:
        mine = said.setdefault(item.outlet, set())
        new = [
            s
            for s in sentences[item.article_id]
            if _is_new(s, item.outlet, shingle_outlets, opts) and _key(s) not in mine
        ]
        mine.update(_key(s) for s in new)
        out[item.article_id] = Addition(
            item.article_id,
            sentences=_best(new, opts),
            terms=_own_terms(item, term_outlets, opts.max_terms),
        )
    return out


def split_sentences(text: str) -> list[str]:
    """``text`` cut into sentences, whitespace collapsed, empty pieces dropped."""
    pieces = (" ".join(p.split()) for p in _SENTENCE_END.split(text))
    return [p for p in pieces if p]


def _words(sentence: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", sentence).casefold())


def _shingles(sentence: str, size: int) -> set[tuple[str, ...]]:
    words = _words(sentence)
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def _key(sentence: str) -> str:
    return " ".join(_words(sentence))


def _is_new(
    sentence: str,
    outlet: str,
    shingle_outlets: dict[tuple[str, ...], set[str]],
    opts: CompareOptions,
) -> bool:
    if len(_words(sentence)) < opts.min_words:
        return False  # datelines, captions, "Read more": too short to say anything
    shingles = _shingles(sentence, opts.shingle_words)
    own = sum(1 for s in shingles if shingle_outlets[s] == {outlet})
    return own / len(shingles) >= opts.novelty


def _best(new: list[str], opts: CompareOptions) -> tuple[str, ...]:
    """The longest new sentences (they carry the most), shown in reading order."""
    ranked = sorted(range(len(new)), key=lambda i: (-len(_words(new[i])), i))
    keep = sorted(ranked[: opts.max_sentences])
    return tuple(excerpt(new[i], opts.excerpt_chars) for i in keep)


def _own_terms(item: Coverage, term_outlets: dict[str, set[str]], limit: int) -> tuple[str, ...]:
    counts = Counter(t for t in terms(item.text) if term_outlets[t] == {item.outlet})
    ranked = sorted(
        # Ties go to longer words: names and specifics more than "four" or "week".
        ((t, n) for t, n in counts.items() if len(t) >= MIN_TERM_CHARS and not t.isdigit()),
        key=lambda kv: (-kv[1], -len(kv[0]), kv[0]),
    )
    return tuple(t for t, _ in ranked[:limit])
