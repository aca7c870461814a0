"""Text to an lxml tree, with bounded depth.

libxml2 (lxml's parser, ``huge_tree`` off) refuses documents nested deeper than 256 levels and
silently drops everything after that point. A page that trips the limit is parsed a second time
after a linear pre-pass that drops tags opened beyond ``MAX_DEPTH`` levels (their text is kept),
so the rest of the page survives.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from newsfeed.errors import NotHTMLError

MAX_DEPTH = 200
"""Tags opened deeper than this are dropped (their text stays) before the second parse."""

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse ``text`` into a document; ``NotHTMLError`` when nothing usable comes out."""
    text = _XML_DECL.sub("", text, count=1)
    doc, too_deep = _parse(text)
    if too_deep:
        doc, _ = _parse(flatten_deep_nesting(text))
    return doc


def _parse(text: str) -> tuple[lxml.html.HtmlElement, bool]:
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )
    try:
        doc = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise NotHTMLError(f"the page could not be parsed as HTML: {exc}") from exc
    too_deep = any("Excessive depth" in entry.message for entry in parser.error_log)
    return doc, too_deep


def flatten_deep_nesting(text: str, max_depth: int = MAX_DEPTH) -> str:
    """Drop opening and closing tags beyond ``max_depth`` levels, keeping all text."""
    out: list[str] = []
    depth = 0
    last = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        keep = depth < max_depth if not closing else depth <= max_depth
        depth = depth - 1 if closing else depth + 1
        depth = max(depth, 0)
        if not keep:
            out.append(text[last : match.start()])
            last = match.end()
    out.append(text[last:])
    return "".join(out)
