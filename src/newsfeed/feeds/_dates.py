"""Dates feedparser could not read: RFC 822 with localised day and month names
("mer, 16 nov 2022 00:38:15 +0100", "Seg, 24 Set 2018 19:42:40 -0300") and free-form
English ("Friday, January 29, 2021 04:42 PM"). Always aware, in UTC."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from dateutil import parser as dateparser

_MONTHS = {
    "jan": ("genn", "gen", "janv", "ene", "enero", "januar", "janeiro", "janvier", "gennaio"),
    "feb": (
        "febbr",
        "fev",
        "fév",
        "févr",
        "fevereiro",
        "février",
        "febrero",
        "februar",
        "febbraio",
    ),
    "mar": ("mär", "märz", "mars", "marzo", "março", "marco"),
    "apr": ("avr", "abr", "avril", "abril", "aprile"),
    "may": ("mai", "mag", "maggio", "mayo", "maio"),
    "jun": ("juin", "giu", "giugno", "junio", "junho", "juni"),
    "jul": ("juil", "juillet", "lug", "luglio", "julio", "julho", "juli"),
    "aug": ("août", "aout", "ago", "agosto"),
    "sep": ("set", "sett", "settembre", "septembre", "septiembre", "setembro"),
    "oct": ("okt", "ott", "out", "octobre", "ottobre", "octubre", "outubro", "oktober"),
    "nov": ("novembre", "noviembre", "novembro"),
    "dec": ("dez", "déc", "dic", "décembre", "dicembre", "diciembre", "dezembro", "dezember"),
}
_TO_ENGLISH = {name: english for english, names in _MONTHS.items() for name in names}
_ZONES = {
    name: int(hours * 3600)
    for name, hours in {
        "UT": 0,
        "UTC": 0,
        "GMT": 0,
        "Z": 0,
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "BST": 1,
        "CET": 1,
        "CEST": 2,
        "EET": 2,
        "EEST": 3,
        "MSK": 3,
        "IST": 5.5,
        "JST": 9,
    }.items()
}
_WEEKDAY = re.compile(r"^\s*[^\W\d]+\.?,\s*")
_WORD = re.compile(r"[^\W\d]+\.?")


def parse_loose_date(raw: str | None) -> datetime | None:
    if not raw or not raw.strip():
        return None
    text = _WEEKDAY.sub("", raw.strip())
    text = _WORD.sub(lambda m: _english(m.group(0)), text)
    for attempt in (_free_form, _rfc822):
        when = attempt(text)
        if when is not None:
            return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return None


def _english(word: str) -> str:
    return _TO_ENGLISH.get(word.lower().rstrip("."), word)


def _rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _free_form(text: str) -> datetime | None:
    with warnings.catch_warnings():
        # an unknown zone name gives a naive time, read as UTC below
        warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
        try:
            return dateparser.parse(text, tzinfos=_ZONES)
        except (ValueError, OverflowError):
            return None
