"""The publisher simulator for tests (the core lives in ``newsfeed._simulator`` so that
benchmarks can use it too), plus fetch options that let loopback through the guard."""

from __future__ import annotations

from dataclasses import replace

from newsfeed._simulator import Knobs, Publisher, Simulator, Stats
from newsfeed.fetch import FetchOptions

LOOPBACK_ONLY = FetchOptions(
    allowed_networks=("127.0.0.0/8",),
    per_host_delay=0.0,
    backoff_base=0.05,
    connect_timeout=5.0,
    read_timeout=5.0,
    total_timeout=10.0,
)


def loopback_options(**changes: object) -> FetchOptions:
    """Options for tests: loopback allowed (10/8 and the rest still refused), no delays."""
    return replace(LOOPBACK_ONLY, **changes)  # type: ignore[arg-type]


__all__ = ["Knobs", "Publisher", "Simulator", "Stats", "loopback_options"]
