"""Publication and update times of a page.

The publication time is the first that parses of, in order:

1. JSON-LD ``datePublished``/``dateCreated``, else specific meta tags
   (``article:published_time``, Parse.ly, Sailthru, ``itemprop=datePublished`` …); unless
   at least three of the page's date sources (meta tags, ``<time>``, date-like elements,
   the byline under the headline) agree on another day;
2. a date in the byline right under the headline;
3. a ``<time pubdate>`` or a ``<time>`` inside a "published"-looking wrapper;
4. a date written in a short date-like element (``.date``, ``.datum``, ``.entry-meta`` …,
   not in navigation, footer, sidebar or masthead): "am 21. April 2020", "Datum:
   03.11.2021", "October 16, 2019";
5. generic ``date``/``DC.date`` meta tags (often the last change, hence this late);
6. any ``<time>``;
7. a date in the text after the headline;
8. the URL (``/2019/10/16/``);
9. a date in ``<title>``, and last the first date anywhere in the body.

Structured times are shown in the page's own zone (see ``_local``), so that the calendar
day is the one the page means.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta, timezone

from lxml import etree, html

from newsfeed.extract import _dom
from newsfeed.extract._dates import MONTH_INDEX, date_from_url, parse_date
from newsfeed.extract._jsonld import text_of
from newsfeed.extract._sources import Sources

_MONTHS = "|".join(sorted((re.escape(name) for name in MONTH_INDEX), key=len, reverse=True))
_YEAR = r"(?:19[9]\d|20[0-4]\d)"
_DATE_FORMS = (
    rf"{_YEAR}-\d{{1,2}}-\d{{1,2}}(?:[T ]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?(?!\d)",
    rf"{_YEAR}/\d{{1,2}}/\d{{1,2}}(?!\d)",
    rf"\d{{1,2}}\.\s?\d{{1,2}}\.\s?(?:{_YEAR}|\d{{2}})(?![\d:])",
    # "28.09.19" run into a time: "28.09.1912:44"
    r"\d{1,2}\.\d{1,2}\.\d{2}(?=\d{1,2}:\d\d(?!\d))",
    rf"\d{{1,2}}/\d{{1,2}}/{_YEAR}(?!\d)",
    rf"\d{{1,2}}(?:\.|st|nd|rd|th|er)?\s+(?:de\s+)?(?:{_MONTHS})\.?,?\s+(?:de\s+)?{_YEAR}(?!\d)",
    rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)",
    # a day run into its year: "Apr 042013"
    rf"(?:{_MONTHS})\s+\d{{2}}{_YEAR}(?!\d)",
)
_DATE = re.compile(r"(?<![\d.])(?:" + "|".join(_DATE_FORMS) + ")", re.IGNORECASE)
_DATE_CLASSES = (
    "date",
    "datum",
    "time",
    "zeit",
    "published",
    "posted",
    "dateline",
    "timestamp",
    "byline",
    "entry-meta",
    "post-meta",
    "article-meta",
    "meta-info",
    "article-info",
    "submitted",
)
_NOT_PUBLISHED = re.compile(r"updated|modified|aktualisiert|geändert|comment|kommentar", re.I)
_AFTER_HEADLINE = 1500
_BYLINE_CHARS = 250
_PAGE_SCAN = 200_000


_PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "og:published_time",
    "published_time",
    "parsely-pub-date",
    "sailthru.date",
    "datepublished",
    "date.published",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "citation_publication_date",
    "cxenseparse:recs:publishtime",
    "article.published",
    "content_publish_date",
    "vr:published_time",
    "og:pubdate",
    "originalpublicationdate",
)
# Generic "date" tags are often the last change or the crawl, so they rank lower.
_WEAK_KEYS = ("dc.date", "dcterms.date", "dc.date.created", "dcterms.created", "date")
# A bigger shift than this says the printed date is another event's (or today's date in
# the masthead), not a time zone.
_MAX_EAST_HOURS = 2
_MAX_WEST_HOURS = 8
_OVERRULE = 3
_ZONED = re.compile(r"(?:Z|[+-]\d\d:?\d\d|GMT|UTC|[A-Z]{3,4})$", re.IGNORECASE)
_JSONLD_DATES = ("datePublished", "dateModified", "dateCreated", "uploadDate")
_UPDATED_KEYS = (
    "article:modified_time",
    "og:article:modified_time",
    "article:modified",
    "og:updated_time",
    "modified_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
    "article.updated",
    "revised",
)
_TIME_CLASSES = (
    "published",
    "pubdate",
    "publish",
    "post-date",
    "entry-date",
    "article-date",
    "byline-meta-date",
    "datum",
    "date",
    "time",
    "meta",
)


def find_published(src: Sources) -> datetime | None:
    """Publication time, from the most to the least trustworthy source (module docstring)."""
    steps: tuple[Callable[[Sources], datetime | None], ...] = (
        _by_consensus,
        _near_headline,
        lambda src: _from_time_elements(src.doc, marked_only=True),
        lambda src: _first_in(_date_elements(src), src),
        lambda src: _local(_first_parsed_raw(src.tags.every(*_WEAK_KEYS)), src),
        lambda src: _from_time_elements(src.doc, marked_only=False),
        lambda src: _first_in([_text_after_headline(src)], src),
        lambda src: date_from_url(src.url) or date_from_url(src.tags.link("canonical")),
        lambda src: _first_in([_dom.text(next(iter(src.doc.iter("title")), None))], src),
        _first_date_on_page,
    )
    for step in steps:
        found = step(src)
        if found is not None:
            return found
    return None


def _by_consensus(src: Sources) -> datetime | None:
    """The structured publication time, unless at least three of the page's date sources
    agree on another day (JSON-LD that says Nov 3 on a page whose meta tags, ``<time>``
    and byline say Nov 6 is the odd one out)."""
    jsonld = _first_parsed_raw(_jsonld_published(src))
    meta = _first_parsed_raw(src.tags.every(*_PUBLISHED_KEYS))
    if jsonld is None and meta is None:
        return None
    voters = [
        _local(jsonld, src),
        _local(meta, src),
        _local(_first_parsed_raw(src.tags.every(*_WEAK_KEYS)), src),
        _from_time_elements(src.doc, marked_only=True),
        _first_in(_date_elements(src), src),
        _near_headline(src),
    ]
    dated = [voter for voter in voters if voter is not None]
    counts = Counter(voter.date() for voter in dated)
    day, votes = counts.most_common(1)[0]
    if votes < _OVERRULE or counts[dated[0].date()] == votes:
        return dated[0]
    return next(voter for voter in dated if voter.date() == day)


def _near_headline(src: Sources) -> datetime | None:
    """A date in the byline right under the headline ("von Limespacer · 22. Oktober 2019")."""
    return _first_in([_text_after_headline(src)[:_BYLINE_CHARS]], src)


def _jsonld_published(src: Sources) -> list[str | None]:
    """The article's ``datePublished``; without an article object, that of the page's
    other JSON-LD objects (``WebPage``, ``HowTo`` …)."""
    article = src.jsonld.article
    if article is not None:
        return [text_of(article.get("datePublished")), text_of(article.get("dateCreated"))]
    return [text_of(obj.get("datePublished")) for obj in src.jsonld.objects][:5]


def _first_parsed_raw(values: Iterable[str | None]) -> tuple[datetime, bool] | None:
    """The first date that parses, and whether the text gave its zone."""
    for value in values:
        found = parse_date(value)
        if found is not None and value is not None:
            return found, bool(_ZONED.search(value.strip()))
    return None


def _local(found: tuple[datetime, bool] | None, src: Sources) -> datetime | None:
    """A structured time shown in the page's own zone, so its calendar day is the page's.

    A time without a zone is taken to be in the zone the page's other structured dates
    use (else UTC). A UTC time is converted to that zone; failing one, to the smallest
    whole-hour offset that turns the UTC day into the day the page prints next to it
    ("2021-11-04T23:00Z" on a page that says "5. November 2021" is 00:00 at +01:00).
    """
    if found is None:
        return None
    value, zoned = found
    if value.utcoffset() != timedelta(0):
        return value
    page_offset = _page_offset(src)
    if not zoned:
        return value.replace(tzinfo=timezone(page_offset)) if page_offset else value
    offset = page_offset or _offset_for_shown_day(value, src)
    return value.astimezone(timezone(offset)) if offset else value


def _page_offset(src: Sources) -> timedelta | None:
    values = list(src.tags.every(*_PUBLISHED_KEYS, *_UPDATED_KEYS))
    if src.jsonld.article is not None:
        values += [text_of(src.jsonld.article.get(key)) or "" for key in _JSONLD_DATES]
    for value in values:
        parsed = parse_date(value)
        offset = parsed.utcoffset() if parsed is not None else None
        if offset:
            return offset
    return None


def _offset_for_shown_day(found: datetime, src: Sources) -> timedelta | None:
    shown = _first_in(_date_elements(src), src) or _first_in([_text_after_headline(src)], src)
    if shown is None:
        return None
    minutes = found.hour * 60 + found.minute
    if shown.date() == found.date() + timedelta(days=1):
        hours = -(-(24 * 60 - minutes) // 60)
        return timedelta(hours=hours) if hours <= _MAX_EAST_HOURS else None
    if shown.date() == found.date() - timedelta(days=1):
        hours = minutes // 60 + 1
        return timedelta(hours=-hours) if hours <= _MAX_WEST_HOURS else None
    return None


def find_updated(src: Sources) -> datetime | None:
    """JSON-LD ``dateModified``, else the first modified-time meta tag, in local time."""
    candidates: list[str | None] = []
    if src.jsonld.article is not None:
        candidates.append(text_of(src.jsonld.article.get("dateModified")))
    candidates += src.tags.every(*_UPDATED_KEYS)
    return _local(_first_parsed_raw(candidates), src)


def _from_time_elements(doc: html.HtmlElement, *, marked_only: bool) -> datetime | None:
    """A ``<time pubdate>`` or one in a "published"-looking wrapper; else any ``<time>``."""
    for element in doc.iter("time"):
        if marked_only and element.get("pubdate") is None and not _dated(element):
            continue
        found = parse_date(element.get("datetime") or _dom.text(element))
        if found is not None:
            return found
    return None


def _dated(element: etree._Element) -> bool:
    for node in (element, element.getparent()):
        if node is not None and any(key in _dom.classes(node) for key in _TIME_CLASSES[:7]):
            return True
    return False


def _first_in(texts: Iterable[str], src: Sources) -> datetime | None:
    monthfirst = (src.doc.getroottree().getroot().get("lang") or "").lower() == "en-us"
    for value in texts:
        found = first_date_in(value, monthfirst=monthfirst)
        if found is not None:
            return found
    return None


def first_date_in(text: str, *, monthfirst: bool = False) -> datetime | None:
    for match in _DATE.finditer(text):
        found = _parse_match(match.group(0), monthfirst)
        if found is not None:
            return found
    return None


def _parse_match(value: str, monthfirst: bool) -> datetime | None:
    slashed = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if slashed:
        first, second, year = (int(part) for part in slashed.groups())
        month, day = (first, second) if monthfirst and first <= 12 else (second, first)
        if month > 12:
            month, day = day, month
        return parse_date(f"{year:04d}-{month:02d}-{day:02d}")
    joined = re.fullmatch(r"([^\W\d]+)\s+(\d{2})(\d{4})", value)
    if joined:
        return parse_date(" ".join(joined.groups()))
    dotted = re.fullmatch(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2}|\d{4})", value)
    if dotted:
        day, month, year = (int(part) for part in dotted.groups())
        year = year + 2000 if year < 100 else year
        return parse_date(f"{year:04d}-{month:02d}-{day:02d}")
    return parse_date(value)


def _date_elements(src: Sources) -> Iterator[str]:
    """Texts of short elements whose class or id says they hold a date."""
    for element in src.classes.find(*_DATE_CLASSES):
        if element.tag in ("html", "body", "article", "main") or _in_page_chrome(element):
            continue
        value = _dom.text(element)
        if value and len(value) <= 200 and not _NOT_PUBLISHED.search(value[:40]):
            yield value


def _in_page_chrome(element: etree._Element) -> bool:
    """Inside navigation, a footer, a sidebar or the site's masthead (which often prints
    today's date), rather than the article."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("nav", "footer", "aside"):
            return True
        if ancestor.tag in ("article", "main"):
            return False
        if ancestor.tag == "header" and not any(
            above.tag in ("article", "main") for above in ancestor.iterancestors()
        ):
            return True
    return False


def _first_date_on_page(src: Sources) -> datetime | None:
    """The last resort: the first date anywhere in the body's text."""
    body = next(iter(src.doc.iter("body")), None)
    if body is None:
        return None
    return _first_in([_dom.text(body)[:_PAGE_SCAN]], src)


def _text_after_headline(src: Sources) -> str:
    """The first characters of visible text after the first ``<h1>``."""
    h1 = next(iter(src.doc.iter("h1")), None)
    if h1 is None:
        return ""
    parts: list[str] = []
    size = 0
    for node in h1.itersiblings():
        value = _dom.text(node) if isinstance(node.tag, str) else ""
        parts.append(value)
        size += len(value)
        if size > _AFTER_HEADLINE:
            break
    if size < _AFTER_HEADLINE:
        parts.extend(_following_text(h1, _AFTER_HEADLINE - size))
    return " ".join(parts)[:_AFTER_HEADLINE]


def _following_text(element: etree._Element, limit: int) -> Iterator[str]:
    """Text of the elements after ``element``'s ancestors, in document order."""
    size = 0
    for ancestor in element.iterancestors():
        for node in ancestor.itersiblings():
            if not isinstance(node.tag, str) or node.tag in ("script", "style", "nav"):
                continue
            value = _dom.text(node)
            yield value
            size += len(value)
            if size > limit:
                return
