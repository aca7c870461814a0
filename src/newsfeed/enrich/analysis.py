"""One call that runs every text analysis on an article: ``analyse(text, published, tags)``."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from newsfeed.enrich._text import Layout
from newsfeed.enrich._timeline import TimelineEvent, build_timeline
from newsfeed.enrich.dates import DateMention, extract_dates
from newsfeed.enrich.entities import Entity, Mention, extract_entities
from newsfeed.enrich.quotes import CitedSource, Quote, cited_sources, extract_quotes

__all__ = ["Analysis", "analyse", "from_dict", "to_dict"]


@dataclass(frozen=True)
class Analysis:
    """Everything ``analyse`` found in one article."""

    entities: tuple[Entity, ...]
    quotes: tuple[Quote, ...]
    cited_sources: tuple[CitedSource, ...]
    dates: tuple[DateMention, ...]
    timeline: tuple[TimelineEvent, ...]


def analyse(text: str, published: datetime | None, tags: tuple[str, ...] = ()) -> Analysis:
    """Entities, quotes, cited sources, dates and timeline of an article's plain text.

    Without a publication date, relative dates ("yesterday", "July 14") cannot be placed:
    dates and timeline are then empty, while names and quotes are still found.
    """
    if not isinstance(text, str):
        raise TypeError(f"analyse() needs the article text as str, not {type(text).__name__}")
    layout = Layout(text)  # paragraphs and sentences, found once for every stage
    entities = extract_entities(text, tags, layout)
    quotes = extract_quotes(text, entities, layout)
    sources = cited_sources(text, entities)
    dates = extract_dates(text, published, layout) if published is not None else ()
    events = build_timeline(text, dates, entities, quotes, layout)
    return Analysis(entities, quotes, sources, dates, events)


def to_dict(analysis: Analysis) -> dict[str, Any]:
    """A JSON-ready form of an analysis (dates as ISO strings), for storing it."""
    data = _jsonable(analysis)
    assert isinstance(data, dict)
    return data


def _jsonable(value: object) -> object:
    # By hand rather than ``dataclasses.asdict``, which deep-copies every leaf: this runs
    # for every stored story, on the one process that saves them.
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    names = _FIELDS.get(type(value))
    if names is None:
        names = _FIELDS[type(value)] = tuple(f.name for f in fields(value))  # type: ignore[arg-type]
    return {name: _jsonable(getattr(value, name)) for name in names}


_FIELDS: dict[type, tuple[str, ...]] = {}
"""The field names of each dataclass met, in order."""


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def from_dict(data: dict[str, Any]) -> Analysis:
    """The analysis ``to_dict`` stored."""
    entities = tuple(
        Entity(
            e["key"],
            e["name"],
            e["kind"],
            tuple(Mention(**m) for m in e["mentions"]),
            tuple(e.get("roles", ())),
        )
        for e in data["entities"]
    )
    quotes = tuple(Quote(**q) for q in data["quotes"])
    sources = tuple(CitedSource(**c) for c in data["cited_sources"])
    dates = tuple(
        DateMention(
            **{
                **d,
                "value": _day(d["value"]),
                "span_start": date.fromisoformat(d["span_start"]),
                "span_end": date.fromisoformat(d["span_end"]),
            }
        )
        for d in data["dates"]
    )
    events = tuple(
        TimelineEvent(
            **{
                **t,
                "date": date.fromisoformat(t["date"]),
                "date_end": date.fromisoformat(t["date_end"]),
                "entity_keys": tuple(t["entity_keys"]),
            }
        )
        for t in data["timeline"]
    )
    return Analysis(entities, quotes, sources, dates, events)
