"""Main-content extraction: find the article body in a page and return it as typed blocks.

Steps, each a function below:

1. take out what is never body but worth keeping: editor's notes, related-story blocks;
2. strip page furniture (``_clean.strip_furniture``);
3. pick the body container: CMS markup first (Ghost ``.gh-content``, WordPress
   ``.entry-content``, ``[itemprop=articleBody]`` …) when it holds enough text, else the best
   scored candidate. Scoring follows Readability: each paragraph adds to its parent and
   grandparent (comma count, length), containers start from a tag and class/id weight, and
   the total is discounted by link density; siblings that look like more of the same join;
4. prune widgets inside it (``_clean.clean_conditionally``);
5. walk it into blocks (``_blocks``), then drop furniture lines ("Read more", "Show More",
   "News Feed", "Advertisement" …), headings repeating the title, and editor's notes that
   sit in the body as ordinary paragraphs (they go to ``editor_notes``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from newsfeed.types import Block, EditorNote, Image, RelatedLink

from ._blocks import Piece, pieces_from
from ._clean import class_weight, clean_conditionally, strip_furniture
from ._notes import note_kind, pop_note_elements
from ._related import pop_related
from ._text import clean_text

_CMS_SELECTORS = (
    "//*[@itemprop='articleBody']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gh-content ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' post-content ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-body ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article__body ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' story-body ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]",
    "//*[@id='article-body' or @id='articleBody' or @id='story-body']",
)
_FURNITURE_LINE = re.compile(
    r"^(?:read more|show more|load more|see more|more|news feed|advertisement|anzeige|"
    r"werbung|share|share this(?: article| story)?|share on \w+|tweet|print|email|"
    r"article image|avatar|related(?: articles| stories| content| posts)?|"
    r"(?:sign up|subscribe)(?: now| here| for .{0,60})?|follow us(?: on .{0,40})?|"
    r"click here.{0,60}|continue reading|skip to (?:main )?content|back to top|"
    r"comments?|leave a comment|\d+ comments?|most read|trending|top stories|"
    r"you may also like|recommended(?: for you)?|more from .{0,40}|also read.{0,80}|"
    r"read also.{0,80}|read next|up next|listen to this article|\d+ min read)[.:!…]*$",
    re.I,
)
_TAG_BASE = {
    "div": 5,
    "article": 10,
    "main": 5,
    "section": 3,
    "pre": 3,
    "td": 3,
    "blockquote": 3,
    "ol": -3,
    "ul": -3,
    "dl": -3,
    "li": -3,
    "form": -3,
    "address": -3,
    "th": -5,
}
_HOLDERS = ("p", "pre", "td", "div", "section", "article", "span", "font", "blockquote")
_MIN_CMS_TEXT = 250


@dataclass(frozen=True, slots=True)
class Content:
    """What the body extraction found."""

    blocks: tuple[Block, ...]
    html: str
    figures: tuple[Image, ...]
    editor_notes: tuple[EditorNote, ...]
    related: tuple[RelatedLink, ...]


def extract_content(doc: HtmlElement, base: str | None, title: str | None) -> Content:
    """Find the body of ``doc`` (mutating it) and return its blocks, notes and related links."""
    body = doc.find("body")
    if body is None:
        body = doc
    notes = pop_note_elements(body)
    related = pop_related(body, base)
    strip_furniture(body)
    containers = choose_containers(body)
    pieces: list[Piece] = []
    for container in containers:
        clean_conditionally(container, set(containers))
        pieces.extend(pieces_from(container, base))
    pieces, body_notes = _filter(pieces, title)
    blocks = tuple(piece.block for piece in pieces)
    figures = tuple(b.image for b in blocks if b.kind == "figure" and b.image is not None)
    return Content(
        blocks=blocks,
        html="\n".join(piece.html for piece in pieces if piece.html),
        figures=figures,
        editor_notes=tuple(notes + body_notes),
        related=tuple(related),
    )


def choose_containers(body: HtmlElement) -> list[HtmlElement]:
    """The element(s) holding the article body, in document order."""
    lengths = _measure(body)
    scored = _score(body, lengths)
    top = _top_candidate(body, scored, lengths)
    cms = _cms_containers(body, lengths)
    if cms and (
        top is None
        or any(_contains(el, top) or _contains(top, el) for el in cms)
        or sum(lengths.text[el] for el in cms) >= 0.5 * lengths.text[top]
    ):
        return cms
    if top is None:
        return [body]
    article = _enclosing_article(top, body, lengths)
    if article is not None:
        return [article]
    return _with_siblings(top, scored, lengths)


def _enclosing_article(
    top: HtmlElement, body: HtmlElement, lengths: _Lengths
) -> HtmlElement | None:
    """An ``<article>`` around the best candidate that holds clearly more text is the body."""
    for ancestor in top.iterancestors():
        if ancestor is body:
            return None
        if ancestor.tag == "article":
            more = lengths.text[ancestor] > 1.3 * lengths.text[top]
            return ancestor if more and lengths.density(ancestor) < 0.35 else None
    return None


@dataclass(slots=True)
class _Lengths:
    text: dict[HtmlElement, int]
    links: dict[HtmlElement, int]
    own: dict[HtmlElement, int]

    def density(self, el: HtmlElement) -> float:
        total = self.text.get(el, 0)
        return self.links.get(el, 0) / total if total else 0.0


def _measure(body: HtmlElement) -> _Lengths:
    """Text and link-text lengths of every element, in one bottom-up pass."""
    text: dict[HtmlElement, int] = {}
    links: dict[HtmlElement, int] = {}
    own: dict[HtmlElement, int] = {}
    elements = [el for el in body.iter() if isinstance(el.tag, str)]
    for el in reversed(elements):
        direct = len(el.text.strip()) if el.text else 0
        total = 0
        linked = 0
        for child in el:
            if child.tail:
                direct += len(child.tail.strip())
            total += text.get(child, 0)
            linked += links.get(child, 0)
        own[el] = direct
        text[el] = total + direct
        links[el] = text[el] if el.tag == "a" else linked
    return _Lengths(text=text, links=links, own=own)


def _score(body: HtmlElement, lengths: _Lengths) -> dict[HtmlElement, float]:
    scores: dict[HtmlElement, float] = {}
    for el in body.iter(*_HOLDERS):
        if el.tag not in {"p", "pre", "td"} and lengths.own.get(el, 0) < 25:
            continue
        size = lengths.own[el] if el.tag not in {"p", "pre", "td"} else lengths.text.get(el, 0)
        if size < 25:
            continue
        text = "".join(el.itertext())
        points = 1 + text.count(",") + text.count("，") + text.count("、") + min(size // 100, 3)
        for level, ancestor in enumerate(_ancestors(el, body, 5)):
            if ancestor not in scores:
                scores[ancestor] = _initial_score(ancestor)
            scores[ancestor] += points / (1 if level == 0 else 2 if level == 1 else level * 3)
    return {el: score * (1 - lengths.density(el)) for el, score in scores.items()}


def _ancestors(el: HtmlElement, stop: HtmlElement, limit: int) -> list[HtmlElement]:
    found = []
    parent = el.getparent()
    while parent is not None and len(found) < limit:
        found.append(parent)
        if parent is stop:
            break
        parent = parent.getparent()
    return found


def _initial_score(el: HtmlElement) -> float:
    return float(_TAG_BASE.get(el.tag, 0) + class_weight(el))


def _top_candidate(
    body: HtmlElement, scored: dict[HtmlElement, float], lengths: _Lengths
) -> HtmlElement | None:
    if not scored:
        return None
    top = max(scored, key=scored.__getitem__)
    top = _climb(top, body, scored)
    while top is not body:
        parent = top.getparent()
        if parent is None or len(parent) != 1:
            break
        top = parent
    return top


def _climb(top: HtmlElement, body: HtmlElement, scored: dict[HtmlElement, float]) -> HtmlElement:
    """Readability's rule: a parent scoring higher than its best child is the better body."""
    last = scored[top]
    threshold = last / 3
    parent = top.getparent()
    while parent is not None and parent is not body:
        score = scored.get(parent)
        if score is None:
            parent = parent.getparent()
            continue
        if score < threshold:
            break
        if score > last:
            return parent
        last = score
        parent = parent.getparent()
    return top


def _cms_containers(body: HtmlElement, lengths: _Lengths) -> list[HtmlElement]:
    """The first CMS selector's matches (outermost only), when together they hold enough text."""
    for selector in _CMS_SELECTORS:
        matches = [el for el in body.xpath(selector) if lengths.text.get(el, 0) >= 25]
        outer = [el for el in matches if not any(_contains(m, el) for m in matches)]
        if sum(lengths.text.get(el, 0) for el in outer) >= _MIN_CMS_TEXT:
            return outer
    return []


def _contains(outer: HtmlElement, inner: HtmlElement) -> bool:
    return any(a is outer for a in inner.iterancestors())


def _with_siblings(
    top: HtmlElement, scored: dict[HtmlElement, float], lengths: _Lengths
) -> list[HtmlElement]:
    parent = top.getparent()
    if parent is None:
        return [top]
    top_score = scored.get(top, 0.0)
    threshold = max(10.0, top_score * 0.2)
    top_class = top.get("class") or ""
    chosen: list[HtmlElement] = []
    for sibling in parent:
        if not isinstance(sibling.tag, str):
            continue
        if sibling is top:
            chosen.append(sibling)
            continue
        same_kind = sibling.tag == top.tag and sibling.get("class") == top_class
        bonus = top_score * 0.2 if top_class and same_kind else 0.0
        if (
            scored.get(sibling, -1e9) + bonus >= threshold
            or _looks_like_paragraph(sibling, lengths)
            or (same_kind and lengths.text.get(sibling, 0) >= 25 and lengths.density(sibling) < 0.3)
        ):
            chosen.append(sibling)
    return chosen


def _looks_like_paragraph(el: HtmlElement, lengths: _Lengths) -> bool:
    if el.tag != "p":
        return False
    size = lengths.text.get(el, 0)
    density = lengths.density(el)
    if size > 80:
        return density < 0.25
    text = clean_text("".join(el.itertext()))
    return 0 < size and density == 0 and bool(re.search(r"\.( |$)", text))


def _filter(pieces: list[Piece], title: str | None) -> tuple[list[Piece], list[EditorNote]]:
    kept: list[Piece] = []
    notes: list[EditorNote] = []
    title_key = _key(title or "")
    for piece in pieces:
        block = piece.block
        text = block.text
        if block.kind in {"paragraph", "heading"}:
            if len(text) < 90 and _FURNITURE_LINE.match(text):
                continue
            if title_key and block.kind == "heading" and _key(text) == title_key:
                continue
            kind = note_kind(text) if block.kind == "paragraph" else None
            if kind is not None:
                notes.append(EditorNote(text=text, kind=kind))
                continue
        kept.append(piece)
    while kept and kept[-1].block.kind == "heading":
        kept.pop()
    return kept, notes


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()
