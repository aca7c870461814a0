"""The active stories as dense rows: one matrix of centroids plus per-row arrays.

Rows ``0 .. count-1`` are always the live stories (removing one moves the last row into
its place), so a score over all active stories is one matrix-vector product over exactly
``count`` rows, never over freed space.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import numpy.typing as npt

_G = TypeVar("_G", bound=np.generic)


@dataclass(slots=True)
class Meta:
    """The per-story bookkeeping that is not a row of the centroid matrix."""

    outlets: Counter[str] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    heads: list[tuple[str, npt.NDArray[np.float16]]] = field(default_factory=list)


class Rows:
    """Dense storage for the active stories; ``slot_of`` maps a story id to its row."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.count = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.cent = np.zeros((0, dim), dtype=np.float32)  # unit-length centroids
        self.norm = np.zeros(0, dtype=np.float32)  # |sum of member vectors|
        self.n = np.zeros(0, dtype=np.int32)
        self.first = np.zeros(0, dtype=np.float64)
        self.last = np.zeros(0, dtype=np.float64)
        self.scale = np.zeros(0, dtype=np.float32)  # 1 / cohesion ** power, kept by the owner
        self.meta: list[Meta] = []
        self.slot_of: dict[int, int] = {}
        self.reserve(64)

    def reserve(self, cap: int) -> None:
        """Make room for at least ``cap`` rows."""
        if cap <= len(self.ids):
            return
        cap = max(cap, 2 * len(self.ids), 64)
        self.ids = _widen(self.ids, cap, -1)
        self.cent = _widen(self.cent, cap, 0.0)
        self.norm = _widen(self.norm, cap, 0.0)
        self.n = _widen(self.n, cap, 0)
        self.first = _widen(self.first, cap, 0.0)
        self.last = _widen(self.last, cap, 0.0)
        self.scale = _widen(self.scale, cap, 1.0)

    def open(self, story_id: int, when: float) -> int:
        """A new empty row for ``story_id``; returns its slot."""
        self.reserve(self.count + 1)
        slot = self.count
        self.count += 1
        self.ids[slot] = story_id
        self.cent[slot] = 0.0
        self.norm[slot] = 0.0
        self.n[slot] = 0
        self.first[slot] = when
        self.last[slot] = when
        self.scale[slot] = 1.0
        self.meta.append(Meta())
        self.slot_of[story_id] = slot
        return slot

    def set_sum(self, slot: int, total: npt.NDArray[np.float32]) -> None:
        norm = float(np.linalg.norm(total))
        self.norm[slot] = norm
        self.cent[slot] = total / norm if norm > 0 else 0.0

    def vector_sum(self, slot: int) -> npt.NDArray[np.float32]:
        total: npt.NDArray[np.float32] = self.cent[slot] * self.norm[slot]
        return total

    def release(self, slot: int) -> None:
        """Remove a row, moving the last row into its place."""
        del self.slot_of[int(self.ids[slot])]
        last = self.count - 1
        if slot != last:
            for arr in (self.ids, self.cent, self.norm, self.n, self.first, self.last, self.scale):
                arr[slot] = arr[last]
            self.meta[slot] = self.meta[last]
            self.slot_of[int(self.ids[slot])] = slot
        self.meta.pop()
        self.ids[last] = -1
        self.count = last


def _widen(arr: npt.NDArray[_G], cap: int, fill: float) -> npt.NDArray[_G]:
    """A copy of ``arr`` with ``cap`` rows, the new ones set to ``fill``."""
    out: npt.NDArray[_G] = np.full((cap, *arr.shape[1:]), fill, dtype=arr.dtype)
    out[: len(arr)] = arr
    return out
