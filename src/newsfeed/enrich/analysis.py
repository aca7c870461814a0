"""One call that runs every text analysis on an article: ``analyse(text, published, tags)``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsfeed.enrich._timeline import TimelineEvent, build_timeline
from newsfeed.enrich.dates import DateMention, extract_dates
from newsfeed.enrich.entities import Entity, extract_entities
from newsfeed.enrich.quotes import CitedSource, Quote, cited_sources, extract_quotes

__all__ = ["Analysis", "analyse"]


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
    entities = extract_entities(text, tags)
    quotes = extract_quotes(text, entities)
    sources = cited_sources(text, entities)
    dates = extract_dates(text, published) if published is not None else ()
    events = build_timeline(text, dates, entities, quotes)
    return Analysis(entities, quotes, sources, dates, events)
