"""An ``Analysis`` as the JSON the store keeps (and the API shows), and back.

Character offsets point into the article's plain text (``Article.text``) as it was when
analysed; a new analysis is saved whenever the text changes, so they stay true.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from newsfeed.enrich._timeline import TimelineEvent
from newsfeed.enrich.analysis import Analysis
from newsfeed.enrich.dates import DateMention
from newsfeed.enrich.entities import Entity, Mention
from newsfeed.enrich.quotes import CitedSource, Quote
from newsfeed.store import EntityRef
from newsfeed.store._enrich import MAX_KEY_LENGTH

FORMAT_VERSION = 1
"""Bumped when the JSON shape changes, so stored analyses of an older shape can be redone."""


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _entity(e: Entity) -> dict[str, Any]:
    return {
        "key": e.key,
        "name": e.name,
        "kind": e.kind,
        "roles": list(e.roles),
        "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in e.mentions],
    }


def _quote(q: Quote) -> dict[str, Any]:
    return {"text": q.text, "speaker": q.speaker, "speaker_key": q.speaker_key, "cue": q.cue,
            "start": q.start, "end": q.end, "speaker_start": q.speaker_start,
            "speaker_end": q.speaker_end}  # fmt: skip


def _source(c: CitedSource) -> dict[str, Any]:
    return {"name": c.name, "cue": c.cue, "key": c.key, "start": c.start, "end": c.end}


def _date(d: DateMention) -> dict[str, Any]:
    return {"text": d.text, "start": d.start, "end": d.end, "value": _day(d.value),
            "span_start": _day(d.span_start), "span_end": _day(d.span_end),
            "granularity": d.granularity, "vague": d.vague, "sentence": d.sentence,
            "timex": d.timex}  # fmt: skip


def _event(t: TimelineEvent) -> dict[str, Any]:
    return {"date": _day(t.date), "date_end": _day(t.date_end), "granularity": t.granularity,
            "vague": t.vague, "date_text": t.date_text, "what": t.what, "start": t.start,
            "end": t.end, "said_by": t.said_by, "said_by_key": t.said_by_key,
            "entity_keys": list(t.entity_keys)}  # fmt: skip


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    """The analysis as plain JSON values (dates as ``YYYY-MM-DD``)."""
    return {
        "version": FORMAT_VERSION,
        "entities": [_entity(e) for e in analysis.entities],
        "quotes": [_quote(q) for q in analysis.quotes],
        "cited_sources": [_source(c) for c in analysis.cited_sources],
        "dates": [_date(d) for d in analysis.dates],
        "timeline": [_event(t) for t in analysis.timeline],
    }


def _as_day(value: Any) -> date:
    return date.fromisoformat(str(value))


def analysis_from_json(data: dict[str, Any]) -> Analysis:
    """The ``Analysis`` saved by ``analysis_to_json``. Raises ``ValueError`` for another shape."""
    try:
        return _read(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a saved analysis: {exc!r}") from None


def _read(data: dict[str, Any]) -> Analysis:
    if data.get("version") != FORMAT_VERSION:
        raise ValueError(f"analysis format {data.get('version')!r}, not {FORMAT_VERSION}")
    entities = tuple(
        Entity(e["key"], e["name"], e["kind"],
               tuple(Mention(m["text"], m["start"], m["end"]) for m in e["mentions"]),
               tuple(e.get("roles", ())))
        for e in data["entities"]
    )  # fmt: skip
    quotes = tuple(
        Quote(q["text"], q.get("speaker"), q.get("speaker_key"), q.get("cue"), q["start"],
              q["end"], q.get("speaker_start"), q.get("speaker_end"))
        for q in data["quotes"]
    )  # fmt: skip
    sources = tuple(
        CitedSource(c["name"], c["cue"], c.get("key"), c.get("start", 0), c.get("end", 0))
        for c in data["cited_sources"]
    )
    dates = tuple(
        DateMention(d["text"], d["start"], d["end"],
                    _as_day(d["value"]) if d.get("value") else None,
                    _as_day(d["span_start"]), _as_day(d["span_end"]), d["granularity"],
                    bool(d["vague"]), d["sentence"], d.get("timex", ""))
        for d in data["dates"]
    )  # fmt: skip
    events = tuple(
        TimelineEvent(_as_day(t["date"]), _as_day(t["date_end"]), t["granularity"],
                      bool(t["vague"]), t["date_text"], t["what"], t["start"], t["end"],
                      t.get("said_by"), t.get("said_by_key"), tuple(t.get("entity_keys", ())))
        for t in data["timeline"]
    )  # fmt: skip
    return Analysis(entities, quotes, sources, dates, events)


def entity_refs(analysis: Analysis) -> list[EntityRef]:
    """What the store indexes: each entity once, with its mention count and roles."""
    refs: dict[str, EntityRef] = {}
    for e in analysis.entities:
        if e.key in refs:  # the analysis should not repeat a key; if it does, count both
            old = refs[e.key]
            roles = tuple(dict.fromkeys(old.roles + e.roles))
            refs[e.key] = EntityRef(
                old.key, old.name, old.kind, old.mentions + len(e.mentions), roles
            )
        else:
            refs[e.key] = EntityRef(e.key, e.name, e.kind, len(e.mentions), e.roles)
    # A key too long to index is a runaway capitalised phrase, not a name worth a page.
    return [r for r in refs.values() if 0 < len(r.key) <= MAX_KEY_LENGTH]
