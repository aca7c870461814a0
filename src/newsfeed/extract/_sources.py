"""What the metadata readers look at, read once per page and shared."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree, html

from newsfeed.extract import _dom
from newsfeed.extract._jsonld import JsonLd, read_jsonld
from newsfeed.extract._meta_tags import MetaTags, read_meta_tags

_CLASSED = etree.XPath("descendant-or-self::*[@class or @id]")


@dataclass(frozen=True, slots=True)
class ClassIndex:
    """Every element with a class or id, with both lower-cased, in document order.

    Built once per page so that the many "any element whose class contains …" questions
    do not each walk the whole tree in Python.
    """

    entries: tuple[tuple[etree._Element, str], ...] = ()

    def find(self, *needles: str) -> Iterator[etree._Element]:
        pattern = re.compile("|".join(re.escape(needle) for needle in needles))
        return (element for element, names in self.entries if pattern.search(names))


@dataclass(frozen=True, slots=True)
class Sources:
    """The page and its structured data, as every field reader needs them."""

    doc: html.HtmlElement
    url: str | None
    base: str | None
    jsonld: JsonLd
    tags: MetaTags
    classes: ClassIndex


def read_sources(doc: html.HtmlElement, url: str | None) -> Sources:
    found = _CLASSED(doc)
    assert isinstance(found, list)
    entries = tuple(
        (element, _dom.classes(element)) for element in found if isinstance(element, etree._Element)
    )
    return Sources(
        doc=doc,
        url=url,
        base=_dom.base_url(doc, url),
        jsonld=read_jsonld(doc, url),
        tags=read_meta_tags(doc),
        classes=ClassIndex(entries),
    )
