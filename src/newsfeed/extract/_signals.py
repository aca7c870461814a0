"""The smaller page facts: dek, section, tags, language, canonical URL, paywall flag and
the reading time the page states."""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree, html

from newsfeed.extract import _dom
from newsfeed.extract._jsonld import JsonLd, as_list, text_of
from newsfeed.extract._meta_tags import parsely_page
from newsfeed.extract._sources import ClassIndex, Sources

_READING_TIME = (
    # "3 min read", "5 minute read", "5-minute read", "Reading time: 4 minutes"
    re.compile(
        r"\b(\d{1,3})\s*[- ]?\s*(?:min(?:ute)?s?\.?)\s*(?:read|reading|de lecture|"
        r"di lettura|de lectura|leestijd|lesezeit|läsning|lesetid|læsetid)\b",
        re.I,
    ),
    re.compile(
        r"\b(?:reading time|read time|lesezeit|lesedauer|temps de lecture|"
        r"tiempo de lectura|tempo di lettura|leestijd|lesetid|läsetid|læsetid)\s*:?\s*"
        r"(?:ca\.\s*|about\s*|~\s*)?(\d{1,3})\s*(?:min|minutes?|minuten|mins?\.?)",
        re.I,
    ),
    re.compile(r"\b(\d{1,3})\s*(?:min|minuten|minutes)\.?\s*(?:lesezeit|lesedauer)\b", re.I),
)
_READING_CLASSES = (
    "reading-time",
    "read-time",
    "readtime",
    "readingtime",
    "lesezeit",
    "reading_time",
)
_PAYWALL_CLASSES = (
    "paywall",
    "premium-content",
    "subscriber-only",
    "subscribers-only",
    "plus-content",
    "article-locked",
    "regwall",
    "meteredcontent",
    "paid-content",
    "is-locked",
    "gated-content",
)
_NOT_PAYWALL = re.compile(r"no-?paywall|paywall-?(?:free|hidden|off)|\bhidden\b|is-hidden")
_PAYWALL_TEXT = 30
# Text nodes that might state a reading time; the XPath runs in C over the whole page.
_MINUTE_TEXTS = etree.XPath(
    "//text()[contains(., 'min') or contains(., 'Min') or contains(., 'MIN') "
    "or contains(., 'Lesezeit') or contains(., 'LESEZEIT')]"
)
_DURATION = re.compile(r"^P(?:T)?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$", re.I)


def find_dek(src: Sources) -> str | None:
    jsonld, tags = src.jsonld, src.tags
    if jsonld.article is not None:
        found = text_of(jsonld.article.get("alternativeHeadline")) or text_of(
            jsonld.article.get("description")
        )
        if found:
            return found
    return tags.first("og:description", "description", "twitter:description", "dc.description")


def find_section(src: Sources) -> str | None:
    jsonld, tags = src.jsonld, src.tags
    found = tags.first("article:section", "parsely-section", "sailthru.section", "section")
    if found:
        return found
    if jsonld.article is not None:
        found = text_of(jsonld.article.get("articleSection"))
        if found:
            return found
    parsely = parsely_page(tags).get("section")
    if isinstance(parsely, str) and parsely:
        return parsely
    return _ghost_primary_tag(src.classes) or _breadcrumb_section(jsonld)


def _ghost_primary_tag(classes: ClassIndex) -> str | None:
    for element in classes.find("article-tag", "post-card-primary-tag", "post-full-meta-tag"):
        value = _dom.text(element)
        if value and len(value) < 60:
            return value
    return None


def _breadcrumb_section(jsonld: JsonLd) -> str | None:
    for crumbs in jsonld.of_type("BreadcrumbList"):
        items = [
            item for item in as_list(crumbs.get("itemListElement")) if isinstance(item, Mapping)
        ]
        names = [text_of(item.get("name")) or text_of(item.get("item")) for item in items]
        names = [name for name in names if name and not name.startswith("http")]
        # The first crumb is the home page and the last one is usually the story itself.
        if len(names) >= 3:
            return names[-2]
        if len(names) == 2:
            return names[1]
    return None


def find_tags(src: Sources) -> tuple[str, ...]:
    jsonld, tags = src.jsonld, src.tags
    values = list(tags.every("article:tag", "parsely-tags", "sailthru.tags", "news_keywords"))
    values += tags.every("keywords")
    if jsonld.article is not None:
        for item in as_list(jsonld.article.get("keywords")):
            if isinstance(item, str):
                values.append(item)
    found: dict[str, str] = {}
    for value in values:
        parts = value.split(",") if "," in value or ";" not in value else value.split(";")
        for part in parts:
            tag = " ".join(part.split()).strip()
            if tag and len(tag) < 80 and tag.casefold() not in found:
                found[tag.casefold()] = tag
    return tuple(found.values())


def find_language(src: Sources) -> str | None:
    jsonld, tags = src.jsonld, src.tags
    root = src.doc.getroottree().getroot()
    candidates = [
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang") or root.get("xml:lang"),
        tags.first("content-language", "language", "dc.language", "dcterms.language"),
        tags.first("og:locale"),
    ]
    if jsonld.article is not None:
        candidates.append(text_of(jsonld.article.get("inLanguage")))
    for candidate in candidates:
        if candidate:
            code = candidate.strip().replace("_", "-").split(",")[0].strip()
            if re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", code):
                return code.lower() if len(code) <= 3 else _region_case(code)
    return None


def _region_case(code: str) -> str:
    lang, _, rest = code.partition("-")
    return f"{lang.lower()}-{rest.upper()}" if len(rest) == 2 else f"{lang.lower()}-{rest}"


def find_canonical(src: Sources) -> str | None:
    jsonld, tags, base = src.jsonld, src.tags, src.base
    candidates = [tags.link("canonical"), tags.first("og:url")]
    if jsonld.article is not None:
        candidates.append(text_of(jsonld.article.get("url")))
    for candidate in candidates:
        found = _dom.absolute(candidate, base)
        if found and found.startswith(("http://", "https://")):
            return found
    return None


def find_paywall(src: Sources) -> bool:
    jsonld, tags = src.jsonld, src.tags
    if jsonld.article is not None:
        free = jsonld.article.get("isAccessibleForFree")
        if free is False or (isinstance(free, str) and free.strip().lower() == "false"):
            return True
    if (tags.first("article:content_tier") or "").lower() in {"locked", "metered", "premium"}:
        return True
    return any(_is_paywall_box(element) for element in src.classes.find(*_PAYWALL_CLASSES))


def _is_paywall_box(element: etree._Element) -> bool:
    """A paywall box that says something. Many free pages carry empty or hidden paywall
    containers for their subscription script, so an empty one is no evidence."""
    names = _dom.classes(element)
    if _NOT_PAYWALL.search(names) or "display:none" in (element.get("style") or "").replace(
        " ", ""
    ):
        return False
    return len(_dom.text(element)) >= _PAYWALL_TEXT


def find_reading_time(src: Sources) -> int | None:
    jsonld, tags = src.jsonld, src.tags
    label = tags.first("twitter:label1")
    if label and "read" in label.lower():
        found = _minutes_in(f"{tags.first('twitter:data1') or ''} read")
        if found:
            return found
    if jsonld.article is not None:
        found = _iso_minutes(text_of(jsonld.article.get("timeRequired")))
        if found:
            return found
    for element in src.classes.find(*_READING_CLASSES):
        value = _dom.text(element)
        # A bare number in a reading-time slot means minutes.
        found = _minutes_in(f"{value} min read" if value.isdigit() else f"{value} read")
        if found:
            return found
    return _minutes_in_short_texts(src.doc)


def _minutes_in_short_texts(doc: html.HtmlElement) -> int | None:
    """A short element that says "3 min read" or "Lesezeit: 4 Min." anywhere on the page."""
    for node in _MINUTE_TEXTS(doc):
        parent = node.getparent() if isinstance(node, etree._ElementUnicodeResult) else None
        for element in (parent, parent.getparent() if parent is not None else None):
            if element is None or len(element) > 4:
                continue
            value = _dom.text(element)
            found = _minutes_in(value) if len(value) <= 60 else None
            if found:
                return found
    return None


def _minutes_in(value: str) -> int | None:
    for pattern in _READING_TIME:
        match = pattern.search(value)
        if match:
            minutes = int(match.group(1))
            return minutes if 0 < minutes < 300 else None
    return None


def _iso_minutes(value: str | None) -> int | None:
    if not value:
        return None
    match = _DURATION.match(value.strip())
    if not match:
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    total = hours * 60 + minutes + round(seconds / 60)
    return total if 0 < total < 300 else None
