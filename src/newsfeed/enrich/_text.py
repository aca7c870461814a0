"""Paragraphs and sentences as character spans, so every finding keeps its place in the text."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from newsfeed.enrich._gazetteer import words as _words

# Words that end with a period without ending a sentence ("Aug. 7", "U.S. President", "Mr. Smith").
_ABBREVIATIONS = frozenset(
    _words(
        """
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri
    sat sun mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev st jr sr inc
    corp ltd co no vs etc approx dept univ est fig al
    """
    )
)

_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
_PARAGRAPH = re.compile(r"[^\n]+")
OPENERS = " \"'“‘(["
"""What may come before a sentence's first word: it still starts the sentence."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def paragraphs(text: str) -> list[Span]:
    """Each non-empty line is a paragraph: extracted article text keeps one block per line."""
    return [Span(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([A-Za-z.]+)$", text[max(0, dot - 12) : dot])
    if not word:
        return False
    token = word.group(1)
    if token.lower().rstrip(".") in _ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "J.", "U.S", "U.N".
    return bool(re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", token))


def sentences(text: str) -> list[Span]:
    """Sentence spans inside paragraphs; a heuristic splitter that knows news abbreviations."""
    spans: list[Span] = []
    for para in paragraphs(text):
        start = para.start
        chunk = text[para.start : para.end]
        for m in _SENTENCE_END.finditer(chunk):
            dot = para.start + m.start()
            if text[dot] == "." and _ends_with_abbreviation(text, dot):
                continue
            end = para.start + m.end()
            spans.append(Span(start, end))
            start = end
            while start < para.end and text[start].isspace():
                start += 1
        if start < para.end:
            spans.append(Span(start, para.end))
    return spans


@dataclass(frozen=True)
class Layout:
    """Paragraph and sentence spans of one text, with lookups by character offset."""

    text: str

    @cached_property
    def paragraphs(self) -> list[Span]:
        return paragraphs(self.text)

    @cached_property
    def sentences(self) -> list[Span]:
        return sentences(self.text)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect_right(self._sentence_starts, offset) - 1)

    def sentence_at(self, offset: int) -> Span:
        if not self.sentences:
            return Span(0, len(self.text))
        return self.sentences[self.sentence_index(offset)]

    def paragraph_index(self, offset: int) -> int:
        return max(0, bisect_right(self._paragraph_starts, offset) - 1)

    def paragraph_at(self, offset: int) -> Span:
        if not self.paragraphs:
            return Span(0, len(self.text))
        return self.paragraphs[self.paragraph_index(offset)]
