"""Small helpers the templates use for entities: their page's address and how a timeline's
date span reads."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote


def entity_url(key: str) -> str:
    """The entity page: ``/entities/person:vladimir-putin``."""
    return "/entities/" + quote(key, safe=":")


def _day(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def day_span(start: dt.date, end: dt.date, granularity: str = "day", vague: bool = False) -> str:
    """ "August 7, 2025"; "week of August 11, 2025"; "August 2025"; "around …" when vague."""
    if start == end:
        text = _day(start)
    elif granularity == "week":
        text = f"week of {_day(start)}"
    elif granularity == "month":
        text = f"{start:%B} {start.year}"
    elif granularity == "year":
        text = str(start.year)
    else:
        text = f"{_day(start)} – {_day(end)}"
    return f"around {text}" if vague else text
