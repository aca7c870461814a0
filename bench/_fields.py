"""Field labels, normalisation and exact-match scoring for metadata benchmarks and gates.

Which fields each dataset labels (a page counts for a field only when its label is
present and non-empty; missing output on such a page counts as wrong):

- readability: ``title``, ``authors`` (from ``byline``), ``date`` (from ``publishedTime``),
  ``site_name`` (``siteName``), ``language`` (``lang``).
- trafilatura: ``title``, ``authors`` (``author``), ``date``.
- fundus: ``title``, ``authors``, ``date`` (``publishing_date``), ``image`` (the cover
  image: any URL among its ``versions``) and ``caption`` (the cover image's caption).

Normalisation (the same for the labels and for every system's output):

- text (title, site name, caption): Unicode NFKC, typographic quotes folded to ASCII
  (‘’‚ → ', “”„ → "), soft hyphens and zero-width characters removed, case-folded,
  whitespace collapsed.
- authors: each name string is split like a byline (leading "By"/"Von"/"Par"/"Por"
  removed; split at ",", ";", "|", " and ", " & ", " und "), then each name is NFKC,
  case-folded and whitespace-collapsed with outer punctuation removed; the page is right
  when the two *sets* of names are equal.
- date: the calendar day in the page's own local time: the first 10 characters of the
  label as written (``2024-12-02 10:56:35+01:00`` → ``2024-12-02``) against the date part
  of our aware datetime in the offset the page gave (never converted to UTC).
- image: URLs compared after HTML-unescaping, dropping the scheme (``http``/``https``)
  and lower-casing the host; right when ours equals any of the cover's versions.
- caption: right when our caption, or our caption followed by our credit, equals the
  label once everything but letters and digits is removed (fundus labels sometimes keep
  the credit inside the caption and sometimes apart).
- language: the primary subtag only, case-folded (``en-GB`` → ``en``).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from _pages import Page

FIELDS: Mapping[str, tuple[str, ...]] = {
    "readability": ("title", "authors", "date", "site_name", "language"),
    "trafilatura": ("title", "authors", "date"),
    "fundus": ("title", "authors", "date", "image", "caption"),
}

# Typographic quotes fold to ASCII ones; soft hyphens and zero-width characters go.
_FOLD = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "´": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "\xad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
    }
)
_BY = re.compile(r"^\s*(by|von|par|por|door|av|af)\b[\s:]*", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\||\s&\s|\band\b|\bund\b)\s*", re.I)


@dataclass(frozen=True)
class Prediction:
    """One system's output for one page, before normalisation."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    date: date | datetime | str | None = None
    site_name: str | None = None
    language: str | None = None
    image: str | None = None
    caption: str | None = None
    credit: str | None = None
    supports: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def norm_text(value: str | None) -> str:
    if not value:
        return ""
    folded = unicodedata.normalize("NFKC", html.unescape(value)).translate(_FOLD).casefold()
    return " ".join(folded.split())


def norm_names(values: Iterable[str]) -> frozenset[str]:
    names: set[str] = set()
    for value in values:
        for part in _NAME_SPLIT.split(_BY.sub("", value or "")):
            name = norm_text(part).strip(" .,:;-–—|")
            if name:
                names.add(name)
    return frozenset(names)


def norm_day(value: date | datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value)
    return match.group(1) if match else ""


def norm_url(value: str | None) -> str:
    if not value:
        return ""
    parts = urlsplit(html.unescape(value.strip()))
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    return f"//{(parts.netloc or '').lower()}{rest}"


def _letters(value: str | None) -> str:
    return re.sub(r"\W+", "", norm_text(value))


def gold(page: Page) -> dict[str, Any]:
    """The normalised labels of a page, only for fields that are labelled."""
    exp = page.expected
    found: dict[str, Any] = {"title": norm_text(exp.get("title"))}
    if page.dataset == "readability":
        found["authors"] = norm_names([exp.get("byline") or ""])
        found["date"] = norm_day(exp.get("publishedTime"))
        found["site_name"] = norm_text(exp.get("siteName"))
        found["language"] = norm_text(exp.get("lang")).split("-")[0]
    elif page.dataset == "trafilatura":
        author = exp.get("author") or ""
        found["authors"] = norm_names(author if isinstance(author, list) else [author])
        found["date"] = norm_day(exp.get("date"))
    else:
        found["authors"] = norm_names(exp.get("authors") or [])
        found["date"] = norm_day(exp.get("publishing_date"))
        cover = next((img for img in exp.get("images") or [] if img.get("is_cover")), None)
        if cover is not None:
            found["image"] = frozenset(norm_url(v.get("url")) for v in cover.get("versions", []))
            found["caption"] = _letters(cover.get("caption"))
    return {key: value for key, value in found.items() if value}


def is_right(field_name: str, expected: Any, pred: Prediction) -> bool:
    if field_name == "title":
        return norm_text(pred.title) == expected
    if field_name == "authors":
        return norm_names(pred.authors) == expected
    if field_name == "date":
        return norm_day(pred.date) == expected
    if field_name == "site_name":
        return norm_text(pred.site_name) == expected
    if field_name == "language":
        return norm_text(pred.language).split("-")[0] == expected
    if field_name == "image":
        return norm_url(pred.image) in expected
    if field_name == "caption":
        joined = f"{pred.caption or ''} {pred.credit or ''}"
        return expected in {_letters(pred.caption), _letters(joined)}
    raise ValueError(f"unknown field {field_name}")


def score(
    pages: Iterable[Page], predict: Callable[[Page], Prediction]
) -> dict[str, dict[str, Tally]]:
    """Per dataset, per field: how many labelled pages the system got exactly right."""
    tallies: dict[str, dict[str, Tally]] = {}
    for page in pages:
        pred = predict(page)
        per_field = tallies.setdefault(page.dataset, {})
        for field_name, expected in gold(page).items():
            if field_name not in FIELDS[page.dataset]:
                continue
            tally = per_field.setdefault(field_name, Tally())
            tally.total += 1
            if is_right(field_name, expected, pred):
                tally.right += 1
            else:
                tally.misses.append(page.case)
    return tallies
