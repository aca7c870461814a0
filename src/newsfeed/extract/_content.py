"""Main-content extraction: find the article body in a page and return it as typed blocks.

Steps, each a function below:

1. take out what is never body but worth keeping: editor's notes, related-story blocks;
2. strip page furniture (``_clean``), in the same single walk over the page;
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
from html import escape

from lxml.html import HtmlElement

from newsfeed.types import Block, EditorNote, Image, RelatedLink

from ._blocks import Piece, pieces_from
from ._clean import class_weight, clean_conditionally, drop_non_content_tags, is_furniture
from ._lead import WINDOW, find_lead
from ._lines import filter_lines
from ._notes import is_note_element, note_from
from ._related import is_related_block, links_in
from ._text import absolute, clean_text, element_text

_CMS_MARKS = (
    "itemprop=articleBody",
    "gh-content",
    "entry-content",
    "post-content",
    "article-body",
    "article__body",
    "story-body",
    "article-content",
    "id=article-body",
    "id=articleBody",
    "id=story-body",
)
"""CMS body markers, best first: microdata, Ghost, WordPress, common theme classes, ids."""
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
_NON_WORD = re.compile(r"\W+")
_DIGITS = re.compile(r"\d+")
_CAPTION_CLASS = re.compile(r"caption|credit|legend|bildunterschrift|bildtext|copyright", re.I)
_MIN_CMS_TEXT = 250
_MAX_RELATED = 30


@dataclass(frozen=True, slots=True)
class Content:
    """What the body extraction found."""

    blocks: tuple[Block, ...]
    html: str
    figures: tuple[Image, ...]
    editor_notes: tuple[EditorNote, ...]
    related: tuple[RelatedLink, ...]


def extract_content(
    doc: HtmlElement,
    base: str | None,
    title: str | None,
    *,
    dek: str | None = None,
    relaxed: bool = False,
) -> Content:
    """Find the body of ``doc`` (mutating it) and return its blocks, notes and related links.

    ``relaxed`` is the second attempt for pages where the first found almost nothing (as
    Readability retries): furniture is then recognised by tag and visibility only, not by
    class names, and the chosen body is not pruned.
    """
    body = doc.find("body")
    if body is None:
        body = doc
    drop_non_content_tags(body)
    elements = list(body.iter())  # also keeps lxml proxies alive across the passes below
    lead = find_lead(body, dek)
    lead_text = element_text(lead) if lead is not None else ""
    notes, related = _sweep(body, base, relaxed)
    containers = choose_containers(body)
    pieces: list[Piece] = []
    for container in containers:
        if not relaxed:
            clean_conditionally(container, set(containers))
        if base:
            _absolute_links(container, base)
        pieces.extend(pieces_from(container, base))
    if lead is not None and _lead_belongs(lead, lead_text, containers, elements, pieces):
        pieces.insert(0, Piece(Block("paragraph", text=lead_text), f"<p>{escape(lead_text)}</p>"))
    pieces, body_notes = filter_lines(pieces, title)
    blocks = tuple(piece.block for piece in pieces)
    figures = tuple(b.image for b in blocks if b.kind == "figure" and b.image is not None)
    return Content(
        blocks=blocks,
        html="\n".join(piece.html for piece in pieces if piece.html),
        figures=figures,
        editor_notes=tuple(notes + body_notes),
        related=tuple(related),
    )


def _lead_belongs(
    lead: HtmlElement,
    text: str,
    containers: list[HtmlElement],
    elements: list[HtmlElement],
    pieces: list[Piece],
) -> bool:
    """A lead just before the body (or inside it, pruned) that the body does not repeat."""
    full = _key(text)
    key = full[:200]
    for piece in pieces[:5]:
        said = _key(piece.block.text)
        if key in said or (len(said) >= 50 and said in full):
            return False  # the body already carries it (or the lead wraps a body paragraph)
    first = containers[0]
    if any(_contains(c, lead) for c in containers):
        return True
    try:
        lead_at, body_at = elements.index(lead), elements.index(first)
    except ValueError:
        return False
    return 0 < body_at - lead_at <= WINDOW


def _absolute_links(container: HtmlElement, base: str) -> None:
    for a in container.iter("a"):
        href = a.get("href")
        if href and not href.startswith(("http:", "https:", "#", "mailto:")):
            a.set("href", absolute(href, base))


def _sweep(
    body: HtmlElement, base: str | None, relaxed: bool = False
) -> tuple[list[EditorNote], list[RelatedLink]]:
    """One walk over the page: take out notes and related blocks, drop furniture."""
    notes: list[EditorNote] = []
    related: list[RelatedLink] = []
    doomed: list[HtmlElement] = []
    _sweep_under(body, base, notes, related, doomed, relaxed)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    unique = {link.url: link for link in reversed(related)}
    return notes, list(reversed(unique.values()))[:_MAX_RELATED]


def _sweep_under(
    el: HtmlElement,
    base: str | None,
    notes: list[EditorNote],
    related: list[RelatedLink],
    doomed: list[HtmlElement],
    relaxed: bool,
) -> None:
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.attrib:
            if is_note_element(child):
                note = note_from(child)
                if note is not None:
                    notes.append(note)
                    doomed.append(child)
                    continue
            if is_related_block(child):
                related.extend(links_in(child, base))
                doomed.append(child)
                continue
        if is_furniture(child, by_class=not relaxed):
            doomed.append(child)
        else:
            _sweep_under(child, base, notes, related, doomed, relaxed)


def choose_containers(body: HtmlElement) -> list[HtmlElement]:
    """The element(s) holding the article body, in document order."""
    lengths = _measure(body)
    chosen = _choose(body, lengths)
    if len(chosen) == 1 and chosen[0] is not body:
        return [_absorb(chosen[0], body, lengths)]
    return chosen


def _choose(body: HtmlElement, lengths: _Lengths) -> list[HtmlElement]:
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
    wider = _widen(top, body, lengths)
    if wider is not top:
        return [wider]
    return _with_siblings(top, scored, lengths)


_ABSORB_LEVELS = 3
_ABSORB_SHARE = 0.25


def _absorb(chosen: HtmlElement, body: HtmlElement, lengths: _Lengths) -> HtmlElement:
    """The parent, when all it adds to the body is a little unlinked text (a lead paragraph,
    an intro, a closing line that themes put just outside the body container)."""
    prose = _prose(body, lengths)
    for _ in range(_ABSORB_LEVELS):
        parent = chosen.getparent()
        if parent is None or parent is body:
            break
        extra = lengths.text[parent] - lengths.text[chosen]
        linked = lengths.links.get(parent, 0) - lengths.links.get(chosen, 0)
        if extra > _ABSORB_SHARE * lengths.text[chosen] or linked > 0.3 * extra:
            break
        # prose before the body: a lead or an intro; what follows it is more often furniture
        added = 0
        for child in parent:
            if child is chosen:
                break
            added += prose.get(child, 0)
        if added >= 80 and added >= 0.6 * extra:
            chosen = parent
    return chosen


_WIDEN_LEVELS = 6


def _widen(top: HtmlElement, body: HtmlElement, lengths: _Lengths) -> HtmlElement:
    """An ancestor whose prose is the best candidate's block repeated: the whole body.

    Page builders wrap each paragraph block in its own stack of divs, so the body is split
    into cousins that Readability's sibling rule never sees together. The ancestor must
    hold clearly more prose, little else, and that prose must sit in blocks of the same
    kind (tag and class) as the one holding the candidate.
    """
    prose = _prose(body, lengths)
    best, branch = top, top
    for level, ancestor in enumerate(top.iterancestors(), 1):
        if ancestor is body or level > _WIDEN_LEVELS:
            break
        amount = prose.get(ancestor, 0)
        if (
            amount >= 1.3 * prose.get(best, 0) + 100
            and amount >= 0.6 * lengths.text[ancestor]
            and lengths.density(ancestor) < 0.25
            and _repeated(ancestor, branch, prose) >= 0.7 * (amount - prose.get(best, 0))
        ):
            best = ancestor
        branch = ancestor
    return best


def _repeated(parent: HtmlElement, branch: HtmlElement, prose: dict[HtmlElement, int]) -> int:
    """Prose in the siblings of ``branch`` that are the same kind of block."""
    kind = _kind(branch)
    if kind is None:
        return 0  # bare divs are everything; only a named block can be "the same block"
    return sum(
        prose.get(child, 0) for child in parent if child is not branch and _kind(child) == kind
    )


def _kind(el: HtmlElement) -> tuple[str, str] | None:
    """Tag and class, or tag and id with its numbers blanked ("block-4647400" → "block-0")."""
    cls = el.get("class")
    if cls:
        return str(el.tag), cls
    ident = el.get("id")
    return (str(el.tag), "#" + _DIGITS.sub("0", ident)) if ident else None


def _prose(body: HtmlElement, lengths: _Lengths) -> dict[HtmlElement, int]:
    """Text in paragraphs (not link lists) under each element."""
    prose: dict[HtmlElement, int] = {}
    for p in body.iter("p", "pre", "blockquote"):
        if p.tag == "blockquote" and p.find(".//p") is not None:
            continue  # its paragraphs count
        if _is_caption(p):
            continue
        size = lengths.text.get(p, 0)
        if size < 25 or lengths.density(p) > 0.5:
            continue
        prose[p] = prose.get(p, 0) + size
        for ancestor in p.iterancestors():
            prose[ancestor] = prose.get(ancestor, 0) + size
            if ancestor is body:
                break
    return prose


def _is_caption(el: HtmlElement) -> bool:
    if any(a.tag in {"figure", "figcaption"} for a in el.iterancestors()):
        return True
    parent = el.getparent()
    outer = (parent.get("class") or "") if parent is not None else ""
    return bool(_CAPTION_CLASS.search(f"{el.get('class') or ''} {outer}"))


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
    order: dict[HtmlElement, int]

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
    order = {el: i for i, el in enumerate(elements)}
    return _Lengths(text=text, links=links, own=own, order=order)


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
                scores[ancestor] = _initial_score(ancestor, lengths)
            scores[ancestor] += points / (1 if level == 0 else 2 if level == 1 else level * 3)
    return {el: score * (1 - lengths.density(el)) for el, score in scores.items()}


def _ancestors(el: HtmlElement, stop: HtmlElement, limit: int) -> list[HtmlElement]:
    found: list[HtmlElement] = []
    parent = el.getparent()
    while parent is not None and len(found) < limit:
        found.append(parent)
        if parent is stop:
            break
        parent = parent.getparent()
    return found


def _initial_score(el: HtmlElement, lengths: _Lengths) -> float:
    # A content-like class name should not make one short paragraph outrank a body.
    scale = min(1.0, lengths.text.get(el, 0) / 2000)
    return _TAG_BASE.get(str(el.tag), 0) + class_weight(el) * scale


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
    """The best CMS marker's elements (outermost only), when together they hold enough text."""
    found: dict[str, list[HtmlElement]] = {}
    for el in lengths.text:
        if lengths.text[el] < 25 or lengths.density(el) > 0.5:
            continue  # teaser cards reuse body class names; their text is all links
        for mark in _cms_marks(el):
            found.setdefault(mark, []).append(el)
    for mark in _CMS_MARKS:
        matches = found.get(mark, [])
        outer = [el for el in matches if not any(_contains(m, el) for m in matches)]
        if sum(lengths.text.get(el, 0) for el in outer) >= _MIN_CMS_TEXT:
            return sorted(outer, key=lambda el: _position(el, lengths))
    return []


def _cms_marks(el: HtmlElement) -> list[str]:
    marks = [f"id={el.get('id')}"] if el.get("id") else []
    if el.get("itemprop") == "articleBody":
        marks.append("itemprop=articleBody")
    marks.extend((el.get("class") or "").split())
    return marks


def _position(el: HtmlElement, lengths: _Lengths) -> int:
    return lengths.order[el]


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
    return size > 0 and density == 0 and bool(re.search(r"\.( |$)", text))


def _key(text: str) -> str:
    return _NON_WORD.sub("", text).lower()
