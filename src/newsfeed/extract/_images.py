"""The lead image: the picture a reader sees at the top of the story.

The page's own ``<img>`` for it is found first: the image whose file (any size) is the one
``og:image`` (or JSON-LD ``image``, ``twitter:image``, ``link rel=image_src``) names,
preferring a copy with a caption; else the first figure in the article header
(``.article-image``, ``.featured-image`` …); else the first figure in the article. Its URL
comes from lazy-loading attributes (``data-src`` …), else ``src`` unless it is a
placeholder, else the widest ``srcset`` candidate, made absolute. Caption and credit
come from its ``<figure>`` or a close wrapper holding a caption (see ``_captions``), else
JSON-LD ``ImageObject``, else a descriptive alt text (three words or more). Without such
an ``<img>`` the social image's URL is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote

from lxml import etree, html

from newsfeed.extract import _dom
from newsfeed.extract._captions import CAPTION_CLASSES, figure_caption, jsonld_caption
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
_MIN_SIDE = 150
_ASIDE = re.compile(r"author|byline|avatar|related|teaser|recommend|promo|newsletter|comment")
_CHROME = frozenset({"nav", "footer", "aside", "header"})
_SIZE_SUFFIX = re.compile(r"(-\d+x\d+|_\d+x\d+|@\dx)?(\.[a-z]{2,4})+$")


def find_lead_image(src: Sources) -> Image | None:
    meta_url = _dom.absolute(_meta_image_url(src.jsonld, src.tags), src.base)
    img = _page_image(src, meta_url)
    url = _dom.absolute(_dom.image_source(img), src.base) if img is not None else None
    if url is None:
        img, url = None, meta_url
    if url is None:
        return None
    figure = _figure_of(img) if img is not None else None
    caption, credit = figure_caption(figure) if figure is not None else (None, None)
    if caption is None and credit is None:
        caption, credit = jsonld_caption(src.jsonld)
    alt = _alt(img, src.tags)
    if caption is None and alt is not None and len(alt.split()) >= 3:
        # Many sites put the caption only in the alt text of the lead picture.
        caption = alt
    return Image(
        url=url,
        alt=alt,
        caption=caption,
        credit=credit,
        width=_number(img.get("width"))
        if img is not None
        else _number(src.tags.first("og:image:width")),
        height=_number(img.get("height"))
        if img is not None
        else _number(src.tags.first("og:image:height")),
    )


def _page_image(src: Sources, meta_url: str | None) -> etree._Element | None:
    if meta_url:
        found = _image_with_file(src.doc, _stem(meta_url))
        if found is not None:
            return found
    figure = _header_figure(src.classes)
    if figure is None:
        figure = _first_article_figure(src.doc)
    return next(iter(figure.iter("img")), None) if figure is not None else None


def _image_with_file(doc: html.HtmlElement, wanted: str) -> etree._Element | None:
    """The ``<img>`` outside navigation whose file (any size) is ``wanted``: the first one
    with a caption, else the first one."""
    if not wanted:
        return None
    found = [img for img in doc.iter("img") if wanted in _stems_of(img) and not _in_chrome(img)]
    captioned = (img for img in found if _figure_of(img) is not None)
    return next(captioned, found[0] if found else None)


def _stems_of(img: etree._Element) -> set[str]:
    values = [img.get(attr) for attr in ("src", "data-src", "data-lazy-src", "data-original")]
    values += [img.get("srcset"), img.get("data-srcset"), _dom.image_source(img)]
    parent = img.getparent()
    if parent is not None and parent.tag == "picture":
        values += [source.get("srcset") or source.get("data-srcset") for source in parent]
    stems: set[str] = set()
    for value in values:
        if value:
            stems |= {_stem(part.strip().split(" ")[0]) for part in value.split(",")}
    return stems


def _stem(url: str) -> str:
    """The file name without size suffix and extensions; for image proxies whose path ends
    in a number ("…/quality/90/?url=https%3A…%2Fabc123"), the proxied file's name."""
    path, _, query = url.partition("?")
    name = _SIZE_SUFFIX.sub("", path.rstrip("/").rsplit("/", 1)[-1]).lower()
    if len(name) >= 5 and not name.isdigit():
        return name
    inner = re.search(r"(?:^|&)(?:url|src|image)=([^&]+)", query)
    if inner:
        return _stem(unquote(inner.group(1)))
    return name


def _in_chrome(element: etree._Element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in ("article", "main"):
            return False
        if ancestor.tag in _CHROME:
            return True
    return False


def _header_figure(classes: ClassIndex) -> etree._Element | None:
    for element in classes.find(*_HEADER_CLASSES):
        if element.tag in ("html", "body"):
            continue
        figure = element if element.tag == "figure" else next(iter(element.iter("figure")), None)
        if figure is not None and next(iter(figure.iter("img")), None) is not None:
            return figure
    return None


def _first_article_figure(doc: html.HtmlElement) -> etree._Element | None:
    for container in _article_containers(doc):
        for figure in container.iter("figure"):
            img = next(iter(figure.iter("img")), None)
            if img is not None and not _small_or_aside(img, container):
                return figure
    return None


def _small_or_aside(img: etree._Element, container: etree._Element) -> bool:
    """An avatar, icon or teaser picture rather than the story's own."""
    for attr in ("width", "height"):
        size = _number(img.get(attr))
        if size is not None and size < _MIN_SIDE:
            return True
    for node in img.iterancestors():
        if node is container:
            return False
        if _ASIDE.search(_dom.classes(node)):
            return True
    return False


def _article_containers(doc: html.HtmlElement) -> Iterator[etree._Element]:
    yield from doc.iter("article")
    yield from doc.iter("main")


def _figure_of(img: etree._Element) -> etree._Element | None:
    """The ``<figure>`` holding the image, or a close wrapper that also holds a caption."""
    for depth, ancestor in enumerate(img.iterancestors()):
        if ancestor.tag == "figure" or "figure" in _dom.classes(ancestor):
            return ancestor
        if ancestor.tag in ("article", "main", "body") or depth > 6:
            break
        if depth < 3 and _holds_caption(ancestor, img):
            return ancestor
    return None


def _holds_caption(wrapper: etree._Element, img: etree._Element) -> bool:
    if sum(1 for _ in wrapper.iter("img")) > 1:
        return False
    if next(wrapper.iter("figcaption"), None) is not None:
        return True
    return next(_dom.iter_class(wrapper, *CAPTION_CLASSES), None) is not None


def _alt(img: etree._Element | None, tags: MetaTags) -> str | None:
    alt = (img.get("alt") or "").strip() if img is not None else ""
    alt = alt or tags.first("og:image:alt", "twitter:image:alt") or ""
    return None if not alt or _FURNITURE_ALT.match(alt) else alt


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


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
