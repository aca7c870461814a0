"""Date expressions in an article, resolved against its publication date.

``extract_dates(text, published)`` finds explicit dates ("July 16, 2018", "2025-08-07"),
dates missing their year ("on Aug. 7", "by Sept. 2": the publication year unless that lands
more than nine months away), weekdays ("on Tuesday": the nearest one before the publication
date, or after it when the sentence looks ahead), deictic and relative expressions
("yesterday", "next week", "last month", "two years ago", "the third quarter"), years,
decades, seasons, and vague references ("in the coming days", "recently", "now").

Every mention keeps its character span and its sentence, a span of days it covers, the
granularity it was stated at, and a TimeML-style ``timex`` value ("2025-08-07", "2025-W33",
"2025-08", "2025-Q3", "PAST_REF") so it can be compared with annotated corpora.

English first. German, French, Spanish and Italian get their day-month dates ("7. August
2025", "7 août", "7 de agosto de 2025"), numeric "07.08.2025" and yesterday/today/tomorrow
words ("gestern", "hoy", "demain"); their other relative expressions are not read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from newsfeed.enrich._date_rules import ANY_RULE, RULES, Context, Resolver
from newsfeed.enrich._text import Layout

if TYPE_CHECKING:
    from newsfeed.enrich._timeline import TimelineEvent
    from newsfeed.enrich.entities import Entity
    from newsfeed.enrich.quotes import Quote

__all__ = ["DateMention", "extract_dates", "timeline"]


@dataclass(frozen=True)
class DateMention:
    """One date expression and the days it stands for.

    ``value`` is the day itself when the expression names a single day; otherwise ``None``
    and the span says which days it covers ("next week" → Monday to Sunday). ``vague`` marks
    expressions with no definite extent ("in the coming days", "recently").
    """

    text: str
    start: int
    end: int
    value: date | None
    span_start: date
    span_end: date
    granularity: str
    vague: bool
    sentence: str
    timex: str = ""


def _as_date(published: date | datetime) -> date:
    return published.date() if isinstance(published, datetime) else published


def extract_dates(
    text: str, published: date | datetime, layout: Layout | None = None
) -> tuple[DateMention, ...]:
    """All date expressions in ``text``, in order, resolved against ``published``
    (``layout``: the text's, when the caller has it already)."""
    pub = _as_date(published)
    layout = layout or Layout(text)
    found: list[tuple[int, int, DateMention]] = []
    for m, resolve in _matches(text):
        sent = layout.sentence_at(m.start())
        sentence = text[sent.start : sent.end]
        window = text[max(sent.start, m.start() - 80) : min(sent.end, m.end() + 30)]
        resolved = resolve(m, Context(pub, sentence, window))
        if resolved is None:
            continue
        mention = DateMention(
            text=m.group(),
            start=m.start(),
            end=m.end(),
            value=resolved.value,
            span_start=resolved.span_start,
            span_end=resolved.span_end,
            granularity=resolved.granularity,
            vague=resolved.vague,
            sentence=sentence,
            timex=resolved.timex,
        )
        found.append((m.start(), m.end(), mention))
    return tuple(_longest_first(found))


def _matches(text: str) -> Iterator[tuple[re.Match[str], Resolver]]:
    """Each rule's matches as its own ``finditer`` finds them (leftmost first, one after
    another), from one scan for the places where any rule matches rather than a scan per
    rule: the scans cost more than all the rest of the date rules."""
    ends = [0] * len(RULES)
    for hit in ANY_RULE.finditer(text):
        at = hit.start()
        for k, (pattern, resolve) in enumerate(RULES):
            if at >= ends[k] and (m := pattern.match(text, at)) is not None:
                ends[k] = m.end()
                yield m, resolve


def _longest_first(found: list[tuple[int, int, DateMention]]) -> list[DateMention]:
    """Keep the longest of overlapping matches ("July 16, 2018" over "2018")."""
    starts: list[int] = []  # kept spans, sorted and disjoint
    ends: list[int] = []
    kept: dict[int, DateMention] = {}
    for start, end, mention in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        i = bisect_right(starts, start)
        if (i and ends[i - 1] > start) or (i < len(starts) and starts[i] < end):
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        kept[start] = mention
    return [kept[s] for s in starts]


def timeline(
    article_text: str,
    published: date | datetime,
    entities: tuple[Entity, ...],
    quotes: tuple[Quote, ...],
) -> tuple[TimelineEvent, ...]:
    """What happened on which date, said by whom: the article's dated sentences, by date.

    Vague past and present references ("recently", "now") are left out; vague future ones
    ("in the coming days") stay, since they announce what is planned.
    """
    # Imported here: the timeline builds on DateMention, defined above.
    from newsfeed.enrich._timeline import build_timeline

    return build_timeline(article_text, extract_dates(article_text, published), entities, quotes)
