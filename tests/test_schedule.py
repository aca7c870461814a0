from datetime import UTC, datetime, timedelta

from newsfeed._schedule import (
    MAX_INTERVAL,
    MIN_INTERVAL,
    backoff_interval,
    cache_max_age,
    feed_interval,
    publisher_minimum,
    recheck_due,
)

T0 = datetime(2025, 8, 7, 12, tzinfo=UTC)


def test_busy_feed_is_polled_at_half_its_posting_gap() -> None:
    times = [T0 - timedelta(minutes=40 * i) for i in range(10)]
    assert feed_interval(times) == 20 * 60


def test_interval_never_faster_than_publisher_asks_nor_outside_bounds() -> None:
    times = [T0 - timedelta(minutes=2 * i) for i in range(10)]
    assert feed_interval(times) == MIN_INTERVAL
    assert feed_interval(times, publisher_minimum=3600) == 3600
    sparse = [T0 - timedelta(days=10 * i) for i in range(3)]
    assert feed_interval(sparse) == MAX_INTERVAL


def test_feed_without_dates_keeps_previous_interval() -> None:
    assert feed_interval([], previous=1800) == 1800


def test_failing_feed_backs_off_exponentially_up_to_a_day() -> None:
    assert backoff_interval(600, 1) == 1200
    assert backoff_interval(600, 3) == 4800
    assert backoff_interval(600, 50) == MAX_INTERVAL


def test_publisher_hints() -> None:
    assert cache_max_age("public, max-age=300") == 300
    assert cache_max_age("no-cache") is None
    assert publisher_minimum(60, 300) == 3600
    assert publisher_minimum(None, None) is None


def test_recheck_checkpoints_each_fire_once() -> None:
    assert not recheck_due(T0, None, T0 + timedelta(minutes=59))
    assert recheck_due(T0, None, T0 + timedelta(hours=1, minutes=1))
    checked = T0 + timedelta(hours=1, minutes=1)
    assert not recheck_due(T0, checked, T0 + timedelta(hours=5))
    assert recheck_due(T0, checked, T0 + timedelta(hours=6, minutes=1))
    assert not recheck_due(T0, T0 + timedelta(hours=73), T0 + timedelta(days=30))
