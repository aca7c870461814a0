"""The public data types of story clustering: options, input, output and snapshots."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from newsfeed.errors import ConfigError


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """Knobs of the online clusterer; the defaults are what ``bench/stories.py`` measures."""

    join_threshold: float = 0.30
    merge_threshold: float = 0.45
    cohesion_power: float = 0.5
    headline_weight: float = 0.1
    entity_weight: float = 0.15
    grace_hours: float = 24.0
    half_life_hours: float = 24.0
    window_hours: float = 24.0 * 7
    candidates: int = 8

    def __post_init__(self) -> None:
        if self.half_life_hours <= 0 or self.window_hours <= 0 or self.grace_hours < 0:
            raise ConfigError(
                "story clustering: half_life_hours and window_hours must be positive "
                "and grace_hours not negative"
            )
        if self.candidates < 1:
            raise ConfigError("story clustering: candidates must be at least 1")
        numbers = (self.join_threshold, self.merge_threshold, self.cohesion_power)
        if not all(math.isfinite(x) for x in numbers):
            raise ConfigError("story clustering: thresholds must be finite numbers")


@dataclass(frozen=True, slots=True)
class ClusterItem:
    """One arriving article, as the clusterer needs it.

    ``embedding`` is a unit-length vector of the title and lead (see ``Embedder``);
    ``entities`` are stable keys of the people, places and organisations it names, if known.
    """

    article_id: int
    title: str
    embedding: npt.NDArray[np.float32]
    published: datetime
    publisher: str | None = None
    entities: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an article went: its story, whether that story is new, and stories merged into it."""

    article_id: int
    story_id: int
    created: bool
    score: float
    merged: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryState:
    """What the clusterer knows about one active story."""

    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    article_count: int
    outlets: tuple[str, ...]

    @property
    def outlet_count(self) -> int:
        return len(self.outlets)


@dataclass(frozen=True, slots=True)
class StorySnapshot:
    """Everything the clusterer holds about one story, to store as a row and ``restore``.

    ``vector_sum`` is the sum of the member articles' unit vectors (its direction is the
    centroid, its length over ``article_count`` the story's cohesion). ``headlines`` are the
    few most central headlines with their vectors; the first best matches the centroid.
    """

    id: int
    vector_sum: npt.NDArray[np.float32]
    article_count: int
    first_seen: datetime
    last_seen: datetime
    outlets: dict[str, int] = field(default_factory=dict)
    terms: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    headlines: tuple[tuple[str, npt.NDArray[np.float32]], ...] = ()
