"""The lead image: where it is, and its caption and photo credit kept apart.

The URL comes from the first figure in the article header when there is one (that is the
picture a reader sees), else ``og:image``, JSON-LD ``image``, ``twitter:image``,
``itemprop=image`` or ``link rel=image_src``. Lazy-loading attributes (``data-src``,
``srcset``) are resolved and every URL is made absolute. The caption is read from the
matching ``<figure>`` (or JSON-LD ``ImageObject.caption``); the credit is taken from a
credit-like child (``.credit``, ``.copyright``, ``.photographer`` …) or split off the
caption: a trailing "(Name / Agency)", "Photo: X", "Credit: X", "Foto: X", "© X".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lxml import etree, html

from newsfeed.extract import _dom
from newsfeed.extract._jsonld import JsonLd, as_list, text_of
from newsfeed.extract._meta_tags import MetaTags
from newsfeed.extract._sources import ClassIndex, Sources
from newsfeed.types import Image

# Alt texts that describe the slot, not the picture.
_FURNITURE_ALT = re.compile(
    r"^\s*(article|featured|lead|hero|post|header|cover|main)?\s*(image|img|photo|picture|"
    r"thumbnail|avatar|bild|foto)\s*\d*\s*$",
    re.I,
)
_CREDIT_CLASSES = (
    "credit",
    "copyright",
    "photographer",
    "source",
    "byline",
    "attribution",
    "courtesy",
    "image-author",
    "bildnachweis",
    "quelle",
)
_HEADER_CLASSES = (
    "article-image",
    "post-full-image",
    "gh-article-image",
    "feature-image",
    "featured-image",
    "lead-image",
    "hero",
    "article-header",
    "post-header",
    "entry-header",
    "article-media",
    "lead-media",
    "main-image",
    "top-image",
)
_LABEL = (
    r"(?:photo(?:graph)?s?|image|picture|pic|credit|foto(?:s|grafie)?|bild|quelle|"
    r"source|crédit|crédito|fuente|illustration|grafik|copyright)"
)
_TRAILING_LABEL = re.compile(rf"\s*[(\[]?\s*{_LABEL}\s*(?:by|von|:)\s*([^()]+?)[)\]]?\s*$", re.I)
_TRAILING_PAREN = re.compile(r"\s*[(\[]([^()\[\]]{2,120})[)\]]\s*\.?\s*$")
_TRAILING_COPY = re.compile(r"\s*(?:©|\(c\)|copyright)\s*([^©]{2,120})$", re.I)
_CREDITISH = re.compile(
    r"/|\bvia\b|getty|afp|reuters|\bap\b|\bdpa\b|epa|imago|shutterstock|images?\b|photo|"
    r"foto|press|agency|alamy|istock|picture alliance|courtesy|handout|pool|xinhua|"
    r"anadolu|sipa|efe|ansa|keystone|apa|bloomberg|wikimedia|unsplash|supplied|©",
    re.I,
)


def find_lead_image(src: Sources) -> Image | None:
    doc, jsonld, tags, base = src.doc, src.jsonld, src.tags, src.base
    header_figure = _header_figure(src.classes)
    meta_url = _meta_image_url(jsonld, tags)
    url = _dom.absolute(meta_url, base)
    figure = _figure_for(doc, url, base) if url else None
    if figure is None and header_figure is not None:
        figure = header_figure
    if url is None and figure is not None:
        img = next(iter(figure.iter("img")), None)
        url = _dom.absolute(_dom.image_source(img), base) if img is not None else None
    if url is None:
        return None
    caption, credit = _figure_caption(figure) if figure is not None else (None, None)
    if caption is None and credit is None:
        caption, credit = _jsonld_caption(jsonld)
    alt = tags.first("og:image:alt", "twitter:image:alt")
    if alt is None and figure is not None:
        img = next(iter(figure.iter("img")), None)
        alt = (img.get("alt") or "").strip() or None if img is not None else None
    if alt is not None and _FURNITURE_ALT.match(alt):
        alt = None
    return Image(url=url, alt=alt, caption=caption, credit=credit, **_size(tags))


def split_credit(text: str) -> tuple[str | None, str | None]:
    """Split a caption into (caption, credit) when it ends with a credit."""
    value = " ".join(text.split())
    if not value:
        return None, None
    for pattern in (_TRAILING_LABEL, _TRAILING_COPY):
        match = pattern.search(value)
        if match and match.start() > 0:
            return _or_none(value[: match.start()]), _or_none(match.group(1))
        if match:
            return None, _or_none(match.group(1))
    match = _TRAILING_PAREN.search(value)
    if match and _CREDITISH.search(match.group(1)) and len(match.group(1).split()) <= 10:
        return _or_none(value[: match.start()]), _or_none(match.group(1))
    return value, None


def _or_none(value: str) -> str | None:
    cleaned = value.strip(" \t\n|–—-:,;")
    return cleaned or None


def _meta_image_url(jsonld: JsonLd, tags: MetaTags) -> str | None:
    found = tags.first("og:image:secure_url", "og:image", "og:image:url")
    if found:
        return found
    if jsonld.article is not None:
        for item in as_list(jsonld.article.get("image")):
            url = _image_object_url(jsonld.resolve(item))
            if url:
                return url
    return tags.first("twitter:image", "twitter:image:src", "image", "thumbnail") or tags.link(
        "image_src"
    )


def _image_object_url(item: Any) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        return text_of(item.get("url")) or text_of(item.get("contentUrl"))
    return None


def _jsonld_caption(jsonld: JsonLd) -> tuple[str | None, str | None]:
    if jsonld.article is None:
        return None, None
    for item in as_list(jsonld.article.get("image")):
        obj = jsonld.resolve(item)
        if not isinstance(obj, Mapping):
            continue
        caption = text_of(obj.get("caption")) or text_of(obj.get("description"))
        credit = text_of(obj.get("creditText")) or text_of(obj.get("copyrightHolder"))
        credit = credit or text_of(obj.get("author"))
        if caption and not credit:
            return split_credit(caption)
        if caption or credit:
            return caption, credit
    return None, None


def _header_figure(classes: ClassIndex) -> etree._Element | None:
    for element in classes.find(*_HEADER_CLASSES):
        if element.tag in ("html", "body"):
            continue
        figure = element if element.tag == "figure" else next(iter(element.iter("figure")), None)
        if figure is not None and next(iter(figure.iter("img")), None) is not None:
            return figure
    return None


def _figure_for(doc: html.HtmlElement, url: str, base: str | None) -> etree._Element | None:
    """The ``<figure>`` whose image is the lead image (same file name, ignoring size)."""
    wanted = _stem(url)
    for img in doc.iter("img", "source"):
        sources = [
            img.get("src"),
            _dom.image_source(img),
            img.get("srcset"),
            img.get("data-srcset"),
        ]
        if any(src and wanted and wanted in _stem_all(src) for src in sources):
            for ancestor in img.iterancestors():
                if ancestor.tag == "figure" or "figure" in _dom.classes(ancestor):
                    return ancestor
                if ancestor.tag in ("article", "main", "body"):
                    break
    return None


def _stem(url: str) -> str:
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"(-\d+x\d+|_\d+x\d+|@\dx)?\.\w+$", "", name).lower()


def _stem_all(value: str) -> set[str]:
    return {_stem(part.strip().split(" ")[0]) for part in value.split(",") if part.strip()}


def _figure_caption(figure: etree._Element) -> tuple[str | None, str | None]:
    caption_el = next(iter(figure.iter("figcaption")), None)
    if caption_el is None:
        caption_el = next(_dom.iter_class(figure, "caption"), None)
    if caption_el is None:
        return None, None
    credit_el = next(_dom.iter_class(caption_el, *_CREDIT_CLASSES), None)
    if credit_el is None:
        credit_el = next(
            (el for el in _dom.iter_class(figure, *_CREDIT_CLASSES) if el is not caption_el), None
        )
    full = _dom.text(caption_el)
    if credit_el is None:
        return split_credit(full)
    credit = _dom.text(credit_el)
    caption = full.replace(credit, "") if credit and credit in full else full
    return _or_none(caption), _or_none(_strip_label(credit))


def _strip_label(credit: str) -> str:
    return re.sub(rf"^\s*(?:{_LABEL}\s*(?:by|:)|©|\(c\))\s*", "", credit, flags=re.I)


def _size(tags: MetaTags) -> dict[str, int | None]:
    def number(key: str) -> int | None:
        value = tags.first(key)
        return int(value) if value and value.isdigit() else None

    return {"width": number("og:image:width"), "height": number("og:image:height")}
