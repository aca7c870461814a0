"""A stop-gap for ``_metadata`` until the metadata module lands from the extract-meta branch.

Only what the body extraction needs to be tested: title, language, canonical URL, lead image
(OpenGraph) and the stated reading time. Delete this file when ``_metadata.py`` is merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from newsfeed.types import Author, Image

from ._text import absolute, clean_text

_MINUTES = re.compile(r"\b(\d{1,3})\s*(?:min|minute)s?\.?\s+read\b", re.I)


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str = ""
    canonical_url: str | None = None
    language: str | None = None
    lead_image: Image | None = None
    authors: tuple[Author, ...] = ()
    stated_reading_time: int | None = None


def extract_metadata(doc: HtmlElement, url: str | None) -> Metadata:
    title = _meta(doc, "og:title") or _first_text(doc, "//h1") or _first_text(doc, "//title")
    image = _meta(doc, "og:image")
    canonical = doc.xpath("string(//link[@rel='canonical']/@href)").strip() or None
    minutes = _MINUTES.search(clean_text(doc.text_content())[:20000])
    return Metadata(
        title=title or "",
        canonical_url=absolute(canonical, url) if canonical else None,
        language=(doc.get("lang") or "").strip() or None,
        lead_image=Image(url=absolute(image, url)) if image else None,
        stated_reading_time=int(minutes.group(1)) if minutes else None,
    )


def _meta(doc: HtmlElement, prop: str) -> str | None:
    value = doc.xpath(f"string(//meta[@property='{prop}' or @name='{prop}']/@content)")
    return clean_text(str(value)) or None


def _first_text(doc: HtmlElement, xpath: str) -> str | None:
    for el in doc.xpath(xpath):
        return clean_text(el.text_content()) or None
    return None
