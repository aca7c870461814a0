"""The chosen body container turned into typed blocks, in reading order.

Each block keeps an HTML fragment beside it (``Piece.html``, unsanitised); the caller joins the
fragments and sanitises them last. Text that sits loose in a ``<div>`` (between block children,
or split by ``<br><br>``) becomes a paragraph of its own. Captions outside a ``<figure>``
and paragraphs that are all one link to another story (teasers) are not body text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from lxml.html import HtmlElement, tostring

from newsfeed.types import Block, Image

from ._figures import figure_image, image_url
from ._text import absolute, clean_text, element_text, text_within

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "blockquote",
        "ul",
        "ol",
        "dl",
        "figure",
        "table",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "form",
        "center",
        "details",
        "iframe",
        "video",
        "audio",
        "img",
        "picture",
        "li",
        "tr",
        "td",
        "th",
        "tbody",
        "thead",
        "address",
    ]
)
_EMBED_TAGS = frozenset({"iframe", "video", "audio"})
_EMBED_QUOTE = ("twitter-tweet", "instagram-media", "tiktok-embed", "bluesky-embed")
_CAPTION_CLASS = re.compile(
    r"caption|bildunterschrift|bildtext|(?:img|image|photo|picture|bild)[_-]?desc|"
    r"(?:^|[\s_-])(?:legende?|(?:photo|image|img)?-?credits?|"
    r"copyright)(?:$|[\s_-])",
    re.I,
)
_MAX_CAPTION = 600


@dataclass(frozen=True, slots=True)
class Piece:
    """A block and the HTML it came from."""

    block: Block
    html: str


def pieces_from(container: HtmlElement, base: str | None) -> list[Piece]:
    """Walk ``container`` and return its blocks in reading order."""
    out: list[Piece] = []
    _walk(container, base, out)
    return out


def _walk(el: HtmlElement, base: str | None, out: list[Piece]) -> None:
    tag = el.tag
    if not isinstance(tag, str):
        return
    if is_caption(el):
        if el.find(".//img") is not None:
            _figure(el, base, out)  # a theme's figure: the image with its caption beside it
        return  # a caption that lost its image is not article text
    if tag == "p":
        _paragraph(el, base, out)
    elif tag in _HEADINGS:
        _text_block(el, "heading", out, level=_HEADINGS[tag])
    elif tag == "blockquote":
        _quote(el, base, out)
    elif tag in {"ul", "ol", "dl"}:
        _list(el, out)
    elif tag in {"figure", "picture", "img"}:
        _figure(el, base, out)
    elif tag in _EMBED_TAGS:
        _embed(el, base, out)
    elif tag == "pre":
        text = "".join(el.itertext()).strip()
        if text:
            out.append(Piece(Block("paragraph", text=text), f"<pre>{escape(text)}</pre>"))
    elif tag == "table" and not _is_layout_table(el):
        _table(el, out)
    else:
        _container(el, base, out)


def is_caption(el: HtmlElement) -> bool:
    """A caption or photo credit outside a ``<figure>``: ``<figcaption>``, or a short
    element whose class says caption, legend or credit (WordPress ``wp-caption-text`` …)."""
    if el.tag == "figcaption":
        return True
    attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
    return len(attrs) > 5 and _is_caption_class(attrs) and text_within(el, _MAX_CAPTION)


@lru_cache(maxsize=4096)
def _is_caption_class(attrs: str) -> bool:
    return bool(_CAPTION_CLASS.search(attrs))


_LINK_LINE_SHARE = 0.8
_LINK_LINE_MIN = 25


def _is_link_line(el: HtmlElement, text: str) -> bool:
    """A paragraph or heading that is (almost) all one link to another page: a teaser for
    another story set in the body. Short linked lines ("£80, Argos", "(Artist: X)") are
    kept: they are list-like content; so are links within the page (tables of contents)."""
    if len(text) < _LINK_LINE_MIN:
        return False
    linked = 0
    for a in el.iter("a"):
        href = a.get("href")
        if href and not href.startswith("#"):
            linked += len(element_text(a))
    return linked >= _LINK_LINE_SHARE * len(text)


def _paragraph(el: HtmlElement, base: str | None, out: list[Piece]) -> None:
    if el.find(".//figure") is not None:
        _container(el, base, out)  # libxml2 keeps a <figure> inside a <p>: walk it apart
        return
    text = element_text(el)
    if text and _is_link_line(el, text):
        return
    if text:
        out.append(Piece(Block("paragraph", text=text), _outer(el, "p")))
        return
    for img in el.iter("img"):
        _figure(img, base, out)


def _text_block(el: HtmlElement, kind: str, out: list[Piece], level: int | None = None) -> None:
    text = element_text(el)
    if not text or _is_link_line(el, text):
        return
    if kind == "heading":
        tag = f"h{level}"
        out.append(Piece(Block("heading", text=text, level=level), _outer(el, tag)))
    else:
        out.append(Piece(Block("paragraph", text=text), _outer(el, "p")))


def _quote(el: HtmlElement, base: str | None, out: list[Piece]) -> None:
    cls = el.get("class") or ""
    if any(name in cls for name in _EMBED_QUOTE):
        links = [a.get("href") for a in el.iter("a") if a.get("href")]
        url = links[-1] if links else None
        text = element_text(el)
        out.append(Piece(Block("embed", text=text, url=url), _embed_html(url, text)))
        return
    parts = [element_text(p) for p in el.iter("p")] or [element_text(el)]
    text = "\n".join(part for part in parts if part)
    if text:
        html = "".join(f"<p>{escape(part)}</p>" for part in parts if part)
        out.append(Piece(Block("quote", text=text), f"<blockquote>{html}</blockquote>"))


def _list(el: HtmlElement, out: list[Piece]) -> None:
    if el.tag == "dl":
        items = [element_text(child) for child in el if child.tag in {"dt", "dd"}]
    else:
        items = [element_text(child) for child in el if child.tag == "li"]
    items = [item for item in items if item]
    if not items:
        return
    ordered = el.tag == "ol"
    tag = "ol" if ordered else "ul"
    html = f"<{tag}>" + "".join(f"<li>{escape(item)}</li>" for item in items) + f"</{tag}>"
    out.append(Piece(Block("list", items=tuple(items), ordered=ordered), html))


def _figure(el: HtmlElement, base: str | None, out: list[Piece]) -> None:
    image = figure_image(el, base)
    if image is None:
        if el.tag == "figure":
            _container(el, base, out)
        return
    out.append(Piece(Block("figure", text=image.caption or "", image=image), figure_html(image)))


def figure_html(image: Image) -> str:
    """A clean ``<figure>`` for an image, caption and credit."""
    alt = escape(image.alt or "")
    caption = escape(image.caption or "")
    credit = f" <small>{escape(image.credit)}</small>" if image.credit else ""
    figcaption = f"<figcaption>{caption}{credit}</figcaption>" if caption or credit else ""
    return f'<figure><img src="{escape(image.url)}" alt="{alt}">{figcaption}</figure>'


def _embed(el: HtmlElement, base: str | None, out: list[Piece]) -> None:
    url = el.get("src") or el.get("data-src")
    if not url:
        for source in el.iter("source"):
            url = source.get("src")
            break
    if not url:
        return
    url = absolute(url, base)
    title = clean_text(el.get("title") or "")
    out.append(Piece(Block("embed", text=title, url=url), _embed_html(url, title)))


def _embed_html(url: str | None, text: str) -> str:
    if not url:
        return f"<p>{escape(text)}</p>" if text else ""
    return f'<p><a href="{escape(url)}">{escape(text or url)}</a></p>'


def _is_layout_table(el: HtmlElement) -> bool:
    return any(node is not el for node in el.iter("p", "div", "table", "br", "ul", "h2", "h3"))


def _table(el: HtmlElement, out: list[Piece]) -> None:
    for row in el.iter("tr"):
        cells = [element_text(cell) for cell in row if cell.tag in {"td", "th"}]
        text = " ".join(cell for cell in cells if cell)
        if text:
            out.append(Piece(Block("paragraph", text=text), f"<p>{escape(text)}</p>"))


def _container(el: HtmlElement, base: str | None, out: list[Piece]) -> None:
    run: list[str] = []
    html: list[str] = []
    if el.text:
        run.append(el.text)
        html.append(escape(el.text))
    previous_br = False
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            pass
        elif tag == "br":
            if previous_br:
                _flush(run, html, out)
            else:
                run.append(" ")
                html.append("<br>")
            previous_br = True
        elif tag in _BLOCK_TAGS or _holds_blocks(child):
            _flush(run, html, out)
            _walk(child, base, out)
            previous_br = False
        elif (tag == "figcaption" or child.attrib) and is_caption(child):
            pass  # an inline caption or credit ("© Agency") beside an image
        else:
            run.append(element_text(child))
            html.append(tostring(child, encoding=str, with_tail=False))
            previous_br = False
        if child.tail:
            if child.tail.strip():
                previous_br = False
            run.append(child.tail)
            html.append(escape(child.tail))
    _flush(run, html, out)


def _holds_blocks(el: HtmlElement) -> bool:
    return any(node.tag in _BLOCK_TAGS for node in el.iterdescendants())


def _flush(run: list[str], html: list[str], out: list[Piece]) -> None:
    text = clean_text("".join(run))
    if text:
        out.append(Piece(Block("paragraph", text=text), "<p>" + "".join(html) + "</p>"))
    run.clear()
    html.clear()


def _outer(el: HtmlElement, tag: str) -> str:
    inner = escape(el.text or "") + "".join(
        tostring(child, encoding=str, with_tail=True) for child in el
    )
    return f"<{tag}>{inner}</{tag}>"


__all__ = ["Piece", "figure_html", "image_url", "pieces_from"]
