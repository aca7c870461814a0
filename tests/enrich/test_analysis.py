"""analyse(): one call bundling entities, quotes, sources, dates and the timeline."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from newsfeed.enrich.analysis import analyse

TEXT = (
    "Turkish President Recep Tayyip Erdogan hosted talks in Istanbul on July 23.\n"
    '"We hope for a ceasefire before the winter comes," Erdogan said, according to Reuters.'
)


def test_bundle() -> None:
    result = analyse(TEXT, datetime(2025, 8, 7, 10, 0))
    keys = {e.key for e in result.entities}
    assert {"person:recep-tayyip-erdogan", "place:istanbul", "org:reuters"} <= keys
    assert result.quotes[0].speaker_key == "person:recep-tayyip-erdogan"
    assert [c.name for c in result.cited_sources] == ["Reuters"]
    assert result.dates[0].value == date(2025, 7, 23)
    [event] = [e for e in result.timeline if e.date == date(2025, 7, 23)]
    assert "place:istanbul" in event.entity_keys


def test_without_publication_date_there_are_no_dates() -> None:
    result = analyse(TEXT, None)
    assert result.dates == ()
    assert result.timeline == ()
    assert result.entities


def test_tags_are_used() -> None:
    result = analyse("Talks with Zorbo Quix went well.", None, tags=("Zorbo Quix",))
    assert [e.key for e in result.entities] == ["person:zorbo-quix"]


def test_not_text_is_refused_clearly() -> None:
    with pytest.raises(TypeError, match="article text as str"):
        analyse(b"bytes", None)  # type: ignore[arg-type]
