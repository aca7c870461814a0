"""``<meta>`` and ``<link>`` tags: OpenGraph, ``article:``, Twitter cards, Dublin Core,
Parse.ly, Sailthru and the plain ``name=author``/``description`` kind.

All are read once into a lookup keyed by the lower-cased ``property``, ``name``,
``itemprop`` or ``http-equiv`` attribute, values in document order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import html

from newsfeed.extract import _dom

_KEY_ATTRS = ("property", "name", "itemprop", "http-equiv")


@dataclass(frozen=True, slots=True)
class MetaTags:
    """The page's meta tags and ``<link rel>`` targets, by lower-cased key."""

    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    links: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def first(self, *keys: str) -> str | None:
        """The first non-empty value under the first key that has one."""
        for key in keys:
            for value in self.values.get(key, ()):
                if value:
                    return value
        return None

    def every(self, *keys: str) -> tuple[str, ...]:
        """All non-empty values under all the keys, in key order."""
        return tuple(value for key in keys for value in self.values.get(key, ()) if value)

    def link(self, rel: str) -> str | None:
        found = self.links.get(rel)
        return found[0] if found else None


def read_meta_tags(doc: html.HtmlElement) -> MetaTags:
    values: dict[str, list[str]] = {}
    for meta in doc.iter("meta"):
        content = meta.get("content")
        if content is None:
            content = meta.get("value")
        if content is None:
            continue
        content = _dom.clean(content)
        for attr in _KEY_ATTRS:
            raw = meta.get(attr)
            if not raw:
                continue
            # RDFa allows several space-separated properties on one tag.
            for key in raw.lower().split():
                values.setdefault(_dublin_core(key), []).append(content)
    links: dict[str, list[str]] = {}
    for link in doc.iter("link"):
        href = (link.get("href") or "").strip()
        if not href:
            continue
        for rel in (link.get("rel") or "").lower().split():
            links.setdefault(rel, []).append(href)
    return MetaTags(
        values={key: tuple(items) for key, items in values.items()},
        links={key: tuple(items) for key, items in links.items()},
    )


def _dublin_core(key: str) -> str:
    """``dc:title`` and ``DC.title`` are the same tag; keep one spelling."""
    for prefix in ("dc:", "dcterms:", "dct:"):
        if key.startswith(prefix):
            return ("dcterms." if prefix != "dc:" else "dc.") + key[len(prefix) :]
    return key


def parsely_page(tags: MetaTags) -> Mapping[str, object]:
    """The JSON object some pages put in ``<meta name="parsely-page">``."""
    raw = tags.first("parsely-page")
    if not raw:
        return {}
    try:
        found = json.loads(raw)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
