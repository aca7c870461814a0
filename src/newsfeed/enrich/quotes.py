"""Direct quotes with their speakers, and the sources an article cites.

A quote is the text between quotation marks (“ ”, " ", « », „ “). Its speaker comes from,
in order: a cue after it (`"…," Ushakov said`, `"…," said Ushakov`, `"…," the Ukrainian
president said on X`); a cue before it in the same sentence (`Ushakov claimed that Witkoff
"raised …"`, `Zelensky said: "…"`); another attributed quote in the same paragraph; or, for a
paragraph that is nothing but a quote, the speaker of the quote before it (a quote running over
several paragraphs). Pronouns go to the last person named; descriptions ("the Ukrainian
president") go to the last person whose stated role fits, without a clashing nationality.

Cited sources are organisations the article attributes information to: "according to the
Russian state news agency TASS", "The New York Times reported", "told Reuters".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsfeed.enrich._speakers import AUX, CUE, NAME, SPEAKER, Resolver, Who
from newsfeed.enrich._text import Layout, Span
from newsfeed.enrich.entities import Entity, extract_entities

__all__ = ["CitedSource", "Quote", "cited_sources", "extract_quotes"]

_OPEN = {"“": "”", "«": "»", "„": "“", '"': '"'}
_MIN_WORDS = 4
# Transcript lines ("PENCE: Well, look, …") name their speaker; they are not quotes to attribute.
_LABEL = re.compile(r"[A-Z][A-Z .'’-]{1,30}:\s")


@dataclass(frozen=True)
class Quote:
    """Quoted words (without the marks) at ``text[start:end]``, and who said them."""

    text: str
    speaker: str | None
    speaker_key: str | None
    cue: str | None
    start: int
    end: int
    speaker_start: int | None = None
    speaker_end: int | None = None
    """Where the speaker is named for this quote; ``None`` when inherited or unknown."""


@dataclass(frozen=True)
class CitedSource:
    """An organisation the article cites as its source, and the words that cite it."""

    name: str
    cue: str
    key: str | None = None
    start: int = 0
    end: int = 0


_OPENER = re.compile("[" + "".join(_OPEN) + "]")


def _segments(text: str, para: Span) -> list[Span]:
    """Quoted stretches in a paragraph; an unclosed one runs to the paragraph's end."""
    out: list[Span] = []
    i = para.start
    while (mark := _OPENER.search(text, i, para.end)) is not None:
        i = mark.start()
        ch = text[i]
        if ch != '"' or _opens(text, i):
            j = text.find(_OPEN[ch], i + 1, para.end)
            if j < 0 and i > para.start:
                # Unclosed mid-paragraph: a stray mark, not a quote running on.
                i += 1
                continue
            end = para.end if j < 0 else j
            out.append(Span(i + 1, end))
            i = end + 1
            continue
        i += 1
    return out


def _opens(text: str, i: int) -> bool:
    """A straight double quote opens when it does not follow a word character."""
    return i == 0 or not text[i - 1].isalnum()


_CLOSE = r"^[\s,.!?—–-]*[”\"»“]?\s*,?\s*"
_AFTER = [
    re.compile(_CLOSE + SPEAKER + AUX + r"\s+" + CUE),
    re.compile(_CLOSE + CUE + r"\s+" + SPEAKER),
    # "“…” ― Pamela Padilla": a dash and a name after the quote.
    re.compile(r"^[\s,.!?]*[”\"»]?\s*(?P<cue>[―—–])\s*(?P<speaker>" + NAME + r")"),
]
_LATER = re.compile(r"[,—–]\s*" + SPEAKER + AUX + r"\s+" + CUE + r"\b[^“”\"]{0,60}$")
_INTRO = re.compile(SPEAKER + AUX + r"\s+" + CUE + r"\b[^“”\"]{0,80}:\s*$")
# The greedy lead makes the match the cue nearest the quote, not the first in the sentence.
_BEFORE = re.compile(r"(?s)^(?:.*\W)?" + SPEAKER + AUX + r"\s+" + CUE + r"\b[^\"“”]{0,200}?$")
_ACCORDING = re.compile(r"according\s+to\s+(?P<speaker>[^,.;:\"“”]{2,80})", re.IGNORECASE)


def extract_quotes(
    text: str, entities: tuple[Entity, ...] | None = None, layout: Layout | None = None
) -> tuple[Quote, ...]:
    """Direct quotes in ``text`` with their speakers, in order (``layout``: the text's,
    when the caller has it already)."""
    if entities is None:
        entities = extract_entities(text)
    layout = layout or Layout(text)
    resolver = Resolver(entities)
    quotes: list[Quote] = []
    previous: Quote | None = None
    before: Span | None = None  # the paragraph before, whose end may introduce a quote
    for index, para in enumerate(layout.paragraphs):
        if previous is not None and layout.paragraph_index(previous.start) < index - 1:
            previous = None
        found: list[tuple[Span, Who | None, str | None]] = []
        for seg in _segments(text, para):
            who, cue = _attribute(text, seg, layout, resolver)
            if who is None and before is not None and seg.start - 1 == para.start:
                # Looked for only here: the costly search is rarely needed.
                intro = _intro(text, before, resolver)
                if intro is not None:
                    who, cue = intro
            found.append((seg, who, cue))
        _share_within_paragraph(found)
        before = para
        for seg, who, cue in found:
            quote = _quote(text, seg, who, cue, para, previous)
            if quote is None:
                continue
            quotes.append(quote)
            previous = quote
    return tuple(quotes)


def _attribute(
    text: str, seg: Span, layout: Layout, resolver: Resolver
) -> tuple[Who | None, str | None]:
    sent = layout.sentence_at(max(seg.start - 1, 0))
    para_end = layout.paragraph_at(seg.start).end
    after = text[seg.end : min(para_end, seg.end + 140)]
    for pattern in _AFTER:
        m = pattern.match(after)
        if m:
            return _who(m, seg.end, resolver), _cue(m)
    rest_end = min(layout.sentence_at(seg.end).end, seg.end + 160)
    m = _LATER.search(text, seg.end, rest_end)
    if m:
        return _who(m, 0, resolver), _cue(m)
    before_start = max(min(sent.start, seg.start), seg.start - 400)
    before = text[before_start : max(seg.start - 1, before_start)]
    m = _BEFORE.search(before)
    if m:
        return _who(m, before_start, resolver), _cue(m)
    return None, None


def _intro(text: str, para: Span, resolver: Resolver) -> tuple[Who, str] | None:
    """A paragraph ending "He said:" introduces the quote in the next one."""
    m = _INTRO.search(text, max(para.start, para.end - 200), para.end)
    return (_who(m, 0, resolver), _cue(m)) if m else None


def _who(m: re.Match[str], offset: int, resolver: Resolver) -> Who:
    start, end = offset + m.start("speaker"), offset + m.end("speaker")
    return resolver.resolve(m["speaker"], start, end)


def _cue(m: re.Match[str]) -> str:
    return " ".join(m["cue"].split())


def _share_within_paragraph(found: list[tuple[Span, Who | None, str | None]]) -> None:
    """`"…," Ushakov said. "…"`: quotes in one paragraph share the one named speaker."""
    named = [(who, cue) for _, who, cue in found if who is not None]
    if not named:
        return
    for i, (seg, who, _cue) in enumerate(found):
        if who is None:
            found[i] = (seg, named[0][0], named[0][1])


def _is_title(body: str) -> bool:
    """“Fox News Sunday”, “The Apprentice”: a quoted title, not words someone said."""
    words = re.findall(r"[^\W\d_][\w'’-]*", body)
    minor = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with"}
    return (
        0 < len(words) <= 6
        and not re.search(r"[.!?]\s*$", body)
        and all(w[0].isupper() or w in minor for w in words)
        and words[0][0].isupper()
        and len(words) > 1
    )


def _quote(
    text: str,
    seg: Span,
    who: Who | None,
    cue: str | None,
    para: Span,
    previous: Quote | None,
) -> Quote | None:
    body = text[seg.start : seg.end].rstrip(",. ")
    if not body.strip():
        return None
    whole_paragraph = text[para.start : seg.start - 1].strip() == ""
    if _LABEL.match(body) or _is_title(body):
        return None
    if who is None and whole_paragraph and previous is not None and previous.speaker:
        return Quote(
            body,
            previous.speaker,
            previous.speaker_key,
            previous.cue,
            seg.start,
            seg.start + len(body),
        )
    if who is None and len(body.split()) < _MIN_WORDS:
        return None
    if who is None:
        return Quote(body, None, None, None, seg.start, seg.start + len(body))
    return Quote(body, who.name, who.key, cue, seg.start, seg.start + len(body), who.start, who.end)


_REPORTING = (
    r"(?P<cue>reported|reports|wrote|writes|quoted|published|cited|citing|said\s+in\s+a\s+report)\b"
)
_REPORTED = re.compile(
    r"(?<![\w'’.\-])(?P<name>(?:The\s+)?(?:[A-Z][\w'’.\-]{0,40}\s+){0,4}[A-Z][\w'’.\-]{0,40})\s+"
    + _REPORTING
)
_REPORTING_WORD = re.compile(r"\b" + _REPORTING)
"""The cue alone: most articles have none, and looking for it costs less than for the name."""
_TOLD = re.compile(
    r"(?P<cue>told|in\s+an\s+interview\s+with|cited\s+by|quoted\s+by|citing)\s+(?:the\s+)?"
    r"(?P<name>(?:[A-Z][\w'’.\-]{0,40}\s+){0,4}[A-Z][\w'’.\-]{0,40})"
)


def cited_sources(text: str, entities: tuple[Entity, ...] | None = None) -> tuple[CitedSource, ...]:
    """Organisations cited as sources ("according to TASS", "The New York Times reported")."""
    if entities is None:
        entities = extract_entities(text)
    resolver = Resolver(entities)
    found: dict[tuple[str, str], CitedSource] = {}
    reporting = _REPORTING_WORD.search(text) is not None
    for pattern in (_ACCORDING, _REPORTED, _TOLD) if reporting else (_ACCORDING, _TOLD):
        for m in pattern.finditer(text):
            group = "speaker" if "speaker" in pattern.groupindex else "name"
            entity = _org_in(resolver, m.start(group), m.end(group))
            if entity is None:
                continue
            cue = "according to" if pattern is _ACCORDING else " ".join(m["cue"].split())
            found.setdefault(
                (entity.key, cue), CitedSource(entity.name, cue, entity.key, m.start(), m.end())
            )
    return tuple(sorted(found.values(), key=lambda c: c.start))


def _org_in(resolver: Resolver, start: int, end: int) -> Entity | None:
    entity = resolver.entity_in(start, end)
    return entity if entity is not None and entity.kind == "org" else None
