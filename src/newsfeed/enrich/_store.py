"""An ``Analysis`` as the JSON the store keeps (and the API shows), and back: the
``analysis.to_dict`` form with a format version, and the entity references the store indexes.

Character offsets point into the text that was analysed (``step.analysed_text``: the
article's text, then its photo captions); a new analysis is saved whenever the text changes.
"""

from __future__ import annotations

from typing import Any

import orjson

from newsfeed.enrich.analysis import Analysis, from_dict
from newsfeed.store import EntityRef
from newsfeed.store._enrich import MAX_KEY_LENGTH

FORMAT_VERSION = 1
"""Bumped when the JSON shape changes, so stored analyses of an older shape can be redone."""


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    """The analysis as plain JSON values (dates as ``YYYY-MM-DD``), with its format version:
    ``to_dict``'s form, made by orjson (dataclasses as objects in field order, tuples as
    arrays, dates in ISO form) several times faster, on the one process that saves every
    story's analysis. A test holds the two to the same bytes."""
    data: dict[str, Any] = orjson.loads(orjson.dumps(analysis))
    return {"version": FORMAT_VERSION, **data}


def analysis_from_json(data: dict[str, Any]) -> Analysis:
    """The ``Analysis`` saved by ``analysis_to_json``. Raises ``ValueError`` for another shape."""
    if data.get("version") != FORMAT_VERSION:
        raise ValueError(
            f"not a saved analysis: format {data.get('version')!r}, not {FORMAT_VERSION}"
        )
    body = {k: v for k, v in data.items() if k != "version"}
    try:
        return from_dict(body)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a saved analysis: {exc!r}") from None


def entity_refs(analysis: Analysis) -> list[EntityRef]:
    """What the store indexes: each entity once, with its mention count and roles."""
    refs: dict[str, EntityRef] = {}
    for e in analysis.entities:
        old = refs.get(e.key)
        if old is None:
            refs[e.key] = EntityRef(e.key, e.name, e.kind, len(e.mentions), e.roles)
        else:  # the rules give each key once; should one repeat, count both
            roles = tuple(dict.fromkeys(old.roles + e.roles))
            refs[e.key] = EntityRef(
                e.key, old.name, old.kind, old.mentions + len(e.mentions), roles
            )
    # A key too long to index is a runaway capitalised phrase, not a name worth a page.
    return [r for r in refs.values() if 0 < len(r.key) <= MAX_KEY_LENGTH]
