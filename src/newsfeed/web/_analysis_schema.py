"""The JSON shape of a stored article analysis (``newsfeed.enrich._store``), as pydantic
models for the OpenAPI document. Offsets are character offsets into the article's ``text``."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class MentionOut(BaseModel):
    text: str
    start: int
    end: int


class AnalysisEntityOut(BaseModel):
    key: str
    name: str
    kind: str
    roles: list[str]
    mentions: list[MentionOut]


class QuoteOut(BaseModel):
    text: str
    speaker: str | None
    speaker_key: str | None
    cue: str | None
    start: int
    end: int
    speaker_start: int | None
    speaker_end: int | None


class CitedSourceOut(BaseModel):
    name: str
    cue: str
    key: str | None
    start: int
    end: int


class DateMentionOut(BaseModel):
    text: str
    start: int
    end: int
    value: dt.date | None
    span_start: dt.date
    span_end: dt.date
    granularity: str
    vague: bool
    sentence: str
    timex: str


class TimelineEventOut(BaseModel):
    date: dt.date
    date_end: dt.date
    granularity: str
    vague: bool
    date_text: str
    what: str
    start: int
    end: int
    said_by: str | None
    said_by_key: str | None
    entity_keys: list[str]


class AnalysisOut(BaseModel):
    version: int
    entities: list[AnalysisEntityOut]
    quotes: list[QuoteOut]
    cited_sources: list[CitedSourceOut]
    dates: list[DateMentionOut]
    timeline: list[TimelineEventOut]
