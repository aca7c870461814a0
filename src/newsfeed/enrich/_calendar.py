"""Calendar arithmetic for date resolution: weeks, months, quarters, seasons and their spans."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": 3,
    "a few": 3,
    "few": 3,
    "couple of": 2,
    "a couple of": 2,
}
SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "fall": ("FA", 9), "autumn": ("FA", 9)}
SEASONS["winter"] = ("WI", 12)

# How far into the future "in the coming days/weeks/months" reaches: a vague span, not a date.
COMING = {"days": 14, "weeks": 42, "months": 183, "years": 730}


@dataclass(frozen=True)
class Resolved:
    """A date expression resolved to a span of days, with its TimeML-style value."""

    span_start: date
    span_end: date
    granularity: str
    timex: str
    vague: bool = False

    @property
    def value(self) -> date | None:
        return self.span_start if self.granularity == "day" else None


# Month names in German, French, Spanish and Italian, for dates like "7. August 2025",
# "7 août 2025", "7 de agosto de 2025", "7 agosto 2025".
FOREIGN_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "januar janvier enero gennaio",
            "februar février fevrier febrero febbraio",
            "märz maerz mars marzo",
            "april avril abril aprile",
            "mai mayo maggio",
            "juni juin junio giugno",
            "juli juillet julio luglio",
            "august août aout agosto",
            "september septembre septiembre settembre",
            "oktober octobre octubre ottobre",
            "november novembre noviembre",
            "dezember décembre decembre diciembre dicembre",
        ),
        start=1,
    )
    for name in names.split()
}


def month_number(word: str) -> int:
    folded = word.lower().rstrip(".")
    if folded in FOREIGN_MONTHS:
        return FOREIGN_MONTHS[folded]
    return MONTHS[folded[:3]]


def number(word: str) -> int | None:
    word = word.lower().strip()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def day(d: date) -> Resolved:
    return Resolved(d, d, "day", d.isoformat())


def safe_date(year: int, month: int, dom: int) -> date | None:
    try:
        return date(year, month, dom)
    except ValueError:
        return None


def week(d: date) -> Resolved:
    monday = d - timedelta(days=d.weekday())
    iso = monday.isocalendar()
    return Resolved(monday, monday + timedelta(days=6), "week", f"{iso[0]}-W{iso[1]:02d}")


def weekend(d: date) -> Resolved:
    wk = week(d)
    saturday = wk.span_start + timedelta(days=5)
    return Resolved(saturday, wk.span_end, "weekend", wk.timex + "-WE")


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month(year: int, mon: int) -> Resolved:
    last = calendar.monthrange(year, mon)[1]
    return Resolved(date(year, mon, 1), date(year, mon, last), "month", f"{year}-{mon:02d}")


def quarter(year: int, q: int) -> Resolved:
    first = 3 * (q - 1) + 1
    end = month(year, first + 2).span_end
    return Resolved(date(year, first, 1), end, "quarter", f"{year}-Q{q}")


def half(year: int, h: int) -> Resolved:
    start = date(year, 1 if h == 1 else 7, 1)
    end = date(year, 6, 30) if h == 1 else date(year, 12, 31)
    return Resolved(start, end, "half", f"{year}-H{h}")


def year(y: int) -> Resolved:
    return Resolved(date(y, 1, 1), date(y, 12, 31), "year", str(y))


def decade(first_year: int) -> Resolved:
    return Resolved(
        date(first_year, 1, 1), date(first_year + 9, 12, 31), "decade", str(first_year)[:3]
    )


def century(first_year: int) -> Resolved:
    return Resolved(
        date(max(first_year, 1), 1, 1),
        date(first_year + 99, 12, 31),
        "century",
        str(first_year)[:2],
    )


def season(y: int, name: str) -> Resolved:
    code, first = SEASONS[name.lower()]
    start = date(y, first, 1)
    end_y, end_m = add_months(y, first, 2)
    return Resolved(start, month(end_y, end_m).span_end, "season", f"{y}-{code}")


def year_for(published: date, mon: int, dom: int, future: bool) -> int:
    """The year of a date stated without one. Within two months of the publication date it is
    the nearest such date: "by Sept. 2" in early August, "Jan. 3" in late December. Further
    off, the tense decides: the next such date when the sentence looks ahead, else the last."""
    options = []
    for y in (published.year - 1, published.year, published.year + 1):
        candidate = safe_date(y, mon, min(dom, 28)) or date(y, mon, 1)
        options.append(((candidate - published).days, y))
    gap, nearest = min(options, key=lambda o: abs(o[0]))
    if abs(gap) <= 62:
        return nearest
    if future:
        return min(y for g, y in options if g > 0)
    return max(y for g, y in options if g < 0)


def weekday_near(published: date, weekday: int, future: bool) -> date:
    """The named weekday nearest the publication date, looking back unless the tense looks ahead."""
    delta = weekday - published.weekday()
    if future:
        return published + timedelta(days=delta % 7)
    return published - timedelta(days=(-delta) % 7)


def vague(published: date, kind: str, reach_days: int = 0) -> Resolved:
    if kind == "PRESENT_REF":
        return Resolved(published, published, "present", kind, vague=True)
    if kind == "FUTURE_REF":
        reach = reach_days or 365
        start = published + timedelta(days=1)
        return Resolved(start, published + timedelta(days=reach), "future", kind, vague=True)
    reach = reach_days or 365
    return Resolved(
        published - timedelta(days=reach), published - timedelta(days=1), "past", kind, vague=True
    )
