"""Article metadata from a whole page: everything about the story except its body.

``extract_metadata`` reads the page's structured data (JSON-LD, OpenGraph and other meta
tags, microdata) and common CMS markup (Ghost, WordPress) and returns one frozen
``Metadata``. It only reads the tree it is given and never changes it, so the body
extractor may clean the same document afterwards (or its own copy).

The page is read once (``_sources``: JSON-LD, meta tags, a class index); each field then
has its own small reader, whose module documents the order of its sources:

- ``_title``: headline and site name;
- ``_authors`` (with ``_bylines`` and ``_author_cards``): names, roles, bios, avatars;
- ``_page_dates`` (parsing in ``_dates``): published and updated times;
- ``_images`` (with ``_captions``): lead image, caption and credit;
- ``_signals``: dek, section, tags, language, canonical URL, paywall, stated reading time.

Cost: roughly 10–30 ms a page; no network, no model, bounded regexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import html

from newsfeed.extract._authors import find_authors
from newsfeed.extract._images import find_lead_image
from newsfeed.extract._page_dates import find_published, find_updated
from newsfeed.extract._signals import (
    find_canonical,
    find_dek,
    find_language,
    find_paywall,
    find_reading_time,
    find_section,
    find_tags,
)
from newsfeed.extract._sources import read_sources
from newsfeed.extract._title import find_site_name, find_title
from newsfeed.types import Author, Image


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a page says about its story; field names match ``newsfeed.types.Article``."""

    title: str | None = None
    dek: str | None = None
    section: str | None = None
    site_name: str | None = None
    authors: tuple[Author, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = None
    canonical_url: str | None = None
    lead_image: Image | None = None
    tags: tuple[str, ...] = ()
    paywalled: bool = False
    stated_reading_time: int | None = None
    """Minutes, as the page itself states ("3 min read")."""


def extract_metadata(doc: html.HtmlElement, url: str | None = None) -> Metadata:
    """Read the metadata of the page ``doc`` (parsed from the whole page) found at ``url``.

    ``url`` resolves relative links and helps recognise the site name in titles; without
    it, relative URLs stay relative unless the page has a ``<base href>``.
    """
    src = read_sources(doc, url)
    site_name = find_site_name(src)
    return Metadata(
        title=find_title(src, site_name),
        dek=find_dek(src),
        section=find_section(src),
        site_name=site_name,
        authors=find_authors(src, site_name),
        published=find_published(src),
        updated=find_updated(src),
        language=find_language(src),
        canonical_url=find_canonical(src),
        lead_image=find_lead_image(src),
        tags=find_tags(src),
        paywalled=find_paywall(src),
        stated_reading_time=find_reading_time(src),
    )
