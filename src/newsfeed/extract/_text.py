"""Small text helpers shared by the extraction modules."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml.html import HtmlElement

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def clean_text(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to one space and strip."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ").replace("\u200b", "")).strip()


def element_text(el: HtmlElement) -> str:
    """The element's visible text, whitespace collapsed, ``<br>`` read as a space."""
    parts: list[str] = []
    _collect(el, parts)
    return clean_text("".join(parts))


def _collect(el: HtmlElement, parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        if child.tag == "br":
            parts.append(" ")
        elif isinstance(child.tag, str):
            _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def text_within(el: HtmlElement, limit: int) -> bool:
    """Whether ``el`` holds at most ``limit`` characters of text, reading no further."""
    total = 0
    for text in el.itertext():
        total += len(text)
        if total > limit:
            return False
    return True


def word_count(text: str) -> int:
    """Words as runs of word characters: the same definition the benchmark uses."""
    return len(_WORD.findall(text))


def cut_at_word(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, adding "…" if cut."""
    text = clean_text(text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return cut + "…"


def absolute(url: str, base: str | None) -> str:
    """``url`` resolved against ``base``; protocol-relative URLs get https; bad URLs kept."""
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    if not base:
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return url
