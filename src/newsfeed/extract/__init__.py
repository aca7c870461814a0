"""HTML → Article: the page's metadata, its body as typed blocks, and sanitised HTML.

``extract`` runs these stages, each a plain function:

1. decode (``_decode``): bytes to text, BOM / ``<meta charset>`` / UTF-8 / guess;
2. parse once with lxml (``_parse``), depth-bounded;
3. metadata (``_metadata.extract_metadata``): structured data, meta tags, CMS markup;
4. content (``_content.extract_content``): the body, figures, editor's notes, related links;
5. enrichment: word count and computed reading time (``newsfeed.enrich.reading_time``);
6. sanitising LAST (``_sanitize``): ``Article.html`` passes an nh3 allowlist.

Caps that bound time and memory on hostile input:

- input is cut at ``MAX_INPUT_BYTES`` (10 MiB) before decoding;
- lxml parses with ``huge_tree`` off; a page nested deeper than libxml2's 256 levels is
  re-parsed after tags beyond ``MAX_DEPTH`` (200) levels are dropped, text kept;
- every later pass is linear in the size of the tree (or of the chosen body).

Input that is empty, binary or has no HTML tags raises ``NotHTMLError``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

from newsfeed.enrich.reading_time import reading_time
from newsfeed.types import Article, Block

from ._content import Content, extract_content
from ._decode import MAX_INPUT_BYTES, decode_html
from ._metadata import extract_metadata
from ._parse import MAX_DEPTH, parse_html
from ._sanitize import sanitize
from ._text import absolute, clean_text, word_count

RETRY_BELOW_CHARS = 500
"""A body shorter than this is extracted a second time, relaxed (see ``_content``)."""
_ARTICLE_FIELDS = frozenset(f.name for f in dataclasses.fields(Article))


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """How ``extract`` behaves; the defaults suit a news reader."""

    html: bool = True
    """Build ``Article.html`` (sanitised); turn off to save time when only text is needed."""
    related: bool = True
    """Collect related-story links into ``Article.related``."""
    metadata: bool = True
    """Read the page's metadata (authors, dates, lead image …); off, only the title is read
    (from ``<h1>`` or ``<title>``): for callers that need the body text alone."""


def extract(
    html: str | bytes, url: str | None = None, options: ExtractOptions | None = None
) -> Article:
    """Turn a news page into an ``Article``.

    ``url`` is the page's address: relative links and image sources are resolved against it
    (or against the page's ``<base href>``). Raises ``NotHTMLError`` for empty, binary or
    non-HTML input.
    """
    options = options or ExtractOptions()
    page = decode_html(html)
    doc = parse_html(page)
    fields: dict[str, Any] = (
        _metadata_fields(doc, url) if options.metadata else {"title": _page_title(doc)}
    )
    title = str(fields.get("title") or "")
    base = _base_url(doc, url)
    dek = fields.get("dek")
    content = extract_content(doc, base, title, dek=dek)
    if _text_length(content) < RETRY_BELOW_CHARS:
        retry = extract_content(parse_html(page), base, title, dek=dek, relaxed=True)
        if _text_length(retry) > 2 * _text_length(content):
            content = retry
    text = "\n\n".join(_text_parts(content.blocks))
    lead = fields.get("lead_image")
    figures = tuple(f for f in content.figures if lead is None or f.url != lead.url)
    images = len(figures) + (1 if lead is not None else 0)
    fields.update(
        title=title,
        url=url,
        figures=figures,
        editor_notes=content.editor_notes,
        blocks=content.blocks,
        text=text,
        related=content.related if options.related else (),
        word_count=word_count(text),
        reading_time=reading_time(text, images),
        html=sanitize(content.html) if options.html else "",
    )
    return Article(**fields)


def _metadata_fields(doc: HtmlElement, url: str | None) -> dict[str, Any]:
    meta = extract_metadata(doc, url)
    return {
        f.name: getattr(meta, f.name)
        for f in dataclasses.fields(meta)
        if f.name in _ARTICLE_FIELDS and f.name not in {"url", "text", "html", "blocks"}
    }


def _page_title(doc: HtmlElement) -> str:
    for xpath in ("//h1", "//title"):
        for el in doc.xpath(xpath):
            return clean_text(el.text_content())
    return ""


def _text_length(content: Content) -> int:
    return sum(len(block.text) + sum(map(len, block.items)) for block in content.blocks)


def _base_url(doc: HtmlElement, url: str | None) -> str | None:
    for base in doc.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return absolute(href, url)
    return url


def _text_parts(blocks: tuple[Block, ...]) -> list[str]:
    """``Article.text``: paragraphs, headings, quotes and list items; no captions, no embeds."""
    parts: list[str] = []
    for block in blocks:
        if block.kind in {"paragraph", "heading", "quote"}:
            parts.append(block.text)
        elif block.kind == "list":
            parts.extend(block.items)
    return [part for part in parts if part]


__all__ = ["MAX_DEPTH", "MAX_INPUT_BYTES", "ExtractOptions", "extract"]
