"""Date parsing for page metadata: many formats in, aware datetimes out.

Pages state dates as ISO 8601 (with or without a zone), RFC 2822, epoch seconds or
milliseconds, or prose in several languages ("16. Oktober 2019", "Aug. 7, 2025"). Every
result is timezone-aware and keeps the page's own offset, so that the calendar day the
page means survives; a date without a zone is taken as UTC. Dates before 1990 or more
than two days in the future are rejected as absurd (placeholders, typos, epoch zero).
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta

from dateutil import parser as dateutil_parser

_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_MAX_AHEAD = timedelta(days=2)
_MAX_LEN = 120

_EPOCH = re.compile(r"^\d{10}(\d{3})?$")
_HAS_DIGIT = re.compile(r"\d")
# Prose around the date that dateutil's fuzzy mode still trips over.
_NOISE = re.compile(
    r"\b(published|updated|modified|posted|on|at|um|am|le|el|il|de|del|den|the|uhr|"
    r"stand|veröffentlicht|aktualisiert|zuletzt|mis à jour|publié|publicado)\b[:.]?",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b", re.IGNORECASE)
_DAY_DOT = re.compile(r"\b(\d{1,2})\.(?=\s*[^\d\s])")
_URL_DATE = (
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$)"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[/_-]|$)"),
    re.compile(r"[/_-]((?:19|20)\d{2})(\d{2})(\d{2})(?:[/_.-]|$)"),
    # day first: ".../meldungen/29-10-2021"
    re.compile(r"/(\d{1,2})-(\d{1,2})-((?:19|20)\d{2})(?:[/_.-]|$)"),
)


# English, German, French, Spanish, Italian, Portuguese, Dutch, Scandinavian, Polish,
# Turkish and Russian/Ukrainian names (nominative and genitive), lower-case.
_MONTH_NAMES = (
    "jan january januar jänner janvier enero gennaio janeiro januari styczeń stycznia ocak "
    "январь января січня",
    "feb february februar februari février fevrier febrero febbraio fevereiro luty lutego "
    "şubat февраль февраля лютого",
    "mar march märz maerz mrz mars marzo março maart marzec marca mart март марта березня",
    "apr april avril abril aprile kwiecień kwietnia nisan апрель апреля квітня",
    "may mai mayo maggio maio mei maj maja mayıs май мая травня",
    "jun june juni juin junio giugno junho czerwiec czerwca haziran июнь июня червня",
    "jul july juli juillet julio luglio julho lipiec lipca temmuz июль июля липня",
    "aug august août aout agosto augustus augusti sierpień sierpnia ağustos август августа серпня",
    "sep sept september septembre septiembre settembre setembro wrzesień września eylül "
    "сентябрь сентября вересня",
    "oct october oktober okt octobre octubre ottobre outubro październik października ekim "
    "октябрь октября жовтня",
    "nov november novembre noviembre novembro listopad listopada kasım ноябрь ноября листопада",
    "dec december dezember dez décembre decembre diciembre dicembre dezembro grudzień grudnia "
    "aralık декабрь декабря грудня",
)
MONTH_INDEX = {
    name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()
}


class _Months(dateutil_parser.parserinfo):
    """Month names in the languages the test pages use most, not only English."""

    def month(self, name: str) -> int | None:
        return MONTH_INDEX.get(name.lower().rstrip("."))


_PARSERINFO = _Months()
# Zone abbreviations news pages print, with their offsets in seconds.
_ZONES = {
    name: hours * 3600
    for name, hours in {
        "GMT": 0,
        "UTC": 0,
        "UT": 0,
        "Z": 0,
        "BST": 1,
        "CET": 1,
        "MEZ": 1,
        "CEST": 2,
        "MESZ": 2,
        "EET": 2,
        "EEST": 3,
        "MSK": 3,
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "JST": 9,
        "KST": 9,
        "AEST": 10,
        "AEDT": 11,
    }.items()
}


def parse_date(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """Parse one date string into an aware datetime, or ``None`` if it is not a sane date."""
    if not value:
        return None
    text = " ".join(value.split())[:_MAX_LEN]
    if not _HAS_DIGIT.search(text):
        return None
    parsed = _parse_epoch(text) or _parse_iso(text) or _parse_prose(text)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed if _plausible(parsed, now) else None


def date_from_url(url: str | None, *, now: datetime | None = None) -> datetime | None:
    """The date a URL path spells out (``/2019/10/16/``, ``20191016``), as UTC midnight."""
    if not url:
        return None
    for pattern in _URL_DATE:
        match = pattern.search(url)
        if match is None:
            continue
        first, month, last = (int(part) for part in match.groups())
        year, day = (first, last) if first > 31 else (last, first)
        try:
            found = datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            continue
        if _plausible(found, now):
            return found
    return None


def _plausible(value: datetime, now: datetime | None) -> bool:
    latest = (now or datetime.now(UTC)) + _MAX_AHEAD
    try:
        return _EARLIEST <= value <= latest
    except (OverflowError, ValueError):
        return False


def _parse_epoch(text: str) -> datetime | None:
    if not _EPOCH.match(text):
        return None
    seconds = int(text[:10])
    return datetime.fromtimestamp(seconds, UTC)


def _parse_iso(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
    # "2022-01-10T22:06:08:684Z": milliseconds after a colon
    candidate = re.sub(r"(T\d{2}:\d{2}:\d{2}):(\d{3})", r"\1.\2", candidate)
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _parse_prose(text: str) -> datetime | None:
    # JavaScript's Date.toString(): "Tue Feb 20 2018 01:00:00 GMT+0100 (Central European
    # Standard Time)"; dateutil would read "GMT+0100" with the POSIX (inverted) sign.
    cleaned = re.sub(r"\s*\([^)]*\)\s*$", "", text)
    cleaned = re.sub(r"\b(?:GMT|UTC)(?=[+-]\d)", "", cleaned)
    cleaned = _NOISE.sub(" ", cleaned)
    cleaned = _ORDINAL.sub(r"\1", cleaned)
    cleaned = _DAY_DOT.sub(r"\1 ", cleaned)
    cleaned = " ".join(cleaned.replace(",", " , ").split())
    default = datetime(2000, 1, 1)
    # Most of the world writes 10/05/2022 day first; only a page marked en-US is read
    # month first, by the caller.
    dayfirst = bool(re.search(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b", text))
    try:
        with warnings.catch_warnings():
            # An unknown zone name ("IST" is ambiguous) leaves the time naive, i.e. UTC.
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            parsed, _tokens = dateutil_parser.parse(
                cleaned,
                parserinfo=_PARSERINFO,
                fuzzy_with_tokens=True,
                default=default,
                dayfirst=dayfirst,
                tzinfos=_ZONES,
            )
    except (ValueError, OverflowError, TypeError):
        return None
    if not _has_year(cleaned, parsed.year):
        return None
    return parsed


def _has_year(text: str, year: int) -> bool:
    """dateutil fills a missing year from ``default``; a date without one is not usable."""
    return str(year) in text or bool(re.search(rf"\b{year % 100:02d}\b", text))
