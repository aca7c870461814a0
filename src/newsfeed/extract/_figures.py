"""Images in the body: the real (lazy-loaded) source, and captions with the credit split off."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsfeed.types import Image

from ._text import absolute, clean_text

_LAZY_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-url", "data-lazy", "src")
_SRCSET_ATTRS = ("data-srcset", "data-lazy-srcset", "srcset")
_PLACEHOLDER = re.compile(r"^data:|blank\.gif|spacer\.gif|pixel\.gif|placeholder|1x1\.", re.I)
_CREDIT_CLASS = re.compile(r"credit|copyright|byline|source|attribution|photographer", re.I)
_TRAILING_PARENS = re.compile(r"\s*\(([^()]{3,160})\)\s*$")
_CREDIT_WORDS = re.compile(
    r"/|\bvia\b|getty|reuters|\bap\b|afp|epa|shutterstock|photo|image|credit|courtesy|©|"
    r"picture|foto|bild|imago|dpa|istock|alamy|pool|unsplash",
    re.I,
)
_CREDIT_PREFIX = re.compile(
    r"\s*[|–—-]?\s*((?:photo|image|picture|foto|bild|credit|source|quelle)s?\s*(?:credit)?\s*:"
    r"\s*[^.]{2,120}|©\s*[^.]{2,120})\.?\s*$",
    re.I,
)
_ALT_FURNITURE = re.compile(r"^(article image|image|avatar|photo|picture|thumbnail|logo)$", re.I)


def image_url(img: HtmlElement, base: str | None) -> str | None:
    """The image's real URL: lazy-loading attributes first, the widest srcset candidate next."""
    for attr in _SRCSET_ATTRS:
        best = _best_from_srcset(img.get(attr) or "")
        if best:
            return absolute(best, base)
    for attr in _LAZY_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not _PLACEHOLDER.search(value):
            return absolute(value, base)
    return None


def _best_from_srcset(srcset: str) -> str | None:
    best: tuple[float, str] | None = None
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts or _PLACEHOLDER.search(parts[0]):
            continue
        size = 1.0
        if len(parts) > 1:
            try:
                size = float(parts[1].rstrip("wWxX"))
            except ValueError:
                size = 1.0
        if best is None or size > best[0]:
            best = (size, parts[0])
    return best[1] if best else None


def split_credit(caption: str) -> tuple[str | None, str | None]:
    """``"Trump in Helsinki. (Name / AFP via Getty Images)"`` → caption and credit apart."""
    caption = clean_text(caption)
    match = _TRAILING_PARENS.search(caption)
    if match and _CREDIT_WORDS.search(match.group(1)):
        return caption[: match.start()].strip() or None, match.group(1).strip()
    match = _CREDIT_PREFIX.search(caption)
    if match and match.start() > 0:
        return caption[: match.start()].strip(" |–—-") or None, match.group(1).strip()
    return caption or None, None


def figure_image(el: HtmlElement, base: str | None) -> Image | None:
    """An ``Image`` for a ``<figure>`` (or a bare ``<img>``), with caption and credit apart."""
    img = el if el.tag == "img" else _first_img(el)
    if img is None:
        return None
    url = image_url(img, base)
    if url is None:
        return None
    alt = clean_text(img.get("alt") or "") or None
    if alt and _ALT_FURNITURE.match(alt):
        alt = None
    caption, credit = _caption_and_credit(el) if el.tag != "img" else (None, None)
    return Image(
        url=url,
        alt=alt,
        caption=caption,
        credit=credit,
        width=_int(img.get("width")),
        height=_int(img.get("height")),
    )


def _first_img(el: HtmlElement) -> HtmlElement | None:
    for img in el.iter("img"):
        return img
    return None


def _caption_and_credit(el: HtmlElement) -> tuple[str | None, str | None]:
    captions = list(el.iter("figcaption")) or [
        c for c in el.iter() if "caption" in (c.get("class") or "").lower()
    ]
    if not captions:
        return None, None
    cap = captions[0]
    credit_el = next(
        (
            c
            for c in cap.iter()
            if c is not cap and (c.tag == "small" or _CREDIT_CLASS.search(c.get("class") or ""))
        ),
        None,
    )
    if credit_el is None:
        credit_el = next(
            (c for c in el.iter() if _CREDIT_CLASS.search(c.get("class") or "") and c is not el),
            None,
        )
    credit = clean_text(credit_el.text_content()) if credit_el is not None else ""
    text = clean_text(cap.text_content())
    if credit and credit in text:
        text = clean_text(text.replace(credit, " "))
        return text or None, credit
    caption, found = split_credit(text)
    return caption, credit or found


def _int(value: str | None) -> int | None:
    if value and value.strip().isdigit():
        return int(value.strip())
    return None
