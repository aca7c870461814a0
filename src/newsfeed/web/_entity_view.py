"""What an entity page and the entity API show: the names and roles an entity goes by, its
quotes and its timeline, gathered from the analyses of the newest stories that name it.
Pure functions over stored data, and the JSON shapes (dicts, with pydantic models that
document them for OpenAPI)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from newsfeed.enrich._store import analysis_from_json
from newsfeed.enrich.analysis import Analysis
from newsfeed.store import EntityAnalysis, EntitySummary
from newsfeed.web._entity_links import entity_url

KIND_LABELS = {"person": "Person", "org": "Organisation", "place": "Place"}
KIND_PLURALS = {"person": "People", "org": "Organisations", "place": "Places"}


@dataclass(frozen=True, slots=True)
class SaidQuote:
    text: str
    cue: str | None
    speaker: str | None
    speaker_key: str | None
    article_id: int
    article_title: str
    published: dt.datetime


@dataclass(frozen=True, slots=True)
class Event:
    date: dt.date
    date_end: dt.date
    granularity: str
    vague: bool
    date_text: str
    what: str
    said_by: str | None
    said_by_key: str | None
    article_id: int
    article_title: str


@dataclass(frozen=True, slots=True)
class EntityView:
    entity: EntitySummary
    names: tuple[str, ...]
    """The forms the stories use for it ("Vladimir Putin", "Putin"), most used first."""
    roles: tuple[str, ...]
    quotes: tuple[SaidQuote, ...]
    """What it said: newest story first, in reading order within a story."""
    quoted_about: tuple[SaidQuote, ...]
    """What others said that names it, in the same order."""
    timeline: tuple[Event, ...]
    """Latest date first."""


def parsed(analysis: dict[str, Any] | None) -> Analysis | None:
    """A stored analysis, or ``None`` when it is missing or of a shape this version cannot
    read (it is then shown as if not analysed, until ``enrich_stored`` redoes it)."""
    if analysis is None:
        return None
    try:
        return analysis_from_json(analysis)
    except ValueError:
        return None


def entity_view(entity: EntitySummary, stored: list[EntityAnalysis]) -> EntityView:
    key = entity.key
    names: Counter[str] = Counter()
    roles: dict[str, None] = {}
    quotes: list[SaidQuote] = []
    about: list[SaidQuote] = []
    events: dict[tuple[dt.date, str], Event] = {}
    for item in stored:
        analysis = parsed(item.analysis)
        if analysis is None:
            continue
        named_at: list[int] = []
        for e in analysis.entities:
            if e.key == key:
                names.update(m.text for m in e.mentions)
                roles.update(dict.fromkeys(e.roles))
                named_at.extend(m.start for m in e.mentions)
        for q in analysis.quotes:
            said = SaidQuote(q.text, q.cue, q.speaker, q.speaker_key, item.article_id,
                             item.title, item.published)  # fmt: skip
            if q.speaker_key == key:
                quotes.append(said)
            elif any(q.start <= at < q.end for at in named_at):
                about.append(said)
        for t in analysis.timeline:
            if t.said_by_key == key or key in t.entity_keys:
                event = Event(t.date, t.date_end, t.granularity, t.vague, t.date_text, t.what,
                              t.said_by, t.said_by_key, item.article_id, item.title)  # fmt: skip
                events.setdefault((t.date, t.what), event)
    ordered = sorted(events.values(), key=lambda e: (e.date, e.date_end), reverse=True)
    return EntityView(
        entity, tuple(n for n, _ in names.most_common()), tuple(roles), tuple(quotes),
        tuple(about), tuple(ordered),
    )  # fmt: skip


# --- JSON ------------------------------------------------------------------------------


class EntitySummaryOut(BaseModel):
    key: str
    name: str
    kind: str
    article_count: int
    url: str


class SaidQuoteOut(BaseModel):
    text: str
    cue: str | None
    speaker: str | None
    speaker_key: str | None
    article_id: int
    article_title: str
    published: dt.datetime


class EventOut(BaseModel):
    date: dt.date
    date_end: dt.date
    granularity: str
    vague: bool
    date_text: str
    what: str
    said_by: str | None
    said_by_key: str | None
    article_id: int
    article_title: str


class EntityOut(EntitySummaryOut):
    names: list[str]
    roles: list[str]
    quotes: list[SaidQuoteOut]
    quoted_about: list[SaidQuoteOut]
    timeline: list[EventOut]
    articles_url: str


def summary_json(entity: EntitySummary, base: str) -> dict[str, Any]:
    return {"key": entity.key, "name": entity.name, "kind": entity.kind,
            "article_count": entity.article_count,
            "url": f"{base}/api/v1{entity_url(entity.key)}"}  # fmt: skip


def _quote_json(q: SaidQuote) -> dict[str, Any]:
    return {"text": q.text, "cue": q.cue, "speaker": q.speaker, "speaker_key": q.speaker_key,
            "article_id": q.article_id, "article_title": q.article_title,
            "published": q.published.isoformat()}  # fmt: skip


def view_json(view: EntityView, base: str) -> dict[str, Any]:
    return summary_json(view.entity, base) | {
        "names": list(view.names),
        "roles": list(view.roles),
        "quotes": [_quote_json(q) for q in view.quotes],
        "quoted_about": [_quote_json(q) for q in view.quoted_about],
        "timeline": [
            {"date": e.date.isoformat(), "date_end": e.date_end.isoformat(),
             "granularity": e.granularity, "vague": e.vague, "date_text": e.date_text,
             "what": e.what, "said_by": e.said_by, "said_by_key": e.said_by_key,
             "article_id": e.article_id, "article_title": e.article_title}
            for e in view.timeline
        ],
        "articles_url": f"{base}/api/v1/articles?entity={quote(view.entity.key, safe='')}",
    }  # fmt: skip
