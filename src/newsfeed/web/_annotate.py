"""The article body with its analysis woven in: people, places and organisations linked to
their entity pages, direct quotes highlighted with their speaker.

Every piece of text is escaped here (names and quotes come from untrusted pages); only the
tags this module writes are markup. Offsets in the analysis point into ``Article.text``;
each block's text is found in it in reading order, and an annotation is used only where the
text at its offsets still reads as recorded, so a stale analysis falls back to plain text.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from newsfeed.enrich.analysis import Analysis
from newsfeed.types import Article, Block
from newsfeed.web._entity_links import entity_url
from newsfeed.web._render import article_body, render_block

LINKED_KINDS = frozenset({"person", "org", "place"})


@dataclass(frozen=True, slots=True)
class _Link:
    start: int
    end: int
    key: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class _Quoted:
    start: int
    end: int
    speaker: str | None
    speaker_key: str | None


def _links(text: str, analysis: Analysis) -> list[_Link]:
    found = [
        _Link(m.start, m.end, e.key, e.name, e.kind)
        for e in analysis.entities
        if e.kind in LINKED_KINDS
        for m in e.mentions
        if text[m.start : m.end] == m.text
    ]
    kept: list[_Link] = []
    for link in sorted(found, key=lambda x: (x.start, -x.end)):
        if not kept or link.start >= kept[-1].end:
            kept.append(link)
    return kept


def _quoted(text: str, analysis: Analysis) -> list[_Quoted]:
    found = [
        _Quoted(q.start, q.end, q.speaker, q.speaker_key)
        for q in analysis.quotes
        if text[q.start : q.end] == q.text
    ]
    kept: list[_Quoted] = []
    for q in sorted(found, key=lambda x: x.start):
        if not kept or q.start >= kept[-1].end:
            kept.append(q)
    return kept


class _Weaver:
    """Marks up stretches of ``Article.text``, given as absolute offsets."""

    def __init__(self, text: str, analysis: Analysis) -> None:
        self.text = text
        self.links = _links(text, analysis)
        self.quotes = _quoted(text, analysis)

    def linked(self, start: int, end: int) -> Markup:
        parts: list[Markup] = []
        at = start
        for link in self.links:
            if link.start < start or link.end > end:
                continue
            parts.append(escape(self.text[at : link.start]))
            parts.append(
                Markup('<a class="entity {}" href="{}" title="{}">{}</a>').format(
                    link.kind, entity_url(link.key), link.name, self.text[link.start : link.end]
                )
            )
            at = link.end
        parts.append(escape(self.text[at:end]))
        return Markup("").join(parts)

    def span(self, start: int, end: int) -> Markup:
        """``text[start:end]`` with quotes highlighted and names linked."""
        parts: list[Markup] = []
        at = start
        for q in self.quotes:
            q_start, q_end = max(q.start, start), min(q.end, end)
            if q_start >= q_end:
                continue
            parts.append(self.linked(at, q_start))
            parts.append(self._quote(q, q_start, q_end))
            at = q_end
        parts.append(self.linked(at, end))
        return Markup("").join(parts)

    def _quote(self, q: _Quoted, start: int, end: int) -> Markup:
        who = q.speaker or "unattributed"
        inner = self.linked(start, end)
        marked = Markup('<mark class="quote" title="{}">{}</mark>').format(who, inner)
        if end != q.end or not q.speaker:  # the speaker tag goes after the quote's last piece
            return marked
        if q.speaker_key:
            tag = Markup('<a class="speaker-tag" href="{}">{}</a>').format(
                entity_url(q.speaker_key), q.speaker
            )
        else:
            tag = Markup('<span class="speaker-tag">{}</span>').format(q.speaker)
        return marked + tag


def _block(block: Block, weaver: _Weaver, at: int) -> tuple[Markup, int]:
    """The block marked up, and where in the text the next block's search starts."""
    text = weaver.text
    if block.kind in {"paragraph", "heading", "quote"} and block.text:
        start = text.find(block.text, at)
        if start < 0:
            return render_block(block), at
        end = start + len(block.text)
        inner = weaver.span(start, end)
        if block.kind == "heading":
            level = min(max(block.level or 2, 2), 6)
            return Markup("<h{0}>{1}</h{0}>").format(level, inner), end
        if block.kind == "quote":
            return Markup("<blockquote><p>{}</p></blockquote>").format(inner), end
        return Markup("<p>{}</p>").format(inner), end
    if block.kind == "list" and block.items:
        items: list[Markup] = []
        for item in block.items:
            start = text.find(item, at) if item else -1
            if start < 0:
                items.append(Markup("<li>{}</li>").format(item))
                continue
            at = start + len(item)
            items.append(Markup("<li>{}</li>").format(weaver.span(start, at)))
        tag = Markup("ol" if block.ordered else "ul")
        return Markup("<{0}>{1}</{0}>").format(tag, Markup("").join(items)), at
    return render_block(block), at


def annotated_body(article: Article, analysis: Analysis | None) -> Markup:
    """The body as safe HTML, annotated where the analysis allows."""
    if analysis is None or not article.blocks:
        return article_body(article)
    weaver = _Weaver(article.text, analysis)
    parts: list[Markup] = []
    at = 0
    for block in article.blocks:
        html, at = _block(block, weaver, at)
        parts.append(html)
    return Markup("\n").join(parts)
