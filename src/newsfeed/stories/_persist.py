"""Saving and restoring a ``StoryClusterer``: numpy arrays plus JSON, never pickle.

The bytes are an ``.npz`` archive (loaded with ``allow_pickle=False``, so a tampered blob
cannot run code) holding the active stories' vectors and one JSON document with the rest.
It is the list of ``snapshot``s plus the clusterer's counters, restored with ``restore``.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import asdict, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from newsfeed.errors import StorageError
from newsfeed.stories._cluster import StoryClusterer, _dt
from newsfeed.stories._types import ClusterOptions, StorySnapshot

FORMAT = "newsfeed-stories/1"


def dump(clusterer: StoryClusterer) -> bytes:
    """Serialise the clusterer's state to bytes."""
    ids = sorted(int(i) for i in clusterer._rows.slot_of)
    snaps = [clusterer.snapshot(i) for i in ids]
    df, docs = clusterer.term_statistics()
    doc = {
        "format": FORMAT,
        "options": asdict(clusterer.options),
        "dim": clusterer.dim,
        "next_id": clusterer.next_story_id,
        "docs": docs,
        "df": df,
        "stories": [
            {
                "id": s.id,
                "n": s.article_count,
                "first": s.first_seen.timestamp(),
                "last": s.last_seen.timestamp(),
                "outlets": s.outlets,
                "terms": s.terms,
                "entities": s.entities,
                "heads": [title for title, _ in s.headlines],
            }
            for s in snaps
        ],
    }
    heads = [vec for s in snaps for _, vec in s.headlines]
    out = io.BytesIO()
    np.savez_compressed(
        out,
        sums=np.array([s.vector_sum for s in snaps], dtype=np.float32).reshape(-1, clusterer.dim),
        heads=np.array(heads, dtype=np.float16).reshape(-1, clusterer.dim),
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
        return _rebuild(doc, parts["sums"], parts["heads"])
    except (
        OSError,
        EOFError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        zipfile.BadZipFile,
    ) as exc:
        raise StorageError(
            f"the saved story-clustering state cannot be read ({exc}); "
            "rebuild it with `newsfeed reindex`"
        ) from exc


def _options(raw: dict[str, Any]) -> ClusterOptions:
    known = {f.name: f for f in fields(ClusterOptions)}
    kwargs: dict[str, Any] = {
        k: int(v) if k == "candidates" else float(v) for k, v in raw.items() if k in known
    }
    return ClusterOptions(**kwargs)


def _rebuild(
    doc: dict[str, Any], sums: npt.NDArray[np.float32], heads: npt.NDArray[np.float16]
) -> StoryClusterer:
    clusterer = StoryClusterer(_options(doc["options"]), dim=int(doc["dim"]))
    stories = doc["stories"]
    if sums.shape != (len(stories), clusterer.dim):
        raise ValueError("story vectors and metadata disagree")
    snaps = []
    used = 0
    for row, story in enumerate(stories):
        titles = [str(t) for t in story["heads"]]
        vecs = heads[used : used + len(titles)]
        if len(vecs) != len(titles):
            raise ValueError("headline vectors are missing")
        used += len(titles)
        snaps.append(
            StorySnapshot(
                id=int(story["id"]),
                vector_sum=sums[row],
                article_count=int(story["n"]),
                first_seen=_dt(float(story["first"])),
                last_seen=_dt(float(story["last"])),
                outlets={str(k): int(v) for k, v in story["outlets"].items()},
                terms={str(k): int(v) for k, v in story["terms"].items()},
                entities={str(k): int(v) for k, v in story["entities"].items()},
                headlines=tuple(zip(titles, vecs.astype(np.float32), strict=True)),
            )
        )
    df = {str(k): int(v) for k, v in doc["df"].items()}
    clusterer.restore(snaps, df, int(doc["docs"]), next_story_id=int(doc["next_id"]))
    return clusterer
