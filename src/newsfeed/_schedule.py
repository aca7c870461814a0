"""When to poll a feed next, and when to re-check a story for edits: pure decisions.

Feed interval: half the median gap between the feed's recent entries (a feed that posts every
20 minutes is polled every 10), never faster than the publisher asks (RSS ``ttl``,
``sy:updatePeriod``, ``Cache-Control: max-age``), clamped to [5 min, 24 h]. A failing feed backs
off exponentially from its interval: ×2 per consecutive error, up to 24 h.

Story re-checks: 1 h, 6 h, 24 h and 72 h after publication (or first sight), each checkpoint once.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta
from statistics import median

MIN_INTERVAL = 5 * 60
MAX_INTERVAL = 24 * 3600
DEFAULT_INTERVAL = 3600
RECHECK_AFTER: tuple[timedelta, ...] = (
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(hours=24),
    timedelta(hours=72),
)


def feed_interval(
    entry_times: Sequence[datetime],
    *,
    publisher_minimum: int | None = None,
    previous: int = DEFAULT_INTERVAL,
) -> int:
    """Seconds until the next poll of a healthy feed."""
    times = sorted(entry_times, reverse=True)[:20]
    gaps = [(a - b).total_seconds() for a, b in itertools.pairwise(times)]
    gaps = [g for g in gaps if g > 0]
    interval = int(median(gaps) / 2) if gaps else previous
    if publisher_minimum:
        interval = max(interval, publisher_minimum)
    return _clamp(interval)


def backoff_interval(interval: int, error_count: int) -> int:
    """Seconds until the next try of a feed that failed ``error_count`` times in a row."""
    return _clamp(interval * 2 ** min(error_count, 10))


def publisher_minimum(ttl_minutes: int | None, cache_max_age: int | None) -> int | None:
    """The shortest interval the publisher asks for, in seconds, if it asks."""
    hints = [h for h in (ttl_minutes and ttl_minutes * 60, cache_max_age) if h]
    return max(hints) if hints else None


def cache_max_age(cache_control: str | None) -> int | None:
    """``max-age`` from a Cache-Control header, in seconds."""
    for part in (cache_control or "").split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() == "max-age" and value.strip().isdigit():
            return int(value)
    return None


def recheck_due(born: datetime, last_checked: datetime | None, now: datetime) -> bool:
    """Whether a story published (or first seen) at ``born`` has a re-check checkpoint
    that passed since it was last checked."""
    checked = last_checked or born
    return any(checked < born + after <= now for after in RECHECK_AFTER)


def recheck_window(now: datetime) -> datetime:
    """Stories born before this need no more re-checks."""
    return now - RECHECK_AFTER[-1] - timedelta(hours=1)


def _clamp(seconds: int) -> int:
    return max(MIN_INTERVAL, min(MAX_INTERVAL, seconds))
