"""Small read-only helpers over lxml trees shared by the metadata readers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

_LAZY_ATTRS = (
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-url",
    "data-hi-res-src",
    "data-full-src",
    "data-lazy",
    "data-img-src",
    "data-echo",
)
_SRCSET_ATTRS = ("srcset", "data-srcset", "data-lazy-srcset")
_PLACEHOLDER = re.compile(r"^data:|blank\.gif|spacer\.gif|placeholder|pixel\.gif|1x1", re.I)
_INVISIBLE = dict.fromkeys(map(ord, "\xad\u200b\u200c\u200d\u2060\ufeff"))
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_SKIP = frozenset({"script", "style", "noscript", "template"})
_WIDTH = re.compile(r"^(\d+)(w|x)$")


def text(element: etree._Element | None, *, spaced: bool = False) -> str:
    """The element's text with whitespace collapsed, scripts and styles left out.

    Block elements are always kept apart by a space; with ``spaced`` inline ones are too
    (for captions, bylines and the like, where spans hold separate pieces).
    """
    if element is None:
        return ""
    return clean("".join(_texts(element, spaced)))


def clean(value: str) -> str:
    """Whitespace collapsed; soft hyphens and zero-width characters removed."""
    return " ".join(value.translate(_INVISIBLE).split())


def _texts(element: etree._Element, spaced: bool = False) -> Iterator[str]:
    """Text pieces in reading order, walked without recursion (pages can nest deeply)."""
    if not isinstance(element.tag, str) or element.tag in _SKIP:
        return
    if element.text:
        yield element.text
    hidden = 0  # depth inside a script, style, noscript or template
    for event, node in etree.iterwalk(element, events=("start", "end", "comment", "pi")):
        if node is element:
            continue
        if event in ("comment", "pi"):
            if not hidden and node.tail:
                yield node.tail
            continue
        if event == "start":
            if hidden or node.tag in _SKIP:
                hidden += 1
                continue
            if spaced or node.tag in _BLOCKS:
                yield " "
            if node.text:
                yield node.text
            continue
        if hidden:
            hidden -= 1
            if hidden:
                continue
        elif spaced or node.tag in _BLOCKS:
            yield " "
        if node.tail:
            yield node.tail


def classes(element: etree._Element) -> str:
    """Class and id together, lower-cased, for pattern tests."""
    return f"{element.get('class') or ''} {element.get('id') or ''}".lower()


def absolute(url: str | None, base: str | None) -> str | None:
    """``url`` made absolute against ``base``; ``None`` for empty, ``data:`` or odd schemes."""
    if not url:
        return None
    url = url.strip()
    if not url or url.startswith(("data:", "javascript:", "about:", "#")):
        return None
    if url.startswith("//"):
        scheme = urlsplit(base).scheme if base else ""
        return f"{scheme or 'https'}:{url}"
    if base:
        try:
            return urljoin(base, url)
        except ValueError:
            return None
    return url


def image_source(img: etree._Element) -> str | None:
    """The real URL of an ``<img>``/``<source>``: lazy-load attributes first, then the
    widest ``srcset`` candidate (of the image, else of its ``<picture>``'s sources), then
    ``src`` unless it is a placeholder."""
    for attr in _LAZY_ATTRS:
        if usable := _usable(img.get(attr)):
            return usable
    for attr in _SRCSET_ATTRS:
        best = widest_in_srcset(img.get(attr))
        if best:
            return best
    parent = img.getparent()
    if img.tag == "img" and parent is not None and parent.tag == "picture":
        for source in parent.iter("source"):
            best = widest_in_srcset(source.get("srcset") or source.get("data-srcset"))
            if best:
                return best
    return _usable(img.get("src"))


def _usable(value: str | None) -> str | None:
    value = (value or "").strip()
    if value and not _PLACEHOLDER.search(value) and not value.startswith("{"):
        return value
    return None


def widest_in_srcset(srcset: str | None) -> str | None:
    if not srcset:
        return None
    best: tuple[float, str] | None = None
    for candidate in srcset.split(","):
        parts = candidate.strip().split()
        if not parts or _PLACEHOLDER.search(parts[0]):
            continue
        size = 1.0
        if len(parts) > 1 and (match := _WIDTH.match(parts[1])):
            size = float(match.group(1))
        if best is None or size > best[0]:
            best = (size, parts[0])
    return best[1] if best else None


def base_url(doc: html.HtmlElement, url: str | None) -> str | None:
    """The page URL, as adjusted by ``<base href>`` when there is one."""
    for base in doc.iter("base"):
        href = base.get("href")
        if href:
            return absolute(href, url) or url
    return url


def iter_class(element: etree._Element, *needles: str) -> Iterator[etree._Element]:
    """Elements of a (small) subtree, ``element`` included, whose class or id contains any
    of the lower-case needles; for the whole page use ``Sources.classes`` instead."""
    for node in element.iter():
        if isinstance(node.tag, str):
            found = classes(node)
            if found.strip() and any(needle in found for needle in needles):
                yield node
