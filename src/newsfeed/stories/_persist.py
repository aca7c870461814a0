"""Saving and restoring a ``StoryClusterer``: numpy arrays plus JSON, never pickle.

The bytes are an ``.npz`` archive (loaded with ``allow_pickle=False``, so a tampered blob
cannot run code) holding the active stories' matrix rows and one JSON document with the
rest. Only active stories are kept; free slots are compacted away.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from dataclasses import asdict, fields
from typing import Any

import numpy as np

from newsfeed.errors import StorageError
from newsfeed.stories._cluster import StoryClusterer, _Meta
from newsfeed.stories._types import ClusterOptions

FORMAT = "newsfeed-stories/1"


def dump(clusterer: StoryClusterer) -> bytes:
    """Serialise the clusterer's state to bytes."""
    c = clusterer
    slots = sorted(c._slot_of.values(), key=lambda s: int(c._ids[s]))
    heads = [vec for s in slots for _, vec in c._meta[s].heads]
    doc = {
        "format": FORMAT,
        "options": asdict(c.options),
        "dim": c.dim,
        "next_id": c._next_id,
        "docs": c._docs,
        "clock": c._clock if np.isfinite(c._clock) else None,
        "df": dict(c._df),
        "stories": [_meta_doc(c._meta[s]) for s in slots],
    }
    out = io.BytesIO()
    np.savez_compressed(
        out,
        ids=c._ids[slots],
        cent=c._cent[slots],
        norm=c._norm[slots],
        n=c._n[slots],
        first=c._first[slots],
        last=c._last[slots],
        heads=np.array(heads, dtype=np.float16).reshape(-1, c.dim),
        doc=np.frombuffer(json.dumps(doc).encode(), dtype=np.uint8),
    )
    return out.getvalue()


def load(data: bytes) -> StoryClusterer:
    """Rebuild a clusterer from ``dump`` output; ``StorageError`` if the bytes are not one."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            parts = {key: arrays[key] for key in arrays.files}
        doc = json.loads(parts["doc"].tobytes().decode())
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} document")
        return _rebuild(doc, parts)
    except (OSError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile) as exc:
        raise StorageError(
            f"the saved story-clustering state cannot be read ({exc}); "
            "rebuild it with `newsfeed reindex`"
        ) from exc


def _meta_doc(meta: _Meta) -> dict[str, Any]:
    return {
        "outlets": dict(meta.outlets),
        "terms": dict(meta.terms),
        "entities": dict(meta.entities),
        "heads": [title for title, _ in meta.heads],
    }


def _options(raw: dict[str, Any]) -> ClusterOptions:
    known = {f.name for f in fields(ClusterOptions)}
    kwargs: dict[str, Any] = {
        k: float(v) if k != "candidates" else int(v) for k, v in raw.items() if k in known
    }
    return ClusterOptions(**kwargs)


def _rebuild(doc: dict[str, Any], parts: dict[str, np.ndarray[Any, Any]]) -> StoryClusterer:
    dim = int(doc["dim"])
    c = StoryClusterer(_options(doc["options"]), dim=dim)
    ids = parts["ids"]
    count = len(ids)
    stories = doc["stories"]
    if len(stories) != count or parts["cent"].shape != (count, dim):
        raise ValueError("story arrays and metadata disagree")
    c._grow(max(64, count * 2))
    c._free = list(range(c._cap - 1, count - 1, -1))
    c._ids[:count] = ids
    c._cent[:count] = parts["cent"]
    c._norm[:count] = parts["norm"]
    c._n[:count] = parts["n"]
    c._first[:count] = parts["first"]
    c._last[:count] = parts["last"]
    heads = parts["heads"]
    used = 0
    for slot, story in enumerate(stories):
        titles = list(story["heads"])
        vecs = heads[used : used + len(titles)]
        if len(vecs) != len(titles):
            raise ValueError("headline vectors are missing")
        used += len(titles)
        c._meta[slot] = _Meta(
            outlets=Counter(story["outlets"]),
            terms=Counter(story["terms"]),
            entities=Counter(story["entities"]),
            heads=[(t, v.astype(np.float16)) for t, v in zip(titles, vecs, strict=True)],
        )
        c._slot_of[int(ids[slot])] = slot
    c._next_id = int(doc["next_id"])
    c._docs = int(doc["docs"])
    c._df = Counter({str(k): int(v) for k, v in doc["df"].items()})
    clock = doc["clock"]
    c._clock = float(clock) if clock is not None else -np.inf
    c._next_evict = c._clock
    return c
