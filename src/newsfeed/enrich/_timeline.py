"""A timeline: what happened on which date, and who said so, from one article's dated sentences."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass

from newsfeed.enrich._speakers import CUE, SPEAKER, Resolver
from newsfeed.enrich._text import Layout, Span
from newsfeed.enrich.dates import DateMention
from newsfeed.enrich.entities import Entity
from newsfeed.enrich.quotes import Quote

_SAID = re.compile(SPEAKER + r"\s+(?:also\s+|later\s+|has\s+|had\s+)?" + CUE + r"\b")


@dataclass(frozen=True)
class TimelineEvent:
    """One dated sentence: the days it is about, what it says, who said it, whom it names."""

    date: dt.date
    date_end: dt.date
    granularity: str
    vague: bool
    date_text: str
    what: str
    start: int
    end: int
    said_by: str | None = None
    said_by_key: str | None = None
    entity_keys: tuple[str, ...] = ()


def _speaker(
    text: str, sent: Span, quotes: tuple[Quote, ...], resolver: Resolver
) -> tuple[str | None, str | None]:
    # Quotes are in text order and do not nest: only those starting before the sentence
    # ends can overlap it, and of those the last few.
    i = bisect_left([q.start for q in quotes], sent.end)
    for q in reversed(quotes[max(0, i - 3) : i]):
        if q.end > sent.start and q.speaker:
            return q.speaker, q.speaker_key
    for m in _SAID.finditer(text, sent.start, sent.end):
        who = resolver.resolve(m["speaker"], m.start("speaker"), m.end("speaker"))
        if who.key is not None:
            return who.name, who.key
    return None, None


def _named(resolver: Resolver, sent: Span) -> tuple[str, ...]:
    return tuple(dict.fromkeys(e.key for e in resolver.mentions_in(sent.start, sent.end)))


def build_timeline(
    text: str,
    dates: tuple[DateMention, ...],
    entities: tuple[Entity, ...],
    quotes: tuple[Quote, ...],
    layout: Layout | None = None,
) -> tuple[TimelineEvent, ...]:
    layout = layout or Layout(text)
    resolver = Resolver(entities)
    events: dict[tuple[int, dt.date], TimelineEvent] = {}
    for d in dates:
        if d.vague and d.granularity != "future":
            continue
        sent = layout.sentence_at(d.start)
        said_by, said_key = _speaker(text, sent, quotes, resolver)
        event = TimelineEvent(
            date=d.span_start,
            date_end=d.span_end,
            granularity=d.granularity,
            vague=d.vague,
            date_text=d.text,
            what=text[sent.start : sent.end].strip(),
            start=sent.start,
            end=sent.end,
            said_by=said_by,
            said_by_key=said_key,
            entity_keys=_named(resolver, sent),
        )
        events.setdefault((sent.start, d.span_start), event)
    return tuple(sorted(events.values(), key=lambda e: (e.date, e.start)))
