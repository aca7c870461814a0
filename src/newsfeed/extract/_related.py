"""Related-story blocks: read them as links with excerpts, then take them out of the page.

A block counts as related stories when its class or id says so (``related``, ``read-next``,
``more-stories`` …) or it is a CMS link card (Ghost's ``kg-bookmark-card``, WordPress embeds).
Excerpts are cut at a word boundary: a teaser the publisher truncated mid-word ("A day lat")
loses its partial last word and gets an ellipsis.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml.html import HtmlElement

from newsfeed.types import RelatedLink

from ._text import absolute, element_text

_RELATED = re.compile(
    r"kg-bookmark-card|wp-block-embed-wordpress|wp-embedded-content|\brelated|read-?next|also-?read|more-?stories|"
    r"more-?news|recommended|recirc|\bteaser-list|further-reading|see-also|story-card|"
    r"\bweiterlesen|mehr-zum-thema",
    re.I,
)
_TITLE_CLASS = re.compile(r"title|headline|heading", re.I)
_EXCERPT_CLASS = re.compile(r"description|excerpt|summary|dek|teaser-text|standfirst|lede", re.I)
_ENDS_SENTENCE = re.compile(r"[.!?…\"”’»)]$")
_EXCERPT_LIMIT = 500
_MIN_TITLE = 12


_RELATED_TAGS = frozenset(
    {"div", "section", "aside", "ul", "ol", "figure", "nav", "article", "blockquote"}
)


def is_related_block(el: HtmlElement) -> bool:
    """A block of links to other stories, by its class or id, and link-heavy enough."""
    if el.tag not in _RELATED_TAGS:
        return False
    if not _is_related(f"{el.get('class') or ''} {el.get('id') or ''}"):
        return False
    return _has_link(el) and _link_heavy(el)


def links_in(block: HtmlElement, base: str | None) -> list[RelatedLink]:
    """The story links in a related block, with titles and word-boundary excerpts."""
    return _links_in(block, base)


@lru_cache(maxsize=4096)
def _is_related(attrs: str) -> bool:
    return bool(_RELATED.search(attrs))


def _has_link(el: HtmlElement) -> bool:
    return any(a.get("href") for a in el.iter("a"))


def _link_heavy(el: HtmlElement) -> bool:
    """Long text with few links is an article that happens to carry a "related" class; a
    list is related stories however long their excerpts."""
    if el.tag in {"ul", "ol"}:
        return True
    text = len(element_text(el))
    if text < 2000:
        return True
    links = sum(len(element_text(a)) for a in el.iter("a"))
    return links > text * 0.3


def _links_in(block: HtmlElement, base: str | None) -> list[RelatedLink]:
    links = []
    for a in block.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        title = _title(a)
        if len(title) < _MIN_TITLE:
            continue
        url = absolute(href, base)
        excerpt = _excerpt(a, block, title)
        links.append(RelatedLink(title=title, url=url, excerpt=excerpt))
    return links


def _title(a: HtmlElement) -> str:
    for el in a.iterdescendants():
        if el.tag in {"h1", "h2", "h3", "h4", "h5", "h6"} or _TITLE_CLASS.search(
            el.get("class") or ""
        ):
            return element_text(el)
    return element_text(a)


def _excerpt(a: HtmlElement, block: HtmlElement, title: str) -> str | None:
    item: HtmlElement | None = a
    href = a.get("href")
    while item is not None and all(x.get("href") in (None, href) for x in item.iter("a")):
        for el in item.iter():
            if el is a and item is not a:
                continue
            cls = el.get("class") or ""
            if _EXCERPT_CLASS.search(cls) or (el.tag == "p" and item is not a):
                text = element_text(el)
                if len(text) >= 20 and text != title:
                    return excerpt_at_word(text)
        if item is block:
            break
        item = item.getparent()
    return None


def excerpt_at_word(text: str, limit: int = _EXCERPT_LIMIT) -> str:
    """Cut a teaser at a word boundary; a teaser already cut mid-word loses the partial word."""
    if len(text) > limit:
        text = text[: limit + 1]
    elif _ENDS_SENTENCE.search(text):
        return text
    cut = text.rsplit(" ", 1)[0] if " " in text else text
    return cut.rstrip(" ,;:–—-") + "…"
